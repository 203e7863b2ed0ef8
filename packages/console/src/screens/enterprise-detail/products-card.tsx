/**
 * The products of a supervised enterprise, paged and searched on the server, with batches,
 * activated codes and consumer queries of the last 30 days. For regulators (enterprises of their
 * jurisdiction) and the platform operator.
 */
import { useState, type ReactNode } from 'react';
import { Card, Empty, Input, Table, Typography } from 'antd';
import { api, data } from '../../api/client.js';
import type { paths } from '../../api/schema.js';
import { useI18n } from '../../i18n/index.js';
import { KeyboardScroll } from '../../components/keyboard-scroll.js';
import { StatusTag } from '../../components/status-tag.js';
import { usePage } from '../../components/use-page.js';

type Product =
  paths['/api/v1/supervision/enterprises/{enterpriseId}/products']['get']['responses'][200]['content']['application/json']['items'][number];

interface Query {
  page: number;
  pageSize: number;
  q?: string;
}

export function ProductsCard({ enterpriseId }: { readonly enterpriseId: string }): ReactNode {
  const { t } = useI18n();
  const [query, setQuery] = useState<Query>({ page: 1, pageSize: 10 });
  const { page, loading } = usePage(
    (q: Query) =>
      data(
        api.GET('/api/v1/supervision/enterprises/{enterpriseId}/products', {
          params: { path: { enterpriseId }, query: q },
        }),
      ),
    query,
  );
  const text = (v: string | null) => v ?? '—';
  return (
    <Card
      title={t('enterprises.products')}
      size="small"
      style={{ marginTop: 16 }}
      extra={
        <Input.Search
          allowClear
          size="small"
          placeholder={t('enterprises.productSearch')}
          style={{ width: 240 }}
          onSearch={(q) => setQuery({ ...query, page: 1, q: q === '' ? undefined : q })}
        />
      }
    >
      <KeyboardScroll label={t('enterprises.products')}>
        <Table<Product>
          rowKey="id"
          size="small"
          loading={loading}
          dataSource={page?.items ?? []}
          scroll={{ x: 900 }}
          locale={{
            emptyText: (
              <Empty
                description={query.q !== undefined ? t('common.noMatch') : t('enterprises.noProducts')}
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
          onChange={(p) => setQuery({ ...query, page: p.current ?? 1, pageSize: p.pageSize ?? 10 })}
          columns={[
            { key: 'name', title: t('products.name'), dataIndex: 'name' },
            { key: 'brand', title: t('products.brand'), dataIndex: 'brand', render: text },
            {
              key: 'gtin',
              title: t('products.gtin'),
              dataIndex: 'gtin',
              render: (v: string | null) =>
                v === null ? (
                  '—'
                ) : (
                  <Typography.Text code style={{ whiteSpace: 'nowrap' }}>
                    {v}
                  </Typography.Text>
                ),
            },
            { key: 'category', title: t('products.category'), dataIndex: 'category', render: text },
            { key: 'spec', title: t('products.specification'), dataIndex: 'specification', render: text },
            {
              key: 'status',
              title: t('common.status'),
              dataIndex: 'status',
              render: (s: string) => <StatusTag status={s} />,
            },
            {
              key: 'batches',
              title: t('products.batches'),
              align: 'right',
              render: (_v, p) => p.figures.batches,
            },
            {
              key: 'activated',
              title: t('enterprises.codesActivated'),
              align: 'right',
              render: (_v, p) => p.figures.codesActivated,
            },
            {
              key: 'scans',
              title: t('enterprises.scans30'),
              align: 'right',
              render: (_v, p) => p.figures.scans,
            },
          ]}
        />
      </KeyboardScroll>
    </Card>
  );
}
