/** Create or edit a product in a drawer; images once the product exists. */
import { useEffect, useState, type ReactNode } from 'react';
import {
  Alert,
  App,
  Button,
  Col,
  Divider,
  Drawer,
  Form,
  Image,
  Input,
  InputNumber,
  Popconfirm,
  Row,
  Space,
  Upload,
} from 'antd';
import { DeleteOutlined, PlusOutlined } from '@ant-design/icons';
import { api, data, fileUrl, upload } from '../../api/client.js';
import { applyFormError, errorText } from '../../api/errors.js';
import type { paths } from '../../api/schema.js';
import { useI18n } from '../../i18n/index.js';
import { gtinRules, optionalMax, requiredMax } from '../../components/rules.js';

/** A product as the API shows it. */
export type Product =
  paths['/api/v1/products/{productId}']['get']['responses'][200]['content']['application/json'];

interface Values {
  name: string;
  brand?: string | null;
  category?: string | null;
  specification?: string | null;
  gtin?: string | null;
  executedStandard?: string | null;
  shelfLifeDays?: number | null;
  description?: string | null;
  shopUrl?: string | null;
}

const codeFields = { TRACE_PRODUCT_GTIN_INVALID: 'gtin', TRACE_PRODUCT_GTIN_TAKEN: 'gtin' } as const;

/** Empty text becomes null (the API's "not set"). */
function clean(values: Values): Values {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(values)) out[k] = v === '' || v === undefined ? null : v;
  return out as unknown as Values;
}

export function ProductForm({
  product,
  open,
  onClose,
  onSaved,
}: {
  readonly product: Product | undefined;
  readonly open: boolean;
  readonly onClose: () => void;
  readonly onSaved: (p: Product) => void;
}): ReactNode {
  const { t } = useI18n();
  const { message } = App.useApp();
  const [form] = Form.useForm<Values>();
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    if (!open) return;
    setError(undefined);
    form.resetFields();
    if (product !== undefined) form.setFieldsValue(product);
  }, [open, product, form]);

  const save = async (values: Values): Promise<void> => {
    setBusy(true);
    setError(undefined);
    try {
      const body = clean(values);
      const saved =
        product === undefined
          ? await data(api.POST('/api/v1/products', { body: { ...body, name: values.name } }))
          : await data(
              api.PATCH('/api/v1/products/{productId}', {
                params: { path: { productId: product.id } },
                body,
              }),
            );
      void message.success(t('common.saved'));
      onSaved(saved);
    } catch (e) {
      setError(applyFormError(form, t, e, codeFields));
    } finally {
      setBusy(false);
    }
  };

  const addImage = async (file: File): Promise<void> => {
    if (product === undefined) return;
    try {
      onSaved(await upload('/api/v1/products/{productId}/images', { productId: product.id }, {}, file));
    } catch (e) {
      void message.error(errorText(t, e));
    }
  };

  const removeImage = async (fileId: string): Promise<void> => {
    if (product === undefined) return;
    try {
      await data(
        api.DELETE('/api/v1/products/{productId}/images/{fileId}', {
          params: { path: { productId: product.id, fileId } },
        }),
      );
      onSaved({ ...product, imageFileIds: product.imageFileIds.filter((id) => id !== fileId) });
    } catch (e) {
      void message.error(errorText(t, e));
    }
  };

  const half = { xs: 24, md: 12 };
  return (
    <Drawer
      open={open}
      onClose={onClose}
      size={720}
      title={product === undefined ? t('products.create') : t('products.edit')}
      extra={
        <Space>
          <Button onClick={onClose}>{t('common.cancel')}</Button>
          <Button type="primary" loading={busy} onClick={() => form.submit()}>
            {t('common.save')}
          </Button>
        </Space>
      }
    >
      <Form form={form} layout="vertical" onFinish={(v) => void save(v)}>
        <Row gutter={16}>
          <Col span={24}>
            <Form.Item name="name" label={t('products.name')} rules={requiredMax(t, 200)}>
              <Input />
            </Form.Item>
          </Col>
          <Col {...half}>
            <Form.Item name="brand" label={t('products.brand')} rules={optionalMax(t, 100)}>
              <Input />
            </Form.Item>
          </Col>
          <Col {...half}>
            <Form.Item name="category" label={t('products.category')} rules={optionalMax(t, 100)}>
              <Input />
            </Form.Item>
          </Col>
          <Col {...half}>
            <Form.Item name="specification" label={t('products.specification')} rules={optionalMax(t, 200)}>
              <Input placeholder={t('products.specificationHelp')} />
            </Form.Item>
          </Col>
          <Col {...half}>
            <Form.Item
              name="gtin"
              label={t('products.gtin')}
              tooltip={t('products.gtinHelp')}
              rules={gtinRules(t)}
            >
              <Input maxLength={14} style={{ fontFamily: 'monospace' }} />
            </Form.Item>
          </Col>
          <Col {...half}>
            <Form.Item
              name="executedStandard"
              label={t('products.executedStandard')}
              rules={optionalMax(t, 100)}
            >
              <Input placeholder="GB/T 1354" />
            </Form.Item>
          </Col>
          <Col {...half}>
            <Form.Item name="shelfLifeDays" label={t('products.shelfLifeDays')}>
              <InputNumber
                min={1}
                max={36500}
                precision={0}
                style={{ width: '100%' }}
                suffix={t('products.days')}
              />
            </Form.Item>
          </Col>
          <Col span={24}>
            <Form.Item
              name="shopUrl"
              label={t('products.shopUrl')}
              rules={[{ pattern: /^https?:\/\/\S+$/, message: t('rules.url') }, ...optionalMax(t, 500)]}
            >
              <Input placeholder="https://" />
            </Form.Item>
          </Col>
          <Col span={24}>
            <Form.Item name="description" label={t('products.description')} rules={optionalMax(t, 5000)}>
              <Input.TextArea rows={4} />
            </Form.Item>
          </Col>
        </Row>
        {error === undefined ? null : <Alert type="error" showIcon title={error} />}
      </Form>
      <Divider titlePlacement="start">{t('products.images')}</Divider>
      {product === undefined ? (
        <Alert type="info" showIcon title={t('products.imagesAfterSave')} />
      ) : (
        <Space wrap size={12}>
          {product.imageFileIds.map((id) => (
            <div key={id} style={{ position: 'relative' }}>
              <Image
                src={fileUrl(id)}
                alt={product.name}
                width={104}
                height={104}
                style={{ objectFit: 'cover', borderRadius: 6 }}
              />
              <Popconfirm title={t('products.removeImage')} onConfirm={() => void removeImage(id)}>
                <Button
                  size="small"
                  danger
                  icon={<DeleteOutlined />}
                  style={{ position: 'absolute', top: 4, right: 4 }}
                />
              </Popconfirm>
            </div>
          ))}
          <Upload
            accept=".jpg,.jpeg,.png"
            showUploadList={false}
            beforeUpload={(file) => {
              void addImage(file);
              return false;
            }}
          >
            <button
              type="button"
              style={{
                width: 104,
                height: 104,
                border: '1px dashed #d9d9d9',
                borderRadius: 6,
                background: '#fafafa',
                cursor: 'pointer',
              }}
            >
              <PlusOutlined />
              <div style={{ marginTop: 8 }}>{t('products.addImage')}</div>
            </button>
          </Upload>
        </Space>
      )}
    </Drawer>
  );
}
