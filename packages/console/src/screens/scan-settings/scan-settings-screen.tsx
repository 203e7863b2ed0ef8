/**
 * Scan-page settings (扫码页设置): the enterprise's defaults or one product's own settings, with
 * the real consumer page beside the form in a phone frame, following every change. Administrators
 * edit; operators read.
 */
import { useEffect, useMemo, useState, type ReactNode } from 'react';
import { useSearchParams } from 'react-router';
import {
  Alert,
  App,
  Button,
  Empty,
  Flex,
  Form,
  Popconfirm,
  Segmented,
  Skeleton,
  Space,
  Tag,
  Typography,
} from 'antd';
import { RollbackOutlined, SaveOutlined } from '@ant-design/icons';
import { api, data } from '../../api/client.js';
import { applyFormError, errorText } from '../../api/errors.js';
import { useI18n } from '../../i18n/index.js';
import { useSession } from '../../session/session.js';
import { Page } from '../../components/page.js';
import { ProductSelect } from '../../components/product-select.js';
import { PhonePreview } from './phone-preview.js';
import { SettingsForm } from './settings-form.js';
import {
  enterpriseBody,
  overrideBody,
  valuesOfEnterprise,
  valuesOfProduct,
  type ProductSettings,
  type Settings,
  type Values,
} from './settings-values.js';

const imageErrors = {
  TRACE_SCAN_IMAGE_NOT_FOUND: 'imageFileId',
  TRACE_SCAN_IMAGE_INVALID: 'imageFileId',
} as const;

export default function ScanSettingsScreen(): ReactNode {
  const { t } = useI18n();
  const { can } = useSession();
  const { message } = App.useApp();
  const readOnly = !can('scans.configure');
  const [search, setSearch] = useSearchParams();
  const productId = search.get('productId') ?? undefined;
  const [scope, setScope] = useState<'enterprise' | 'product'>(
    productId === undefined ? 'enterprise' : 'product',
  );
  const [form] = Form.useForm<Values>();
  const [enterprise, setEnterprise] = useState<Settings>();
  const [product, setProduct] = useState<ProductSettings>();
  const [loaded, setLoaded] = useState<string>();
  const [saved, setSaved] = useState<string>();
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);
  const values = Form.useWatch([], { form, preserve: true }) as Values | undefined;
  const productScope = scope === 'product';
  const loadKey = productScope ? `p:${productId ?? ''}` : 'e';

  // Loads the enterprise's settings, and the product's when one is chosen.
  useEffect(() => {
    const state = { live: true };
    setError(undefined);
    setLoaded(undefined);
    void (async () => {
      try {
        const e = await data(api.GET('/api/v1/scan-settings'));
        const p =
          productScope && productId !== undefined
            ? await data(
                api.GET('/api/v1/products/{productId}/scan-settings', { params: { path: { productId } } }),
              )
            : undefined;
        if (!state.live) return;
        setEnterprise(e);
        setProduct(p);
        const v = p === undefined ? valuesOfEnterprise(e) : valuesOfProduct(p, e);
        form.resetFields();
        form.setFieldsValue(v);
        setSaved(JSON.stringify(productScope ? overrideBody(v) : enterpriseBody(v)));
        setLoaded(loadKey);
      } catch (e) {
        if (state.live) setError(errorText(t, e));
      }
    })();
    return () => {
      state.live = false;
    };
  }, [loadKey]);

  const ready = loaded === loadKey && values !== undefined && enterprise !== undefined;
  const current = ready
    ? JSON.stringify(productScope ? overrideBody(values) : enterpriseBody(values))
    : undefined;
  const dirty = current !== undefined && current !== saved;
  const draft = useMemo(() => {
    if (!ready) return undefined;
    return productScope
      ? productId === undefined
        ? undefined
        : { productId, override: overrideBody(values) }
      : { enterprise: enterpriseBody(values) };
  }, [current, ready, productScope, productId]);

  const save = async (v: Values): Promise<void> => {
    setBusy(true);
    setError(undefined);
    try {
      if (productScope && productId !== undefined) {
        const p = await data(
          api.PUT('/api/v1/products/{productId}/scan-settings', {
            params: { path: { productId } },
            body: overrideBody(v),
          }),
        );
        setProduct(p);
        setSaved(JSON.stringify(overrideBody(v)));
      } else {
        const e = await data(api.PUT('/api/v1/scan-settings', { body: enterpriseBody(v) }));
        setEnterprise(e);
        setSaved(JSON.stringify(enterpriseBody(valuesOfEnterprise(e))));
        form.setFieldsValue(valuesOfEnterprise(e));
      }
      void message.success(t('scanSettings.saved'));
    } catch (e) {
      setError(applyFormError(form, t, e, imageErrors));
    } finally {
      setBusy(false);
    }
  };

  const removeOverride = async (): Promise<void> => {
    if (productId === undefined || enterprise === undefined) return;
    try {
      await data(
        api.DELETE('/api/v1/products/{productId}/scan-settings', { params: { path: { productId } } }),
      );
      const p = await data(
        api.GET('/api/v1/products/{productId}/scan-settings', { params: { path: { productId } } }),
      );
      setProduct(p);
      const v = valuesOfProduct(p, enterprise);
      form.setFieldsValue(v);
      setSaved(JSON.stringify(overrideBody(v)));
      void message.success(t('scanSettings.removed'));
    } catch (e) {
      void message.error(errorText(t, e));
    }
  };

  const chooseScope = (next: 'enterprise' | 'product'): void => {
    setScope(next);
    if (next === 'enterprise') setSearch({});
  };

  return (
    <Page title={t('scanSettings.title')} subtitle={t('scanSettings.subtitle')}>
      <Flex gap={24} align="flex-start" wrap>
        <div style={{ flex: '1 1 440px', minWidth: 0 }}>
          <Flex
            gap={12}
            align="center"
            wrap
            style={{ marginBottom: 16, padding: '12px 16px', background: '#fff', borderRadius: 8 }}
          >
            <Segmented<'enterprise' | 'product'>
              value={scope}
              onChange={chooseScope}
              options={[
                { value: 'enterprise', label: t('scanSettings.scopeEnterprise') },
                { value: 'product', label: t('scanSettings.scopeProduct') },
              ]}
            />
            {productScope ? (
              <ProductSelect
                value={productId}
                onChange={(id) => setSearch(id === undefined ? {} : { productId: id })}
                style={{ width: 260 }}
              />
            ) : null}
            {productScope && product !== undefined && loaded === loadKey ? (
              product.override === null ? (
                <Tag>{t('scanSettings.noOverride')}</Tag>
              ) : (
                <Tag color="blue">{t('scanSettings.hasOverride')}</Tag>
              )
            ) : null}
          </Flex>
          <Typography.Paragraph type="secondary">{t('scanSettings.scopeHelp')}</Typography.Paragraph>
          {readOnly ? (
            <Alert type="info" showIcon title={t('scanSettings.readOnly')} style={{ marginBottom: 16 }} />
          ) : null}
          {productScope && productId === undefined ? (
            <Empty
              description={t('scanSettings.pickProductFirst')}
              style={{ padding: 48, background: '#fff', borderRadius: 8 }}
            />
          ) : loaded !== loadKey && error === undefined ? (
            <Skeleton active paragraph={{ rows: 10 }} />
          ) : null}
          <Form<Values>
            form={form}
            layout="vertical"
            disabled={readOnly}
            onFinish={(v) => void save(v)}
            style={{ display: productScope && productId === undefined ? 'none' : undefined }}
            initialValues={{ links: [], inherit: {} }}
          >
            <div style={{ display: loaded === loadKey ? undefined : 'none' }}>
              <SettingsForm
                form={form}
                productScope={productScope}
                enterprise={enterprise}
                readOnly={readOnly}
              />
            </div>
            {error === undefined ? null : (
              <Alert type="error" showIcon title={error} style={{ marginBottom: 16 }} />
            )}
            {readOnly || loaded !== loadKey ? null : (
              <Flex
                justify="space-between"
                align="center"
                gap={12}
                wrap
                style={{
                  position: 'sticky',
                  bottom: 0,
                  zIndex: 2,
                  padding: '12px 16px',
                  background: '#fff',
                  borderRadius: 8,
                  boxShadow: '0 -2px 8px rgba(0,0,0,.06)',
                }}
              >
                <span>{dirty ? <Tag color="orange">{t('scanSettings.unsaved')}</Tag> : null}</span>
                <Space>
                  {productScope && product?.override != null ? (
                    <Popconfirm
                      title={t('scanSettings.removeConfirm')}
                      onConfirm={() => void removeOverride()}
                    >
                      <Button icon={<RollbackOutlined />}>{t('scanSettings.removeOverride')}</Button>
                    </Popconfirm>
                  ) : null}
                  <Button type="primary" htmlType="submit" icon={<SaveOutlined />} loading={busy}>
                    {productScope ? t('scanSettings.saveOverride') : t('scanSettings.save')}
                  </Button>
                </Space>
              </Flex>
            )}
          </Form>
        </div>
        <div style={{ flex: '0 0 auto', position: 'sticky', top: 16 }}>
          <Typography.Title level={5} style={{ marginTop: 0 }}>
            {t('scanSettings.previewTitle')}
          </Typography.Title>
          {draft === undefined ? (
            <Flex align="center" justify="center" style={{ width: 414, height: 400 }}>
              {productScope && productId === undefined ? null : (
                <Skeleton.Node active style={{ width: 390, height: 400 }} />
              )}
            </Flex>
          ) : (
            <PhonePreview draft={draft} />
          )}
        </div>
      </Flex>
    </Page>
  );
}
