/**
 * The people of the enterprise: listed and searched on the server, created with a role and an
 * initial password (changed at first login), edited, disabled or enabled, and given a new
 * temporary password by the admin (their sessions end; they change it at next login).
 */
import { useState, type ReactNode } from 'react';
import {
  Alert,
  App,
  Button,
  Dropdown,
  Empty,
  Flex,
  Form,
  Input,
  Modal,
  Select,
  Space,
  Table,
  Tag,
  Tooltip,
  Typography,
} from 'antd';
import { DownOutlined, PlusOutlined, ThunderboltOutlined } from '@ant-design/icons';
import { api, data } from '../../api/client.js';
import { applyFormError, errorText } from '../../api/errors.js';
import type { paths } from '../../api/schema.js';
import { useI18n, type MessageKey } from '../../i18n/index.js';
import { useMe } from '../../session/session.js';
import { Page } from '../../components/page.js';
import { StatusTag } from '../../components/status-tag.js';
import { passwordRules, phoneRules, requiredMax } from '../../components/rules.js';
import { usePage } from '../../components/use-page.js';

type User = paths['/api/v1/users/{userId}']['get']['responses'][200]['content']['application/json'];
type EnterpriseRole = 'enterprise_admin' | 'enterprise_operator' | 'distributor_user';

const enterpriseRoles: readonly EnterpriseRole[] = [
  'enterprise_admin',
  'enterprise_operator',
  'distributor_user',
];
// Tag colours whose text keeps 4.5:1 on its tint (not cyan, orange or gold).
const roleColours: Readonly<Record<string, string>> = {
  enterprise_admin: 'red',
  enterprise_operator: 'blue',
  distributor_user: 'geekblue',
};

interface Query {
  page: number;
  pageSize: number;
  q?: string;
  role?: EnterpriseRole;
}

interface CreateValues {
  username: string;
  displayName: string;
  role: EnterpriseRole;
  password: string;
  email?: string;
  phone?: string;
}

interface EditValues {
  displayName: string;
  role: EnterpriseRole;
  email?: string;
  phone?: string;
}

const codeFields = {
  TRACE_USER_USERNAME_TAKEN: 'username',
  TRACE_AUTH_WEAK_PASSWORD: 'password',
  TRACE_USER_ROLE_NOT_ALLOWED: 'role',
} as const;

/** A password the policy accepts: 14 characters of letters and digits, at least one of each. */
function randomPassword(): string {
  const letters = 'abcdefghjkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ';
  const digits = '23456789';
  const all = letters + digits;
  const bytes = crypto.getRandomValues(new Uint32Array(14));
  const chars = [...bytes].map((b, i) => {
    const set = i === 0 ? letters : i === 1 ? digits : all;
    return set[b % set.length] ?? 'x';
  });
  return chars.join('');
}

function optional(v: string | undefined): string | undefined {
  return v === undefined || v.trim() === '' ? undefined : v.trim();
}

export default function UsersScreen(): ReactNode {
  const { t } = useI18n();
  const me = useMe();
  const { message, modal } = App.useApp();
  const [query, setQuery] = useState<Query>({ page: 1, pageSize: 20 });
  const { page, loading, reload } = usePage(
    (q: Query) => data(api.GET('/api/v1/users', { params: { query: q } })),
    query,
  );
  const [createOpen, setCreateOpen] = useState(false);
  const [createForm] = Form.useForm<CreateValues>();
  const [editing, setEditing] = useState<User>();
  const [editForm] = Form.useForm<EditValues>();
  const [resetting, setResetting] = useState<User>();
  const [resetForm] = Form.useForm<{ password: string }>();
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);

  const roleLabel = (role: string): string => t(`roles.${role}` as MessageKey);
  const roleOptions = enterpriseRoles.map((r) => ({
    value: r,
    label: (
      <Flex vertical>
        <span>{roleLabel(r)}</span>
        <Typography.Text type="secondary" style={{ fontSize: 12, whiteSpace: 'normal' }}>
          {t(`users.roleHelp_${r}` as MessageKey)}
        </Typography.Text>
      </Flex>
    ),
    title: roleLabel(r),
  }));

  const run = async (work: () => Promise<void>, form?: Parameters<typeof applyFormError>[0]) => {
    setBusy(true);
    setError(undefined);
    try {
      await work();
    } catch (e) {
      if (form === undefined) void message.error(errorText(t, e));
      else setError(applyFormError(form, t, e, codeFields));
    } finally {
      setBusy(false);
    }
  };

  const create = (v: CreateValues) =>
    run(async () => {
      const email = optional(v.email);
      const phone = optional(v.phone);
      await data(
        api.POST('/api/v1/users', {
          body: {
            username: v.username.trim(),
            displayName: v.displayName.trim(),
            role: v.role,
            password: v.password,
            ...(email === undefined ? {} : { email }),
            ...(phone === undefined ? {} : { phone }),
          },
        }),
      );
      setCreateOpen(false);
      createForm.resetFields();
      void message.success(t('users.created'));
      reload();
    }, createForm);

  const save = (u: User, v: EditValues) =>
    run(async () => {
      await data(
        api.PATCH('/api/v1/users/{userId}', {
          params: { path: { userId: u.id } },
          body: {
            displayName: v.displayName.trim(),
            ...(u.id === me.user.id || v.role === u.role ? {} : { role: v.role }),
            email: optional(v.email) ?? null,
            phone: optional(v.phone) ?? null,
          },
        }),
      );
      setEditing(undefined);
      void message.success(t('users.saved'));
      reload();
    }, editForm);

  const setStatus = (u: User, status: 'active' | 'disabled') =>
    run(async () => {
      await data(
        api.PATCH('/api/v1/users/{userId}', { params: { path: { userId: u.id } }, body: { status } }),
      );
      void message.success(status === 'active' ? t('users.enabled') : t('users.disabled'));
      reload();
    });

  const reset = (u: User, password: string) =>
    run(async () => {
      await data(
        api.PATCH('/api/v1/users/{userId}', { params: { path: { userId: u.id } }, body: { password } }),
      );
      setResetting(undefined);
      void message.success(t('users.resetDone'));
      reload();
    }, resetForm);

  const confirmStatus = (u: User): void => {
    const disabling = u.status === 'active';
    void modal.confirm({
      title: disabling
        ? t('users.disableConfirm', { name: u.displayName })
        : t('users.enableConfirm', { name: u.displayName }),
      okText: disabling ? t('users.disable') : t('users.enable'),
      okButtonProps: { danger: disabling },
      cancelText: t('common.cancel'),
      onOk: () => setStatus(u, disabling ? 'disabled' : 'active'),
    });
  };

  const when = (ms: number | null): string => (ms === null ? '—' : new Date(ms).toLocaleString());

  const generateInto = (form: {
    setFieldValue: (name: 'password', value: string) => void;
    validateFields: (names: ['password']) => Promise<unknown>;
  }) => {
    form.setFieldValue('password', randomPassword());
    void form.validateFields(['password']).catch(() => undefined);
  };

  return (
    <Page
      title={t('users.title')}
      subtitle={t('users.subtitle')}
      extra={
        <Button
          type="primary"
          icon={<PlusOutlined />}
          onClick={() => {
            createForm.resetFields();
            setError(undefined);
            setCreateOpen(true);
          }}
        >
          {t('users.create')}
        </Button>
      }
    >
      <Space style={{ marginBottom: 16 }} wrap>
        <Input.Search
          allowClear
          placeholder={t('users.search')}
          style={{ width: 260 }}
          onSearch={(q) => setQuery({ ...query, page: 1, q: q === '' ? undefined : q })}
        />
        <Select<EnterpriseRole | undefined>
          aria-label={t('users.role')}
          allowClear
          placeholder={t('users.allRoles')}
          style={{ width: 180 }}
          value={query.role}
          onChange={(role) => setQuery({ ...query, page: 1, role })}
          options={enterpriseRoles.map((r) => ({ value: r, label: roleLabel(r) }))}
        />
      </Space>
      <Table<User>
        rowKey="id"
        loading={loading}
        dataSource={page?.items ?? []}
        scroll={{ x: 1100 }}
        locale={{
          emptyText: (
            <Empty
              description={
                query.q !== undefined || query.role !== undefined ? t('common.noMatch') : t('users.empty')
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
        onChange={(p) => setQuery({ ...query, page: p.current ?? 1, pageSize: p.pageSize ?? 20 })}
        columns={[
          {
            key: 'displayName',
            title: t('users.displayName'),
            dataIndex: 'displayName',
            render: (v: string, u) => (
              <Space size={6}>
                <Typography.Text strong>{v}</Typography.Text>
                {u.id === me.user.id ? <Tag color="purple">{t('users.me')}</Tag> : null}
              </Space>
            ),
          },
          {
            key: 'username',
            title: t('users.username'),
            dataIndex: 'username',
            render: (v: string) => <Typography.Text code>{v}</Typography.Text>,
          },
          {
            key: 'role',
            title: t('users.role'),
            dataIndex: 'role',
            render: (v: string) => (
              <Tooltip title={t(`users.roleHelp_${v}` as MessageKey)}>
                <Tag color={roleColours[v] ?? 'default'}>{roleLabel(v)}</Tag>
              </Tooltip>
            ),
          },
          {
            key: 'contact',
            title: `${t('users.email')} / ${t('users.phone')}`,
            render: (_v, u) =>
              u.email === null && u.phone === null ? (
                '—'
              ) : (
                <Flex vertical>
                  {u.email === null ? null : <span>{u.email}</span>}
                  {u.phone === null ? null : <Typography.Text type="secondary">{u.phone}</Typography.Text>}
                </Flex>
              ),
          },
          {
            key: 'status',
            title: t('common.status'),
            dataIndex: 'status',
            render: (s: string, u) => (
              <Space size={4} wrap>
                <StatusTag status={s} />
                {u.mustChangePassword ? <Tag color="magenta">{t('users.mustChange')}</Tag> : null}
              </Space>
            ),
          },
          {
            key: 'lastLoginAt',
            title: t('users.lastLogin'),
            dataIndex: 'lastLoginAt',
            render: (v: number | null) =>
              v === null ? <Typography.Text type="secondary">{t('users.never')}</Typography.Text> : when(v),
          },
          {
            key: 'createdAt',
            title: t('users.createdAt'),
            dataIndex: 'createdAt',
            render: (v: number) => when(v),
          },
          {
            key: 'actions',
            title: t('common.actions'),
            fixed: 'right',
            width: 150,
            render: (_v, u) => {
              const self = u.id === me.user.id;
              return (
                <Space size={0}>
                  <Button
                    type="link"
                    size="small"
                    onClick={() => {
                      setError(undefined);
                      editForm.setFieldsValue({
                        displayName: u.displayName,
                        role: u.role as EnterpriseRole,
                        email: u.email ?? undefined,
                        phone: u.phone ?? undefined,
                      });
                      setEditing(u);
                    }}
                  >
                    {t('users.edit')}
                  </Button>
                  {self ? (
                    <Tooltip title={t('users.selfHint')}>
                      <Button type="link" size="small" disabled>
                        {t('users.more')} <DownOutlined />
                      </Button>
                    </Tooltip>
                  ) : (
                    <Dropdown
                      trigger={['click']}
                      menu={{
                        items: [
                          { key: 'reset', label: t('users.resetPassword') },
                          {
                            key: 'status',
                            danger: u.status === 'active',
                            label: u.status === 'active' ? t('users.disable') : t('users.enable'),
                          },
                        ],
                        onClick: ({ key }) => {
                          if (key === 'status') confirmStatus(u);
                          else {
                            setError(undefined);
                            resetForm.setFieldsValue({ password: randomPassword() });
                            setResetting(u);
                          }
                        },
                      }}
                    >
                      <Button type="link" size="small" data-testid={`more-${u.username}`}>
                        {t('users.more')} <DownOutlined />
                      </Button>
                    </Dropdown>
                  )}
                </Space>
              );
            },
          },
        ]}
      />

      <Modal
        open={createOpen}
        title={t('users.create')}
        onCancel={() => setCreateOpen(false)}
        onOk={() => createForm.submit()}
        okButtonProps={{ loading: busy }}
        okText={t('common.save')}
        cancelText={t('common.cancel')}
        width={600}
        destroyOnHidden
      >
        <Form<CreateValues>
          name="userCreate"
          form={createForm}
          layout="vertical"
          initialValues={{ role: 'enterprise_operator' }}
          onFinish={(v) => void create(v)}
        >
          <Form.Item name="displayName" label={t('users.displayName')} rules={requiredMax(t, 100)}>
            <Input />
          </Form.Item>
          <Form.Item
            name="username"
            label={t('users.username')}
            extra={t('users.usernameHelp')}
            rules={[
              { required: true, message: t('rules.required') },
              { pattern: /^[A-Za-z0-9._-]{3,64}$/, message: t('users.usernameHelp') },
            ]}
          >
            <Input autoComplete="off" />
          </Form.Item>
          <Form.Item
            name="role"
            label={t('users.role')}
            rules={[{ required: true, message: t('rules.required') }]}
          >
            <Select options={roleOptions} optionLabelProp="title" />
          </Form.Item>
          <Form.Item label={t('users.password')} required extra={t('users.passwordHelp')}>
            <Flex gap={8}>
              <Form.Item name="password" noStyle rules={passwordRules(t)}>
                <Input.Password autoComplete="new-password" />
              </Form.Item>
              <Button icon={<ThunderboltOutlined />} onClick={() => generateInto(createForm)}>
                {t('users.generate')}
              </Button>
            </Flex>
          </Form.Item>
          <Flex gap={16}>
            <Form.Item
              name="email"
              label={t('users.email')}
              style={{ flex: 1 }}
              rules={[{ type: 'email', message: t('rules.email') }]}
            >
              <Input />
            </Form.Item>
            <Form.Item name="phone" label={t('users.phone')} style={{ flex: 1 }} rules={phoneRules(t, false)}>
              <Input />
            </Form.Item>
          </Flex>
          {error === undefined ? null : <Alert type="error" showIcon title={error} />}
        </Form>
      </Modal>

      <Modal
        open={editing !== undefined}
        title={t('users.editTitle', { name: editing?.displayName ?? '' })}
        onCancel={() => setEditing(undefined)}
        onOk={() => editForm.submit()}
        okButtonProps={{ loading: busy }}
        okText={t('common.save')}
        cancelText={t('common.cancel')}
        width={600}
        forceRender
      >
        <Form<EditValues>
          name="userEdit"
          form={editForm}
          layout="vertical"
          onFinish={(v) => {
            if (editing !== undefined) void save(editing, v);
          }}
        >
          <Form.Item label={t('users.username')}>
            <Typography.Text code>{editing?.username}</Typography.Text>
          </Form.Item>
          <Form.Item name="displayName" label={t('users.displayName')} rules={requiredMax(t, 100)}>
            <Input />
          </Form.Item>
          <Form.Item
            name="role"
            label={t('users.role')}
            extra={editing?.id === me.user.id ? t('users.selfHint') : undefined}
          >
            <Select options={roleOptions} optionLabelProp="title" disabled={editing?.id === me.user.id} />
          </Form.Item>
          <Flex gap={16}>
            <Form.Item
              name="email"
              label={t('users.email')}
              style={{ flex: 1 }}
              rules={[{ type: 'email', message: t('rules.email') }]}
            >
              <Input />
            </Form.Item>
            <Form.Item name="phone" label={t('users.phone')} style={{ flex: 1 }} rules={phoneRules(t, false)}>
              <Input />
            </Form.Item>
          </Flex>
          {error === undefined ? null : <Alert type="error" showIcon title={error} />}
        </Form>
      </Modal>

      <Modal
        open={resetting !== undefined}
        title={t('users.resetTitle', { name: resetting?.displayName ?? '' })}
        onCancel={() => setResetting(undefined)}
        onOk={() => resetForm.submit()}
        okButtonProps={{ loading: busy, danger: true }}
        okText={t('users.resetPassword')}
        cancelText={t('common.cancel')}
        width={520}
        forceRender
      >
        <Form
          name="userReset"
          form={resetForm}
          layout="vertical"
          onFinish={(v: { password: string }) => {
            if (resetting !== undefined) void reset(resetting, v.password);
          }}
        >
          <Alert type="warning" showIcon title={t('users.resetHelp')} style={{ marginBottom: 16 }} />
          <Form.Item label={t('users.newPassword')} required extra={t('users.passwordHelp')}>
            <Flex gap={8}>
              <Form.Item name="password" noStyle rules={passwordRules(t)}>
                <Input
                  autoComplete="off"
                  style={{ fontFamily: 'ui-monospace, Menlo, Consolas, monospace' }}
                />
              </Form.Item>
              <Button icon={<ThunderboltOutlined />} onClick={() => generateInto(resetForm)}>
                {t('users.generate')}
              </Button>
              <Typography.Text
                copyable={{
                  text: () => resetForm.getFieldValue('password') as string,
                  tooltips: [t('users.copyPassword'), t('apiKeys.copied')],
                }}
                style={{ alignSelf: 'center' }}
              />
            </Flex>
          </Form.Item>
          {error === undefined ? null : <Alert type="error" showIcon title={error} />}
        </Form>
      </Modal>
    </Page>
  );
}
