/** Batches (批次) of the enterprise's products: paged on the server, created in a drawer, with inspection reports. */
import { useEffect, useState, type ReactNode } from 'react';
import { useSearchParams } from 'react-router';
import {
  Alert,
  App,
  Button,
  DatePicker,
  Drawer,
  Empty,
  Form,
  Input,
  InputNumber,
  Space,
  Table,
  Typography,
  Upload,
} from 'antd';
import { FilePdfOutlined, PlusOutlined, UploadOutlined } from '@ant-design/icons';
import type { Dayjs } from 'dayjs';
import { api, data, fileUrl, upload } from '../../api/client.js';
import { applyFormError, errorText } from '../../api/errors.js';
import type { paths } from '../../api/schema.js';
import { useI18n } from '../../i18n/index.js';
import { useSession } from '../../session/session.js';
import { Page } from '../../components/page.js';
import { StatusTag } from '../../components/status-tag.js';
import { ProductSelect } from '../../components/product-select.js';
import { usePage } from '../../components/use-page.js';

type Batch = paths['/api/v1/batches/{batchId}']['get']['responses'][200]['content']['application/json'];

interface Query {
  page: number;
  pageSize: number;
  q?: string;
  productId?: string;
}

interface Values {
  productId: string;
  lot: string;
  productionDate: Dayjs;
  expiryDate?: Dayjs | null;
  line?: string;
  quantity?: number | null;
}

const codeFields = {
  TRACE_BATCH_LOT_TAKEN: 'lot',
  TRACE_BATCH_DATES_INVALID: 'expiryDate',
  TRACE_PRODUCT_ARCHIVED: 'productId',
  TRACE_PRODUCT_NOT_FOUND: 'productId',
} as const;

export default function BatchesScreen(): ReactNode {
  const { t } = useI18n();
  const { can } = useSession();
  const { message } = App.useApp();
  const writable = can('product.write');
  const [search, setSearch] = useSearchParams();
  const productId = search.get('productId') ?? undefined;
  const [query, setQuery] = useState<Query>({ page: 1, pageSize: 20, productId });
  useEffect(() => setQuery((q) => ({ ...q, page: 1, productId })), [productId]);
  const { page, loading, reload } = usePage(
    (q: Query) => data(api.GET('/api/v1/batches', { params: { query: q } })),
    query,
  );
  const [open, setOpen] = useState(false);
  const [form] = Form.useForm<Values>();
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);

  const create = async (v: Values): Promise<void> => {
    setBusy(true);
    setError(undefined);
    try {
      await data(
        api.POST('/api/v1/batches', {
          body: {
            productId: v.productId,
            lot: v.lot.trim(),
            productionDate: v.productionDate.format('YYYY-MM-DD'),
            ...(v.expiryDate == null ? {} : { expiryDate: v.expiryDate.format('YYYY-MM-DD') }),
            ...(v.line === undefined || v.line === '' ? {} : { line: v.line }),
            ...(v.quantity == null ? {} : { quantity: v.quantity }),
          },
        }),
      );
      void message.success(t('common.saved'));
      setOpen(false);
      form.resetFields();
      reload();
    } catch (e) {
      setError(applyFormError(form, t, e, codeFields));
    } finally {
      setBusy(false);
    }
  };

  const attachReport = async (batch: Batch, file: File): Promise<void> => {
    try {
      await upload<'/api/v1/batches/{batchId}/inspection-report', 'put', 200>(
        '/api/v1/batches/{batchId}/inspection-report',
        { batchId: batch.id },
        {},
        file,
        'put',
      );
      void message.success(t('batches.reportUploaded'));
      reload();
    } catch (e) {
      void message.error(errorText(t, e));
    }
  };

  return (
    <Page
      title={t('batches.title')}
      subtitle={t('batches.subtitle')}
      extra={
        writable ? (
          <Button
            type="primary"
            icon={<PlusOutlined />}
            onClick={() => {
              form.resetFields();
              if (productId !== undefined) form.setFieldValue('productId', productId);
              setError(undefined);
              setOpen(true);
            }}
          >
            {t('batches.create')}
          </Button>
        ) : null
      }
    >
      <Space style={{ marginBottom: 16 }} wrap>
        <ProductSelect
          allowClear
          value={productId}
          onChange={(id) => setSearch(id === undefined ? {} : { productId: id })}
          style={{ width: 280 }}
        />
        <Input.Search
          allowClear
          placeholder={t('batches.search')}
          style={{ width: 240 }}
          onSearch={(q) => setQuery({ ...query, page: 1, q: q === '' ? undefined : q })}
        />
      </Space>
      <Table<Batch>
        rowKey="id"
        loading={loading}
        dataSource={page?.items ?? []}
        scroll={{ x: 960 }}
        locale={{
          emptyText: <Empty description={query.q !== undefined ? t('common.noMatch') : t('batches.empty')} />,
        }}
        pagination={{
          current: query.page,
          pageSize: query.pageSize,
          total: page?.total ?? 0,
          showSizeChanger: true,
          showTotal: (total) => t('common.total', { total }),
        }}
        onChange={(p) => setQuery({ ...query, page: p.current ?? 1, pageSize: p.pageSize ?? 20 })}
        columns={[
          {
            key: 'lot',
            title: t('batches.lot'),
            dataIndex: 'lot',
            render: (v: string) => <Typography.Text strong>{v}</Typography.Text>,
          },
          {
            key: 'product',
            title: t('batches.product'),
            dataIndex: 'productName',
            render: (v: string | undefined) => v ?? '—',
          },
          { key: 'productionDate', title: t('batches.productionDate'), dataIndex: 'productionDate' },
          {
            key: 'expiryDate',
            title: t('batches.expiryDate'),
            dataIndex: 'expiryDate',
            render: (v: string | null) => v ?? '—',
          },
          {
            key: 'line',
            title: t('batches.line'),
            dataIndex: 'line',
            render: (v: string | null) => v ?? '—',
          },
          {
            key: 'quantity',
            title: t('batches.quantity'),
            dataIndex: 'quantity',
            align: 'right',
            render: (v: number | null) => (v === null ? '—' : v.toLocaleString()),
          },
          {
            key: 'report',
            title: t('batches.report'),
            render: (_v, b) => (
              <Space>
                {b.inspectionReport === null ? (
                  <Typography.Text type="secondary">{t('batches.noReport')}</Typography.Text>
                ) : (
                  <a href={fileUrl(b.inspectionReport.id)} target="_blank" rel="noreferrer">
                    <FilePdfOutlined /> {t('batches.viewReport')}
                  </a>
                )}
                {writable ? (
                  <Upload
                    accept=".pdf,.jpg,.jpeg,.png"
                    showUploadList={false}
                    beforeUpload={(file) => {
                      void attachReport(b, file);
                      return false;
                    }}
                  >
                    <Button size="small" icon={<UploadOutlined />}>
                      {b.inspectionReport === null ? t('batches.uploadReport') : t('batches.replaceReport')}
                    </Button>
                  </Upload>
                ) : null}
              </Space>
            ),
          },
          {
            key: 'status',
            title: t('common.status'),
            dataIndex: 'status',
            render: (s: string) => <StatusTag status={s} />,
          },
        ]}
      />
      <Drawer
        open={open}
        onClose={() => setOpen(false)}
        size={520}
        title={t('batches.create')}
        extra={
          <Space>
            <Button onClick={() => setOpen(false)}>{t('common.cancel')}</Button>
            <Button type="primary" loading={busy} onClick={() => form.submit()}>
              {t('common.save')}
            </Button>
          </Space>
        }
      >
        <Form form={form} layout="vertical" onFinish={(v) => void create(v)}>
          <Form.Item
            name="productId"
            label={t('batches.product')}
            rules={[{ required: true, message: t('rules.required') }]}
          >
            <ProductSelect />
          </Form.Item>
          <Form.Item
            name="lot"
            label={t('batches.lot')}
            tooltip={t('batches.lotHelp')}
            rules={[
              { required: true, whitespace: true, message: t('rules.required') },
              { max: 64, message: t('rules.maxLength', { max: 64 }) },
            ]}
          >
            <Input />
          </Form.Item>
          <Form.Item
            name="productionDate"
            label={t('batches.productionDate')}
            rules={[{ required: true, message: t('rules.required') }]}
          >
            <DatePicker style={{ width: '100%' }} />
          </Form.Item>
          <Form.Item name="expiryDate" label={t('batches.expiryDate')} extra={t('batches.expiryHelp')}>
            <DatePicker style={{ width: '100%' }} />
          </Form.Item>
          <Form.Item name="line" label={t('batches.line')} rules={[{ max: 100 }]}>
            <Input />
          </Form.Item>
          <Form.Item name="quantity" label={t('batches.quantity')}>
            <InputNumber min={0} precision={0} style={{ width: '100%' }} />
          </Form.Item>
          {error === undefined ? null : <Alert type="error" showIcon title={error} />}
        </Form>
      </Drawer>
    </Page>
  );
}
