/** The operator's regulator accounts, each with its jurisdiction (a GB/T 2260 region). */
import { useState, type ReactNode } from 'react';
import { Alert, App, Button, Empty, Form, Input, Modal, Popconfirm, Table, Typography } from 'antd';
import { PlusOutlined } from '@ant-design/icons';
import { api, data } from '../../api/client.js';
import { applyFormError, errorText } from '../../api/errors.js';
import type { paths } from '../../api/schema.js';
import { useI18n } from '../../i18n/index.js';
import { Page } from '../../components/page.js';
import { StatusTag } from '../../components/status-tag.js';
import { RegionName, RegionPicker } from '../../components/region-picker.js';
import { passwordRules, phoneRules, requiredMax } from '../../components/rules.js';
import { usePage } from '../../components/use-page.js';

type User = paths['/api/v1/users/{userId}']['get']['responses'][200]['content']['application/json'];

interface Query {
  page: number;
  pageSize: number;
  q?: string;
  role: 'regulator';
}

interface Values {
  username: string;
  displayName: string;
  password: string;
  jurisdiction: string;
  email?: string;
  phone?: string;
}

const codeFields = {
  TRACE_USER_USERNAME_TAKEN: 'username',
  TRACE_USER_JURISDICTION_INVALID: 'jurisdiction',
  TRACE_AUTH_WEAK_PASSWORD: 'password',
} as const;

export default function RegulatorsScreen(): ReactNode {
  const { t } = useI18n();
  const { message } = App.useApp();
  const [query, setQuery] = useState<Query>({ page: 1, pageSize: 20, role: 'regulator' });
  const { page, loading, reload } = usePage(
    (q: Query) => data(api.GET('/api/v1/users', { params: { query: q } })),
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
        api.POST('/api/v1/users', {
          body: {
            username: v.username,
            displayName: v.displayName,
            password: v.password,
            role: 'regulator',
            jurisdiction: v.jurisdiction,
            ...(v.email === undefined || v.email === '' ? {} : { email: v.email }),
            ...(v.phone === undefined || v.phone === '' ? {} : { phone: v.phone }),
          },
        }),
      );
      void message.success(t('regulators.created'));
      setOpen(false);
      form.resetFields();
      reload();
    } catch (e) {
      setError(applyFormError(form, t, e, codeFields));
    } finally {
      setBusy(false);
    }
  };

  const setStatus = async (u: User, status: 'active' | 'disabled'): Promise<void> => {
    try {
      await data(
        api.PATCH('/api/v1/users/{userId}', { params: { path: { userId: u.id } }, body: { status } }),
      );
      reload();
    } catch (e) {
      void message.error(errorText(t, e));
    }
  };

  return (
    <Page
      title={t('regulators.title')}
      subtitle={t('regulators.subtitle')}
      extra={
        <Button type="primary" icon={<PlusOutlined />} onClick={() => setOpen(true)}>
          {t('regulators.create')}
        </Button>
      }
    >
      <Input.Search
        allowClear
        placeholder={t('regulators.search')}
        style={{ width: 280, marginBottom: 16 }}
        onSearch={(q) => setQuery({ ...query, page: 1, q: q === '' ? undefined : q })}
      />
      <Table<User>
        rowKey="id"
        loading={loading}
        dataSource={page?.items ?? []}
        scroll={{ x: 800 }}
        locale={{
          emptyText: (
            <Empty description={query.q !== undefined ? t('common.noMatch') : t('regulators.empty')} />
          ),
        }}
        pagination={{
          current: query.page,
          pageSize: query.pageSize,
          total: page?.total ?? 0,
          showTotal: (total) => t('common.total', { total }),
        }}
        onChange={(p) => setQuery({ ...query, page: p.current ?? 1, pageSize: p.pageSize ?? 20 })}
        columns={[
          { key: 'displayName', title: t('regulators.displayName'), dataIndex: 'displayName' },
          {
            key: 'username',
            title: t('regulators.username'),
            dataIndex: 'username',
            render: (v: string) => <Typography.Text code>{v}</Typography.Text>,
          },
          {
            key: 'jurisdiction',
            title: t('regulators.jurisdiction'),
            dataIndex: 'jurisdiction',
            render: (v: string | null) => <RegionName code={v} />,
          },
          {
            key: 'status',
            title: t('common.status'),
            dataIndex: 'status',
            render: (s: string) => <StatusTag status={s} />,
          },
          {
            key: 'lastLoginAt',
            title: t('regulators.lastLogin'),
            dataIndex: 'lastLoginAt',
            render: (v: number | null) => (v === null ? t('regulators.never') : new Date(v).toLocaleString()),
          },
          {
            key: 'actions',
            title: t('common.actions'),
            render: (_v, u) => (
              <Popconfirm
                title={u.status === 'active' ? t('regulators.disableConfirm') : t('regulators.enableConfirm')}
                onConfirm={() => void setStatus(u, u.status === 'active' ? 'disabled' : 'active')}
              >
                <Button type="link" size="small" danger={u.status === 'active'}>
                  {u.status === 'active' ? t('regulators.disable') : t('regulators.enable')}
                </Button>
              </Popconfirm>
            ),
          },
        ]}
      />
      <Modal
        open={open}
        title={t('regulators.create')}
        onCancel={() => setOpen(false)}
        onOk={() => form.submit()}
        okButtonProps={{ loading: busy }}
        okText={t('common.save')}
        width={560}
      >
        <Form form={form} layout="vertical" onFinish={(v) => void create(v)}>
          <Form.Item
            name="jurisdiction"
            label={t('regulators.jurisdiction')}
            extra={t('regulators.jurisdictionHelp')}
            rules={[{ required: true, message: t('rules.required') }]}
          >
            <RegionPicker />
          </Form.Item>
          <Form.Item name="displayName" label={t('regulators.displayName')} rules={requiredMax(t, 100)}>
            <Input placeholder={t('regulators.displayNameHelp')} />
          </Form.Item>
          <Form.Item
            name="username"
            label={t('regulators.username')}
            rules={[
              { required: true, message: t('rules.required') },
              { pattern: /^[A-Za-z0-9._-]{3,64}$/, message: t('register.usernameHelp') },
            ]}
          >
            <Input autoComplete="off" />
          </Form.Item>
          <Form.Item
            name="password"
            label={t('regulators.password')}
            extra={t('regulators.passwordHelp')}
            rules={passwordRules(t)}
          >
            <Input.Password autoComplete="new-password" />
          </Form.Item>
          <Form.Item
            name="email"
            label={t('register.contactEmail')}
            rules={[{ type: 'email', message: t('rules.email') }]}
          >
            <Input />
          </Form.Item>
          <Form.Item name="phone" label={t('register.contactPhone')} rules={phoneRules(t, false)}>
            <Input />
          </Form.Item>
          {error === undefined ? null : <Alert type="error" showIcon title={error} />}
        </Form>
      </Modal>
    </Page>
  );
}
