/** Raw-material lots (原料批次) received: paged and searched on the server, with what production used. */
import { useState, type ReactNode } from 'react';
import { Link } from 'react-router';
import { Empty, Input, Progress, Space, Table, Typography } from 'antd';
import { api, data } from '../../api/client.js';
import { useI18n } from '../../i18n/index.js';
import { usePage } from '../../components/use-page.js';
import { cbvWord } from '../events/words.js';
import type { Lot } from './selects.js';

interface Query {
  page: number;
  pageSize: number;
  q?: string;
}

export function LotsPanel({ tick }: { readonly tick: number }): ReactNode {
  const { t } = useI18n();
  const [query, setQuery] = useState<Query & { tick: number }>({ page: 1, pageSize: 10, tick });
  const { page, loading } = usePage(
    ({ tick: _tick, ...q }: Query & { tick: number }) =>
      data(api.GET('/api/v1/trace-actions/raw-material-lots', { params: { query: q } })),
    { ...query, tick },
  );
  return (
    <>
      <Input.Search
        allowClear
        placeholder={t('traceActions.searchLots')}
        style={{ width: 300, marginBottom: 12 }}
        onSearch={(q) => setQuery({ ...query, page: 1, q: q === '' ? undefined : q })}
      />
      <Table<Lot>
        rowKey="id"
        size="small"
        loading={loading}
        dataSource={page?.items ?? []}
        scroll={{ x: 900 }}
        locale={{
          emptyText: (
            <Empty description={query.q !== undefined ? t('common.noMatch') : t('traceActions.noLotsYet')} />
          ),
        }}
        pagination={{
          current: query.page,
          pageSize: query.pageSize,
          total: page?.total ?? 0,
          showSizeChanger: true,
          showTotal: (total) => t('common.total', { total }),
        }}
        onChange={(p) => setQuery({ ...query, page: p.current ?? 1, pageSize: p.pageSize ?? 10 })}
        columns={[
          {
            key: 'lot',
            title: t('traceActions.lotNumber'),
            dataIndex: 'lot',
            render: (v: string) => <Typography.Text strong>{v}</Typography.Text>,
          },
          { key: 'material', title: t('traceActions.material'), dataIndex: 'material' },
          { key: 'supplier', title: t('traceActions.supplierName'), dataIndex: 'supplierName' },
          {
            key: 'receivedDate',
            title: t('traceActions.receivedDate'),
            dataIndex: 'receivedDate',
            width: 120,
          },
          {
            key: 'used',
            title: t('traceActions.usage'),
            width: 240,
            render: (_v, l) => (
              <Space orientation="vertical" size={0} style={{ width: '100%' }}>
                <Typography.Text>
                  {t('traceActions.usedOf', {
                    used: l.usedQuantity.toLocaleString(),
                    total: l.quantity.toLocaleString(),
                    unit: cbvWord(t, 'unit', l.unit),
                  })}
                </Typography.Text>
                <Progress
                  aria-label={t('traceActions.used')}
                  size="small"
                  showInfo={false}
                  percent={l.quantity === 0 ? 0 : Math.min(100, (l.usedQuantity / l.quantity) * 100)}
                />
              </Space>
            ),
          },
          {
            key: 'trace',
            title: t('common.actions'),
            width: 100,
            render: (_v, l) => (
              <Link to={`/trace?lot=${encodeURIComponent(l.epcClass)}&direction=forward`}>
                {t('traceActions.traceForward')}
              </Link>
            ),
          },
        ]}
      />
    </>
  );
}
