/** The product master: a table paged, searched and sorted on the server; create and edit in a drawer. */
import { useState, type ReactNode } from 'react';
import { Link } from 'react-router';
import { App, Button, Empty, Image, Input, Popconfirm, Segmented, Space, Table, Typography } from 'antd';
import { PictureOutlined, PlusOutlined } from '@ant-design/icons';
import { api, data, fileUrl } from '../../api/client.js';
import { errorText } from '../../api/errors.js';
import { useI18n } from '../../i18n/index.js';
import { useSession } from '../../session/session.js';
import { Page } from '../../components/page.js';
import { StatusTag } from '../../components/status-tag.js';
import { usePage } from '../../components/use-page.js';
import { ProductForm, type Product } from './product-form.js';

interface Query {
  page: number;
  pageSize: number;
  q?: string;
  status: 'active' | 'archived';
  sort: 'created_at' | 'name' | 'updated_at';
  order: 'asc' | 'desc';
}

export default function ProductsScreen(): ReactNode {
  const { t } = useI18n();
  const { can } = useSession();
  const { message } = App.useApp();
  const writable = can('product.write');
  const [query, setQuery] = useState<Query>({
    page: 1,
    pageSize: 20,
    status: 'active',
    sort: 'created_at',
    order: 'desc',
  });
  const { page, loading, reload } = usePage(
    (q: Query) => data(api.GET('/api/v1/products', { params: { query: q } })),
    query,
  );
  const [editing, setEditing] = useState<Product>();
  const [open, setOpen] = useState(false);

  const setArchived = async (p: Product, archive: boolean): Promise<void> => {
    try {
      const params = { params: { path: { productId: p.id } } };
      await data(
        archive
          ? api.POST('/api/v1/products/{productId}/archive', params)
          : api.POST('/api/v1/products/{productId}/restore', params),
      );
      reload();
    } catch (e) {
      void message.error(errorText(t, e));
    }
  };

  const sortOrder = (key: Query['sort']) =>
    query.sort === key ? (query.order === 'asc' ? ('ascend' as const) : ('descend' as const)) : null;

  return (
    <Page
      title={t('products.title')}
      subtitle={t('products.subtitle')}
      extra={
        writable ? (
          <Button
            type="primary"
            icon={<PlusOutlined />}
            onClick={() => {
              setEditing(undefined);
              setOpen(true);
            }}
          >
            {t('products.create')}
          </Button>
        ) : null
      }
    >
      <Space style={{ marginBottom: 16 }} wrap>
        <Input.Search
          allowClear
          placeholder={t('products.search')}
          style={{ width: 280 }}
          onSearch={(q) => setQuery({ ...query, page: 1, q: q === '' ? undefined : q })}
        />
        <Segmented<Query['status']>
          value={query.status}
          onChange={(status) => setQuery({ ...query, page: 1, status })}
          options={[
            { value: 'active', label: t('status.active') },
            { value: 'archived', label: t('status.archived') },
          ]}
        />
      </Space>
      <Table<Product>
        rowKey="id"
        loading={loading}
        dataSource={page?.items ?? []}
        scroll={{ x: 1040 }}
        locale={{
          emptyText: (
            <Empty
              description={
                query.q !== undefined
                  ? t('common.noMatch')
                  : query.status === 'archived'
                    ? t('products.noArchived')
                    : t('products.empty')
              }
            >
              {writable && query.q === undefined && query.status === 'active' ? (
                <Button type="primary" onClick={() => setOpen(true)}>
                  {t('products.create')}
                </Button>
              ) : null}
            </Empty>
          ),
        }}
        pagination={{
          current: query.page,
          pageSize: query.pageSize,
          total: page?.total ?? 0,
          showSizeChanger: true,
          showTotal: (total) => t('common.total', { total }),
        }}
        onChange={(pagination, _filters, sorter) => {
          const s = Array.isArray(sorter) ? sorter[0] : sorter;
          const field =
            s?.order === undefined || s.order === null ? undefined : (s.columnKey as Query['sort']);
          setQuery({
            ...query,
            page: pagination.current ?? 1,
            pageSize: pagination.pageSize ?? 20,
            sort: field ?? 'created_at',
            order: field === undefined ? 'desc' : s?.order === 'ascend' ? 'asc' : 'desc',
          });
        }}
        columns={[
          {
            key: 'image',
            width: 72,
            render: (_v, p) =>
              p.imageFileIds[0] === undefined ? (
                <div
                  style={{
                    width: 48,
                    height: 48,
                    borderRadius: 6,
                    background: '#f5f5f5',
                    display: 'grid',
                    placeItems: 'center',
                    color: '#bbb',
                  }}
                >
                  <PictureOutlined />
                </div>
              ) : (
                <Image
                  src={fileUrl(p.imageFileIds[0])}
                  alt={p.name}
                  width={48}
                  height={48}
                  style={{ objectFit: 'cover', borderRadius: 6 }}
                />
              ),
          },
          {
            key: 'name',
            title: t('products.name'),
            dataIndex: 'name',
            sorter: true,
            sortOrder: sortOrder('name'),
            render: (name: string, p) => (
              <Space orientation="vertical" size={0}>
                <Typography.Text strong>{name}</Typography.Text>
                {p.brand === null ? null : <Typography.Text type="secondary">{p.brand}</Typography.Text>}
              </Space>
            ),
          },
          {
            key: 'spec',
            title: t('products.specification'),
            dataIndex: 'specification',
            render: (v: string | null) => v ?? '—',
          },
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
          {
            key: 'shelf',
            title: t('products.shelfLifeDays'),
            dataIndex: 'shelfLifeDays',
            render: (v: number | null) => (v === null ? '—' : t('products.daysN', { n: v })),
          },
          {
            key: 'status',
            title: t('common.status'),
            dataIndex: 'status',
            render: (s: string) => <StatusTag status={s} />,
          },
          {
            key: 'updated_at',
            title: t('common.updatedAt'),
            dataIndex: 'updatedAt',
            sorter: true,
            sortOrder: sortOrder('updated_at'),
            render: (v: number) => new Date(v).toLocaleString(),
          },
          {
            key: 'actions',
            title: t('common.actions'),
            fixed: 'right',
            render: (_v, p) => (
              <Space size={0}>
                <Link to={`/batches?productId=${p.id}`}>
                  <Button type="link" size="small">
                    {t('products.batches')}
                  </Button>
                </Link>
                {writable ? (
                  <>
                    <Button
                      type="link"
                      size="small"
                      onClick={() => {
                        setEditing(p);
                        setOpen(true);
                      }}
                    >
                      {t('common.edit')}
                    </Button>
                    <Popconfirm
                      title={
                        p.status === 'active' ? t('products.archiveConfirm') : t('products.restoreConfirm')
                      }
                      onConfirm={() => void setArchived(p, p.status === 'active')}
                    >
                      <Button type="link" size="small">
                        {p.status === 'active' ? t('common.archive') : t('common.restore')}
                      </Button>
                    </Popconfirm>
                  </>
                ) : null}
              </Space>
            ),
          },
        ]}
      />
      <ProductForm
        open={open}
        product={editing}
        onClose={() => {
          setOpen(false);
          reload();
        }}
        onSaved={(p) => {
          setEditing(p);
          reload();
        }}
      />
    </Page>
  );
}
