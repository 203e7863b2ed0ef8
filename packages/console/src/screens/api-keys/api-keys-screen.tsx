/**
 * The enterprise's API keys: listed without their secrets (prefix, permissions, last use), made
 * with a name and a permission level (the key's role), the key shown once; revoked at once.
 */
import { useMemo, useState, type ReactNode } from 'react';
import {
  Alert,
  App,
  Button,
  Checkbox,
  Empty,
  Form,
  Input,
  Modal,
  Popconfirm,
  Radio,
  Space,
  Table,
  Tag,
  Tooltip,
  Typography,
} from 'antd';
import { KeyOutlined, PlusOutlined } from '@ant-design/icons';
import { api, data } from '../../api/client.js';
import { applyFormError, errorText } from '../../api/errors.js';
import type { paths } from '../../api/schema.js';
import { useI18n } from '../../i18n/index.js';
import { brandRed } from '../../layout/brand-logo.js';
import { Page } from '../../components/page.js';
import { SecretOnce } from '../../components/secret-once.js';
import { requiredMax } from '../../components/rules.js';
import { usePage } from '../../components/use-page.js';

type ApiKey =
  paths['/api/v1/api-keys']['get']['responses'][200]['content']['application/json']['items'][number];
type KeyRole = 'enterprise_operator' | 'distributor_user';

interface Values {
  name: string;
  role: KeyRole;
}

const mono = { fontFamily: 'ui-monospace, SFMono-Regular, Menlo, Consolas, monospace' } as const;

export default function ApiKeysScreen(): ReactNode {
  const { t } = useI18n();
  const { message } = App.useApp();
  // The API answers every key of the enterprise at once (a handful), so paging is local.
  const { page, loading, reload } = usePage(async () => {
    const { items } = await data(api.GET('/api/v1/api-keys'));
    return { items, total: items.length, page: 1, pageSize: items.length };
  }, {});
  const [showRevoked, setShowRevoked] = useState(false);
  const [open, setOpen] = useState(false);
  const [form] = Form.useForm<Values>();
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);
  const [created, setCreated] = useState<{ name: string; key: string }>();

  const keys = useMemo(
    () => (page?.items ?? []).filter((k) => showRevoked || k.revokedAt === null),
    [page, showRevoked],
  );
  const revokedCount = (page?.items ?? []).filter((k) => k.revokedAt !== null).length;

  const roleText = (role: string): string =>
    role === 'distributor_user' ? t('apiKeys.roleDistributor') : t('apiKeys.roleOperator');

  const create = async (v: Values): Promise<void> => {
    setBusy(true);
    setError(undefined);
    try {
      const key = await data(api.POST('/api/v1/api-keys', { body: { name: v.name.trim(), role: v.role } }));
      setOpen(false);
      form.resetFields();
      setCreated({ name: key.name, key: key.key });
      reload();
    } catch (e) {
      setError(applyFormError(form, t, e));
    } finally {
      setBusy(false);
    }
  };

  const revoke = async (k: ApiKey): Promise<void> => {
    try {
      await data(api.DELETE('/api/v1/api-keys/{keyId}', { params: { path: { keyId: k.id } } }));
      void message.success(t('apiKeys.revokedDone'));
      reload();
    } catch (e) {
      void message.error(errorText(t, e));
    }
  };

  const when = (ms: number | null): string => (ms === null ? '—' : new Date(ms).toLocaleString());

  return (
    <Page
      title={t('apiKeys.title')}
      subtitle={t('apiKeys.subtitle')}
      extra={
        <Button
          type="primary"
          icon={<PlusOutlined />}
          onClick={() => {
            form.resetFields();
            setError(undefined);
            setOpen(true);
          }}
        >
          {t('apiKeys.create')}
        </Button>
      }
    >
      <Alert type="info" showIcon title={t('apiKeys.security')} style={{ marginBottom: 16 }} />
      <Space style={{ marginBottom: 12 }}>
        <Checkbox checked={showRevoked} onChange={(e) => setShowRevoked(e.target.checked)}>
          {t('apiKeys.showRevoked')}
          {revokedCount > 0 ? ` (${revokedCount})` : ''}
        </Checkbox>
      </Space>
      <Table<ApiKey>
        rowKey="id"
        loading={loading}
        dataSource={keys}
        scroll={{ x: 980 }}
        locale={{
          emptyText: (
            <Empty
              image={Empty.PRESENTED_IMAGE_SIMPLE}
              description={revokedCount > 0 && !showRevoked ? t('apiKeys.emptyFiltered') : t('apiKeys.empty')}
            />
          ),
        }}
        pagination={{
          pageSize: 20,
          hideOnSinglePage: true,
          showTotal: (total) => t('common.total', { total }),
        }}
        columns={[
          {
            key: 'name',
            title: t('apiKeys.name'),
            dataIndex: 'name',
            render: (v: string, k) => (
              <Space>
                <KeyOutlined style={{ color: k.revokedAt === null ? brandRed : '#bfbfbf' }} />
                <Typography.Text strong delete={k.revokedAt !== null}>
                  {v}
                </Typography.Text>
              </Space>
            ),
          },
          {
            key: 'prefix',
            title: t('apiKeys.prefix'),
            dataIndex: 'prefix',
            render: (v: string) => <Typography.Text style={mono}>{`${v}…`}</Typography.Text>,
          },
          {
            key: 'role',
            title: t('apiKeys.role'),
            dataIndex: 'role',
            render: (v: string) => (
              <Tooltip
                title={
                  v === 'distributor_user' ? t('apiKeys.roleDistributorHelp') : t('apiKeys.roleOperatorHelp')
                }
              >
                <Tag color={v === 'distributor_user' ? 'geekblue' : 'blue'}>{roleText(v)}</Tag>
              </Tooltip>
            ),
          },
          { key: 'createdBy', title: t('apiKeys.createdBy'), dataIndex: 'createdBy' },
          {
            key: 'createdAt',
            title: t('apiKeys.createdAt'),
            dataIndex: 'createdAt',
            render: (v: number) => when(v),
          },
          {
            key: 'lastUsedAt',
            title: t('apiKeys.lastUsedAt'),
            dataIndex: 'lastUsedAt',
            render: (v: number | null) =>
              v === null ? (
                <Typography.Text type="secondary">{t('apiKeys.neverUsed')}</Typography.Text>
              ) : (
                when(v)
              ),
          },
          {
            key: 'status',
            title: t('common.status'),
            dataIndex: 'revokedAt',
            render: (v: number | null) =>
              v === null ? (
                <Tag color="success">{t('apiKeys.active')}</Tag>
              ) : (
                <Tooltip title={`${t('apiKeys.revokedAt')}: ${when(v)}`}>
                  <Tag>{t('apiKeys.revoked')}</Tag>
                </Tooltip>
              ),
          },
          {
            key: 'actions',
            title: t('common.actions'),
            fixed: 'right',
            width: 100,
            render: (_v, k) =>
              k.revokedAt === null ? (
                <Popconfirm
                  title={t('apiKeys.revokeConfirm', { name: k.name })}
                  okText={t('apiKeys.revoke')}
                  okButtonProps={{ danger: true }}
                  cancelText={t('common.cancel')}
                  onConfirm={() => void revoke(k)}
                >
                  <Button type="link" size="small" danger>
                    {t('apiKeys.revoke')}
                  </Button>
                </Popconfirm>
              ) : null,
          },
        ]}
      />
      <Modal
        open={open}
        title={t('apiKeys.create')}
        onCancel={() => setOpen(false)}
        onOk={() => form.submit()}
        okButtonProps={{ loading: busy }}
        okText={t('apiKeys.create')}
        cancelText={t('common.cancel')}
        width={560}
        destroyOnHidden
      >
        <Form<Values>
          name="apiKey"
          form={form}
          layout="vertical"
          initialValues={{ role: 'enterprise_operator' }}
          onFinish={(v) => void create(v)}
        >
          <Form.Item
            name="name"
            label={t('apiKeys.name')}
            extra={t('apiKeys.nameHelp')}
            rules={requiredMax(t, 100)}
          >
            <Input autoComplete="off" maxLength={100} />
          </Form.Item>
          <Form.Item
            name="role"
            label={t('apiKeys.role')}
            rules={[{ required: true, message: t('rules.required') }]}
          >
            <Radio.Group style={{ width: '100%' }}>
              <Space orientation="vertical">
                <Radio value="enterprise_operator">
                  <Typography.Text strong>{t('apiKeys.roleOperator')}</Typography.Text>
                  <br />
                  <Typography.Text type="secondary">{t('apiKeys.roleOperatorHelp')}</Typography.Text>
                </Radio>
                <Radio value="distributor_user">
                  <Typography.Text strong>{t('apiKeys.roleDistributor')}</Typography.Text>
                  <br />
                  <Typography.Text type="secondary">{t('apiKeys.roleDistributorHelp')}</Typography.Text>
                </Radio>
              </Space>
            </Radio.Group>
          </Form.Item>
          {error === undefined ? null : <Alert type="error" showIcon title={error} />}
        </Form>
      </Modal>
      <SecretOnce
        open={created !== undefined}
        title={t('apiKeys.createdTitle', { name: created?.name ?? '' })}
        warning={t('apiKeys.createdWarning')}
        label={t('apiKeys.title')}
        secret={created?.key ?? ''}
        copyText={t('apiKeys.copy')}
        copiedText={t('apiKeys.copied')}
        closeText={t('apiKeys.savedIt')}
        onClose={() => setCreated(undefined)}
      >
        <div>
          <Typography.Text type="secondary">{t('apiKeys.usage')}</Typography.Text>
          <pre
            style={{
              ...mono,
              background: '#f5f5f5',
              padding: '8px 12px',
              borderRadius: 6,
              margin: '6px 0 0',
              whiteSpace: 'pre-wrap',
              wordBreak: 'break-all',
            }}
          >
            {`Authorization: Bearer ${created?.key ?? ''}`}
          </pre>
        </div>
      </SecretOnce>
    </Page>
  );
}
