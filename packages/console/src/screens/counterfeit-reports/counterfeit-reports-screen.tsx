/**
 * Counterfeit reports (假货举报) consumers filed from the scan page: a list by status, paged on
 * the server, and a drawer with the report, the code's queries and its handling.
 */
import { useMemo, useState, type ReactNode } from 'react';
import { useSearchParams } from 'react-router';
import { Button, Empty, Image, Segmented, Space, Table, Typography } from 'antd';
import { PictureOutlined } from '@ant-design/icons';
import { api, data } from '../../api/client.js';
import { useI18n, type MessageKey } from '../../i18n/index.js';
import { useSession } from '../../session/session.js';
import { Page } from '../../components/page.js';
import { ProductSelect } from '../../components/product-select.js';
import { usePage } from '../../components/use-page.js';
import { groupedCode } from '../scan-log/code-history-drawer.js';
import { dateTime, regionText } from '../scan-log/format.js';
import { useNames } from '../scan-log/use-names.js';
import { ReportDrawer, ReportStatusTag, reportStatuses, yuan, type Report } from './report-drawer.js';

interface Query {
  page: number;
  pageSize: number;
  status?: Report['status'];
  productId?: string;
}

export default function CounterfeitReportsScreen(): ReactNode {
  const { t } = useI18n();
  const { can } = useSession();
  const [search, setSearch] = useSearchParams();
  const status = reportStatuses.find((s) => s === search.get('status'));
  const productId = search.get('productId') ?? undefined;
  const [paging, setPaging] = useState({ page: 1, pageSize: 20 });
  const query: Query = {
    ...paging,
    ...(status === undefined ? {} : { status }),
    ...(productId === undefined ? {} : { productId }),
  };
  const { page, loading, reload } = usePage(
    (q: Query) => data(api.GET('/api/v1/counterfeit-reports', { params: { query: q } })),
    query,
  );
  const items = useMemo(() => page?.items ?? [], [page]);
  const names = useNames(items);
  const [shown, setShown] = useState<Report>();

  const filter = (patch: Record<string, string | undefined>): void => {
    const next = new URLSearchParams(search);
    for (const [k, v] of Object.entries(patch)) {
      if (v === undefined) next.delete(k);
      else next.set(k, v);
    }
    setPaging((p) => ({ ...p, page: 1 }));
    setSearch(next);
  };

  return (
    <Page title={t('counterfeitReports.title')} subtitle={t('counterfeitReports.subtitle')}>
      <Space style={{ marginBottom: 16 }} wrap>
        <Segmented
          value={status ?? 'all'}
          onChange={(v) => filter({ status: v === 'all' ? undefined : v })}
          options={[
            { value: 'all', label: t('counterfeitReports.statusAll') },
            ...reportStatuses.map((s) => ({
              value: s,
              label: t(`counterfeitReports.status_${s}` as MessageKey),
            })),
          ]}
        />
        <ProductSelect
          allowClear
          value={productId}
          onChange={(id) => filter({ productId: id })}
          style={{ width: 240 }}
        />
      </Space>
      <Table<Report>
        rowKey="id"
        loading={loading}
        dataSource={items}
        scroll={{ x: 1150 }}
        onRow={(r) => ({ onDoubleClick: () => setShown(r) })}
        locale={{
          emptyText: (
            <Empty
              description={
                status !== undefined || productId !== undefined
                  ? t('counterfeitReports.emptyFiltered')
                  : t('counterfeitReports.empty')
              }
            />
          ),
        }}
        pagination={{
          current: query.page,
          pageSize: query.pageSize,
          total: page?.total ?? 0,
          showSizeChanger: true,
          showTotal: (total) => t('common.total', { total }),
        }}
        onChange={(p) => setPaging({ page: p.current ?? 1, pageSize: p.pageSize ?? 20 })}
        columns={[
          {
            key: 'createdAt',
            title: t('counterfeitReports.reportedAt'),
            dataIndex: 'createdAt',
            width: 175,
            render: (v: number) => dateTime(v),
          },
          {
            key: 'status',
            title: t('common.status'),
            dataIndex: 'status',
            width: 100,
            render: (s: Report['status']) => <ReportStatusTag status={s} />,
          },
          {
            key: 'code',
            title: t('counterfeitReports.code'),
            dataIndex: 'code',
            width: 220,
            render: (c: string) => (
              <Typography.Text style={{ fontFamily: 'ui-monospace, SFMono-Regular, Menlo, monospace' }}>
                {groupedCode(c)}
              </Typography.Text>
            ),
          },
          {
            key: 'product',
            title: t('counterfeitReports.product'),
            ellipsis: true,
            render: (_v, r) => names.product(r.productId) ?? '—',
          },
          {
            key: 'whereBought',
            title: t('counterfeitReports.whereBought'),
            dataIndex: 'whereBought',
            ellipsis: { showTitle: true },
          },
          {
            key: 'price',
            title: t('counterfeitReports.price'),
            align: 'right',
            width: 96,
            render: (_v, r) => {
              const price = yuan(r.priceCents);
              return price === undefined ? '—' : t('counterfeitReports.priceValue', { price });
            },
          },
          {
            key: 'region',
            title: t('counterfeitReports.region'),
            width: 110,
            ellipsis: true,
            render: (_v, r) => regionText(r.region) ?? '—',
          },
          {
            key: 'photo',
            title: t('counterfeitReports.photo'),
            width: 70,
            align: 'center',
            render: (_v, r) =>
              r.photoUrl === null ? (
                '—'
              ) : (
                <Image
                  src={r.photoUrl}
                  width={36}
                  height={36}
                  style={{ objectFit: 'cover', borderRadius: 4 }}
                  alt={t('counterfeitReports.photo')}
                  placeholder={<PictureOutlined />}
                />
              ),
          },
          {
            key: 'actions',
            title: t('common.actions'),
            width: 96,
            fixed: 'right',
            render: (_v, r) => (
              <Button type="link" style={{ padding: 0 }} onClick={() => setShown(r)}>
                {can('scans.configure') && (r.status === 'new' || r.status === 'investigating')
                  ? t('counterfeitReports.handle')
                  : t('counterfeitReports.view')}
              </Button>
            ),
          },
        ]}
      />
      <ReportDrawer
        report={shown}
        productName={shown === undefined ? undefined : names.product(shown.productId)}
        canHandle={can('scans.configure')}
        onClose={() => setShown(undefined)}
        onHandled={(r) => {
          setShown(r);
          reload();
        }}
      />
    </Page>
  );
}
