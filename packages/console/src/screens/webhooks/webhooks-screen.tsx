/**
 * Webhooks: the enterprise's EPCIS 2.0 subscriptions. Each is a named query (event type,
 * business step, identifier pattern) with a streaming subscription to an HTTPS URL; deliveries
 * are EPCIS query documents signed in `GS1-Signature` (HMAC-SHA256 under a secret shown once).
 * The list and delivery state come from `GET /api/v1/webhooks`; creating and deleting go through
 * the EPCIS binding (`epcis-subscriptions.ts`).
 */
import { useEffect, useState, type ReactNode } from 'react';
import {
  Alert,
  App,
  Button,
  Checkbox,
  Collapse,
  Drawer,
  Empty,
  Flex,
  Form,
  Input,
  InputNumber,
  Popconfirm,
  Radio,
  Select,
  Space,
  Table,
  Tag,
  Tooltip,
  Typography,
} from 'antd';
import { ApiOutlined, PlusOutlined, ReloadOutlined, SafetyCertificateOutlined } from '@ant-design/icons';
import dayjs from 'dayjs';
import { CBV_BIZ_STEPS, EPCIS_EVENT_TYPES } from '@tracemark/core';
import { api, data } from '../../api/client.js';
import { applyFormError, errorText } from '../../api/errors.js';
import type { paths } from '../../api/schema.js';
import { hasMessage, useI18n, type MessageKey, type Translate } from '../../i18n/index.js';
import { brandRed } from '../../layout/brand-logo.js';
import { Page } from '../../components/page.js';
import { SecretOnce } from '../../components/secret-once.js';
import { usePage } from '../../components/use-page.js';
import {
  createQuery,
  deleteQuery,
  deliveryOf,
  subscribe,
  unsubscribe,
  type EpcisQuery,
} from './epcis-subscriptions.js';

type Webhook =
  paths['/api/v1/webhooks']['get']['responses'][200]['content']['application/json']['items'][number];

interface Values {
  name: string;
  eventType?: string[];
  bizStep?: string[];
  epc?: string;
  dest: string;
  backfill?: boolean;
  delivery: 'stream' | 'hourly' | 'daily';
  hour?: number;
  reportIfEmpty?: boolean;
}

const codeFields = {
  TRACE_EPCIS_QUERY_EXISTS: 'name',
  TRACE_EPCIS_WEBHOOK_REFUSED: 'dest',
  TRACE_EPCIS_SUBSCRIPTION_INVALID: 'dest',
  TRACE_EPCIS_QUERY_PARAMETER: 'epc',
} as const;

const mono = { fontFamily: 'ui-monospace, SFMono-Regular, Menlo, Consolas, monospace' } as const;

const sample = `import { createHmac, timingSafeEqual } from 'node:crypto';

// rawBody: the request body exactly as received (a Buffer)
function verify(rawBody, signatureHeader, secret) {
  const expected = 'sha256=' + createHmac('sha256', secret).update(rawBody).digest('hex');
  const a = Buffer.from(signatureHeader ?? '');
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}`;

function bizStepText(t: Translate, step: string): string {
  const key = `bizStep.${step}`;
  return hasMessage(key) ? t(key as MessageKey) : step;
}

/** The values of one query parameter: a list, or a pipe-delimited string. */
function values(v: unknown): string[] {
  if (Array.isArray(v)) return v.map((x) => (typeof x === 'string' ? x : JSON.stringify(x)));
  if (typeof v === 'string') return v.split('|');
  return v === undefined || v === null ? [] : [JSON.stringify(v)];
}

/** The named query's criteria as tags. */
function Criteria({ query }: { readonly query: Webhook['query'] }): ReactNode {
  const { t } = useI18n();
  const entries = Object.entries(query);
  if (entries.length === 0) return <Tag>{t('webhooks.allEvents')}</Tag>;
  return (
    <Flex gap={4} wrap>
      {entries.flatMap(([k, v]) =>
        values(v).map((value) => {
          if (k === 'eventType') {
            return (
              <Tag key={`${k}${value}`} color="blue">
                {value}
              </Tag>
            );
          }
          if (k === 'EQ_bizStep') {
            return (
              <Tag key={`${k}${value}`} color="geekblue">
                {bizStepText(t, value)}
              </Tag>
            );
          }
          return (
            <Tooltip key={`${k}${value}`} title={k}>
              <Tag style={{ ...mono, maxWidth: 260, overflow: 'hidden', textOverflow: 'ellipsis' }}>
                {value}
              </Tag>
            </Tooltip>
          );
        }),
      )}
    </Flex>
  );
}

function DeliveryStatus({ hook }: { readonly hook: Webhook }): ReactNode {
  const { t } = useI18n();
  if (hook.status === 'idle') return <Tag color="success">{t('webhooks.statusIdle')}</Tag>;
  if (hook.status === 'delivering') {
    return <Tag color="processing">{t('webhooks.statusDelivering')}</Tag>;
  }
  return (
    <Tooltip
      title={t('webhooks.failingDetail', {
        failing: hook.failing,
        attempts: hook.attempts,
        error: hook.lastError ?? '—',
        next: hook.nextAttemptAt === null ? '—' : dayjs(hook.nextAttemptAt).format('YYYY-MM-DD HH:mm:ss'),
      })}
    >
      <Tag color="error">{t('webhooks.statusFailing')}</Tag>
    </Tooltip>
  );
}

function SignatureHelp(): ReactNode {
  const { t } = useI18n();
  const code = {
    ...mono,
    background: '#f6f7f9',
    border: '1px solid #eceef2',
    padding: '10px 12px',
    borderRadius: 6,
    margin: 0,
    fontSize: 12,
    whiteSpace: 'pre-wrap',
    wordBreak: 'break-all',
  } as const;
  return (
    <Flex vertical gap={8}>
      <Typography.Text>{t('webhooks.verifyIntro')}</Typography.Text>
      <pre style={code}>{t('webhooks.verifyHeader')}</pre>
      <ol style={{ margin: 0, paddingInlineStart: 20 }}>
        <li>{t('webhooks.verifyStep1')}</li>
        <li>{t('webhooks.verifyStep2')}</li>
        <li>{t('webhooks.verifyStep3')}</li>
        <li>{t('webhooks.verifyStep4')}</li>
      </ol>
      <Typography.Text strong>{t('webhooks.verifyExample')}</Typography.Text>
      <pre style={code}>{sample}</pre>
    </Flex>
  );
}

export default function WebhooksScreen(): ReactNode {
  const { t } = useI18n();
  const { message } = App.useApp();
  const { page, loading, reload } = usePage(async () => {
    const { items } = await data(api.GET('/api/v1/webhooks'));
    return { items, total: items.length, page: 1, pageSize: items.length };
  }, {});
  const hooks = page?.items ?? [];
  const [open, setOpen] = useState(false);
  const [form] = Form.useForm<Values>();
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);
  const [created, setCreated] = useState<{ name: string; secret: string }>();

  // While events are queued, the delivery state is looked at again now and then.
  const delivering = hooks.some((h) => h.pending > 0);
  useEffect(() => {
    if (!delivering) return undefined;
    const timer = setInterval(reload, 10_000);
    return () => clearInterval(timer);
  }, [delivering, reload]);

  const create = async (v: Values): Promise<void> => {
    setBusy(true);
    setError(undefined);
    const name = v.name.trim();
    const epcs = (v.epc ?? '')
      .split(/[\s,，]+/)
      .map((s) => s.trim())
      .filter((s) => s !== '');
    const query: EpcisQuery = {
      ...(v.eventType === undefined || v.eventType.length === 0 ? {} : { eventType: v.eventType }),
      ...(v.bizStep === undefined || v.bizStep.length === 0 ? {} : { EQ_bizStep: v.bizStep }),
      ...(epcs.length === 0 ? {} : { MATCH_epc: epcs }),
    };
    let queryMade = false;
    try {
      await createQuery(name, query);
      queryMade = true;
      const sub = await subscribe(
        name,
        v.dest.trim(),
        deliveryOf(v.delivery, v.hour ?? 8, v.reportIfEmpty === true),
        v.backfill === true ? new Date(0).toISOString() : undefined,
      );
      setOpen(false);
      form.resetFields();
      setCreated({ name, secret: sub.signatureToken ?? '' });
      reload();
    } catch (e) {
      // A refused destination leaves no half-made webhook behind.
      if (queryMade) await deleteQuery(name).catch(() => undefined);
      setError(applyFormError(form, t, e, codeFields));
    } finally {
      setBusy(false);
    }
  };

  const remove = async (hook: Webhook): Promise<void> => {
    try {
      await unsubscribe(hook.queryName, hook.subscriptionId);
      // The named query was made for this webhook: it goes too when nothing else follows it.
      if (!hooks.some((h) => h.queryName === hook.queryName && h.subscriptionId !== hook.subscriptionId)) {
        await deleteQuery(hook.queryName).catch(() => undefined);
      }
      void message.success(t('webhooks.deleted'));
      reload();
    } catch (e) {
      void message.error(errorText(t, e));
    }
  };

  const when = (ms: number | null): string => (ms === null ? '—' : dayjs(ms).format('YYYY-MM-DD HH:mm:ss'));

  return (
    <Page
      title={t('webhooks.title')}
      subtitle={t('webhooks.subtitle')}
      extra={
        <Space>
          <Tooltip title={t('webhooks.refresh')}>
            <Button icon={<ReloadOutlined />} onClick={reload} aria-label={t('webhooks.refresh')} />
          </Tooltip>
          <Button
            type="primary"
            icon={<PlusOutlined />}
            onClick={() => {
              form.resetFields();
              setError(undefined);
              setOpen(true);
            }}
          >
            {t('webhooks.create')}
          </Button>
        </Space>
      }
    >
      <Table<Webhook>
        rowKey="subscriptionId"
        loading={loading}
        dataSource={hooks}
        scroll={{ x: 1180 }}
        locale={{
          emptyText: <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('webhooks.empty')} />,
        }}
        pagination={{
          pageSize: 20,
          hideOnSinglePage: true,
          showTotal: (total) => t('common.total', { total }),
        }}
        columns={[
          {
            key: 'name',
            title: t('webhooks.name'),
            dataIndex: 'queryName',
            width: 160,
            render: (v: string) => (
              <Space>
                <ApiOutlined style={{ color: brandRed }} />
                <Typography.Text strong>{v}</Typography.Text>
              </Space>
            ),
          },
          {
            key: 'query',
            title: t('webhooks.query'),
            dataIndex: 'query',
            width: 240,
            render: (q: Webhook['query']) => <Criteria query={q} />,
          },
          {
            key: 'dest',
            title: t('webhooks.dest'),
            dataIndex: 'dest',
            width: 240,
            render: (v: string) => (
              <Typography.Text
                copyable={{ text: v }}
                ellipsis={{ tooltip: v }}
                style={{ ...mono, maxWidth: 210 }}
              >
                {v}
              </Typography.Text>
            ),
          },
          {
            key: 'status',
            title: t('webhooks.status'),
            width: 120,
            render: (_v, h) => (
              <Flex vertical gap={2} align="flex-start">
                <DeliveryStatus hook={h} />
                {h.pending > 0 ? (
                  <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                    {t('webhooks.pendingCount', { count: h.pending })}
                  </Typography.Text>
                ) : null}
              </Flex>
            ),
          },
          {
            key: 'lastDeliveredAt',
            title: t('webhooks.lastDelivered'),
            dataIndex: 'lastDeliveredAt',
            width: 160,
            render: (v: number | null) =>
              v === null ? (
                <Typography.Text type="secondary">{t('webhooks.neverDelivered')}</Typography.Text>
              ) : (
                when(v)
              ),
          },
          {
            key: 'createdAt',
            title: t('webhooks.createdAt'),
            dataIndex: 'createdAt',
            width: 160,
            render: (v: number) => when(v),
          },
          {
            key: 'actions',
            title: t('common.actions'),
            fixed: 'right',
            width: 100,
            render: (_v, h) => (
              <Popconfirm
                title={t('webhooks.deleteConfirm', { dest: h.dest })}
                okText={t('webhooks.delete')}
                okButtonProps={{ danger: true }}
                cancelText={t('common.cancel')}
                onConfirm={() => void remove(h)}
              >
                <Button type="link" size="small" danger>
                  {t('webhooks.delete')}
                </Button>
              </Popconfirm>
            ),
          },
        ]}
      />
      <Collapse
        style={{ marginTop: 16, background: '#fff' }}
        items={[
          {
            key: 'verify',
            label: (
              <Space>
                <SafetyCertificateOutlined />
                {t('webhooks.verifyTitle')}
              </Space>
            ),
            children: <SignatureHelp />,
          },
        ]}
      />
      <Drawer
        open={open}
        onClose={() => setOpen(false)}
        size={560}
        title={t('webhooks.create')}
        destroyOnHidden
        extra={
          <Space>
            <Button onClick={() => setOpen(false)}>{t('common.cancel')}</Button>
            <Button type="primary" loading={busy} onClick={() => form.submit()}>
              {t('common.save')}
            </Button>
          </Space>
        }
      >
        <Form<Values> name="webhook" form={form} layout="vertical" onFinish={(v) => void create(v)}>
          <Form.Item
            name="name"
            label={t('webhooks.name')}
            extra={t('webhooks.nameHelp')}
            rules={[
              { required: true, whitespace: true, message: t('rules.required') },
              { max: 100, message: t('rules.maxLength', { max: 100 }) },
              { pattern: /^[A-Za-z0-9_.~-]+$/, message: t('webhooks.namePattern') },
            ]}
          >
            <Input autoComplete="off" placeholder="shipping-to-erp" />
          </Form.Item>
          <Typography.Title level={5} style={{ marginTop: 8 }}>
            {t('webhooks.filters')}
          </Typography.Title>
          <Typography.Paragraph type="secondary">{t('webhooks.filtersHelp')}</Typography.Paragraph>
          <Form.Item name="eventType" label={t('webhooks.eventType')}>
            <Select
              mode="multiple"
              allowClear
              placeholder={t('webhooks.eventTypeAll')}
              options={EPCIS_EVENT_TYPES.map((type) => ({
                value: type,
                label: `${type} · ${t(`webhooks.eventType_${type}` as MessageKey)}`,
              }))}
            />
          </Form.Item>
          <Form.Item name="bizStep" label={t('webhooks.bizStep')}>
            <Select
              mode="multiple"
              allowClear
              showSearch={{ optionFilterProp: 'label' }}
              placeholder={t('webhooks.bizStepAll')}
              options={CBV_BIZ_STEPS.map((step) => ({
                value: step,
                label: bizStepText(t, step) === step ? step : `${bizStepText(t, step)} (${step})`,
              }))}
            />
          </Form.Item>
          <Form.Item name="epc" label={t('webhooks.epc')} extra={t('webhooks.epcHelp')}>
            <Input.TextArea
              autoSize={{ minRows: 1, maxRows: 4 }}
              style={mono}
              placeholder="urn:epc:idpat:sgtin:0614141.107346.*"
            />
          </Form.Item>
          <Form.Item
            name="dest"
            label={t('webhooks.dest')}
            extra={t('webhooks.destHelp')}
            rules={[
              { required: true, whitespace: true, message: t('rules.required') },
              { max: 2000, message: t('rules.maxLength', { max: 2000 }) },
              { pattern: /^https?:\/\/[^\s/]+/i, message: t('rules.url') },
            ]}
          >
            <Input autoComplete="off" placeholder="https://erp.example.com/epcis/webhook" style={mono} />
          </Form.Item>
          <Form.Item name="delivery" label={t('webhooks.delivery')} initialValue="stream">
            <Radio.Group
              options={[
                { value: 'stream', label: t('webhooks.deliveryStream') },
                { value: 'hourly', label: t('webhooks.deliveryHourly') },
                { value: 'daily', label: t('webhooks.deliveryDaily') },
              ]}
            />
          </Form.Item>
          <Form.Item noStyle dependencies={['delivery']}>
            {({ getFieldValue }) =>
              getFieldValue('delivery') === 'stream' ? null : (
                <>
                  {getFieldValue('delivery') === 'daily' ? (
                    <Form.Item name="hour" label={t('webhooks.deliveryHour')} initialValue={8}>
                      <InputNumber min={0} max={23} precision={0} suffix={t('webhooks.deliveryHourUnit')} />
                    </Form.Item>
                  ) : null}
                  <Form.Item
                    name="reportIfEmpty"
                    valuePropName="checked"
                    extra={t('webhooks.reportIfEmptyHelp')}
                  >
                    <Checkbox>{t('webhooks.reportIfEmpty')}</Checkbox>
                  </Form.Item>
                </>
              )
            }
          </Form.Item>
          <Form.Item name="backfill" valuePropName="checked" extra={t('webhooks.backfillHelp')}>
            <Checkbox>{t('webhooks.backfill')}</Checkbox>
          </Form.Item>
          {error === undefined ? null : <Alert type="error" showIcon title={error} />}
        </Form>
      </Drawer>
      <SecretOnce
        open={created !== undefined}
        title={t('webhooks.secretTitle')}
        warning={t('webhooks.secretWarning')}
        label={t('webhooks.secret')}
        secret={created?.secret ?? ''}
        copyText={t('webhooks.copySecret')}
        copiedText={t('apiKeys.copied')}
        closeText={t('webhooks.savedIt')}
        onClose={() => setCreated(undefined)}
      >
        <Collapse
          size="small"
          items={[{ key: 'verify', label: t('webhooks.verifyTitle'), children: <SignatureHelp /> }]}
        />
      </SecretOnce>
    </Page>
  );
}
