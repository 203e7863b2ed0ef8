/** Username and password; wrong credentials show under the form. */
import { useState, type ReactNode } from 'react';
import { Link, useNavigate, useSearchParams } from 'react-router';
import { Alert, Button, Form, Input, Typography } from 'antd';
import { LockOutlined, UserOutlined } from '@ant-design/icons';
import { api, data } from '../../api/client.js';
import { applyFormError } from '../../api/errors.js';
import { useI18n } from '../../i18n/index.js';
import { useSession } from '../../session/session.js';
import { PublicFrame } from '../../components/public-frame.js';

interface Values {
  username: string;
  password: string;
}

export default function LoginScreen(): ReactNode {
  const { t } = useI18n();
  const { refresh } = useSession();
  const navigate = useNavigate();
  const [search] = useSearchParams();
  const [form] = Form.useForm<Values>();
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);

  const submit = async (values: Values): Promise<void> => {
    setBusy(true);
    setError(undefined);
    try {
      await data(api.POST('/api/v1/auth/login', { body: values }));
      await refresh();
      const next = search.get('next');
      await navigate(next !== null && next.startsWith('/') ? next : '/', { replace: true });
    } catch (e) {
      setError(applyFormError(form, t, e));
    } finally {
      setBusy(false);
    }
  };

  return (
    <PublicFrame>
      <Typography.Title level={4} style={{ marginTop: 0 }}>
        {t('login.title')}
      </Typography.Title>
      <Form form={form} layout="vertical" onFinish={(v) => void submit(v)} requiredMark={false}>
        <Form.Item
          name="username"
          label={t('login.username')}
          rules={[{ required: true, message: t('login.usernameRequired') }]}
        >
          <Input prefix={<UserOutlined />} autoComplete="username" autoFocus />
        </Form.Item>
        <Form.Item
          name="password"
          label={t('login.password')}
          rules={[{ required: true, message: t('login.passwordRequired') }]}
        >
          <Input.Password prefix={<LockOutlined />} autoComplete="current-password" />
        </Form.Item>
        {error === undefined ? null : (
          <Alert type="error" title={error} showIcon style={{ marginBottom: 16 }} />
        )}
        <Button type="primary" htmlType="submit" block loading={busy}>
          {t('login.submit')}
        </Button>
      </Form>
      <Typography.Paragraph style={{ marginTop: 16, marginBottom: 0, textAlign: 'center' }}>
        {t('login.noAccount')} <Link to="/register">{t('login.register')}</Link>
      </Typography.Paragraph>
    </PublicFrame>
  );
}
