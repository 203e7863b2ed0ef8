import type { ReactNode } from 'react';
import { Link } from 'react-router';
import { Button, Empty, Table, Typography } from 'antd';
import { api, data } from '../api/client.js';
import type { paths } from '../api/schema.js';
import { useI18n } from '../i18n/index.js';
import { StatusTag } from './status-tag.js';
import { usePage } from './use-page.js';
import { fromMenu } from '../layout/menu-state.js';

/** An enterprise as the API lists it. */
export type Enterprise =
  paths['/api/v1/enterprises/{enterpriseId}']['get']['responses'][200]['content']['application/json'];

/** What the list asks the server for. */
export interface EnterpriseQuery {
  page: number;
  pageSize: number;
  q?: string;
  status?: Enterprise['status'];
}

/** Enterprises paged on the server (the server scopes them: all for operators, the jurisdiction for regulators). */
export function EnterpriseTable({
  query,
  onQuery,
  empty,
  action,
  from,
}: {
  readonly query: EnterpriseQuery;
  readonly onQuery: (q: EnterpriseQuery) => void;
  readonly empty: string;
  readonly action: string;
  /** The menu entry the detail page should stay under (e.g. the review queue). */
  readonly from?: string;
}): ReactNode {
  const linkState = from === undefined ? undefined : fromMenu(from);
  const { t } = useI18n();
  const { page, loading } = usePage(
    (q: EnterpriseQuery) => data(api.GET('/api/v1/enterprises', { params: { query: q } })),
    query,
  );
  return (
    <Table<Enterprise>
      rowKey="id"
      loading={loading}
      dataSource={page?.items ?? []}
      scroll={{ x: 900 }}
      locale={{ emptyText: <Empty description={query.q !== undefined ? t('common.noMatch') : empty} /> }}
      pagination={{
        current: query.page,
        pageSize: query.pageSize,
        total: page?.total ?? 0,
        showSizeChanger: true,
        showTotal: (total) => t('common.total', { total }),
      }}
      onChange={(p) => onQuery({ ...query, page: p.current ?? 1, pageSize: p.pageSize ?? 20 })}
      columns={[
        {
          key: 'name',
          title: t('enterprises.name'),
          dataIndex: 'name',
          render: (v: string, e) => (
            <Link to={`/enterprises/${e.id}`} state={linkState}>
              {v}
            </Link>
          ),
        },
        {
          key: 'uscc',
          title: t('register.uscc'),
          dataIndex: 'uscc',
          render: (v: string) => (
            <Typography.Text code style={{ whiteSpace: 'nowrap' }}>
              {v}
            </Typography.Text>
          ),
        },
        {
          key: 'region',
          title: t('register.region'),
          dataIndex: 'regionPath',
          render: (v: string[]) => v.join(' / '),
        },
        {
          key: 'status',
          title: t('common.status'),
          dataIndex: 'status',
          render: (s: string) => <StatusTag status={s} />,
        },
        {
          key: 'submittedAt',
          title: t('enterprises.submittedAt'),
          dataIndex: 'submittedAt',
          render: (v: number | null) => (v === null ? '—' : new Date(v).toLocaleString()),
        },
        {
          key: 'actions',
          title: t('common.actions'),
          fixed: 'right',
          render: (_v, e) => (
            <Link to={`/enterprises/${e.id}`} state={linkState}>
              <Button type="link" size="small">
                {action}
              </Button>
            </Link>
          ),
        },
      ]}
    />
  );
}
