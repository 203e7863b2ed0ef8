/** Change one's own password; forced (the only screen) while the account must change it. */
import { useState, type ReactNode } from 'react';
import { useNavigate } from 'react-router';
import { Alert, App, Button, Card, Form, Input } from 'antd';
import { api, data } from '../../api/client.js';
import { applyFormError } from '../../api/errors.js';
import { useI18n } from '../../i18n/index.js';
import { useSession } from '../../session/session.js';
import { Page } from '../../components/page.js';
import { passwordRules } from '../../components/rules.js';

interface Values {
  currentPassword: string;
  newPassword: string;
  confirm: string;
}

export default function ChangePasswordScreen({ forced = false }: { readonly forced?: boolean }): ReactNode {
  const { t } = useI18n();
  const { refresh } = useSession();
  const { message } = App.useApp();
  const navigate = useNavigate();
  const [form] = Form.useForm<Values>();
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);

  const submit = async ({ currentPassword, newPassword }: Values): Promise<void> => {
    setBusy(true);
    setError(undefined);
    try {
      await data(api.POST('/api/v1/auth/password', { body: { currentPassword, newPassword } }));
      void message.success(t('password.changed'));
      form.resetFields();
      await refresh();
      if (!forced) await navigate('/');
    } catch (e) {
      setError(
        applyFormError(form, t, e, {
          TRACE_AUTH_WRONG_PASSWORD: 'currentPassword',
          TRACE_AUTH_WEAK_PASSWORD: 'newPassword',
        }),
      );
    } finally {
      setBusy(false);
    }
  };

  return (
    <Page title={t('password.title')}>
      {forced ? (
        <Alert
          type="warning"
          showIcon
          title={t('password.forced')}
          style={{ marginBottom: 16, maxWidth: 480 }}
        />
      ) : null}
      <Card style={{ maxWidth: 480 }}>
        <Form form={form} layout="vertical" onFinish={(v) => void submit(v)}>
          <Form.Item
            name="currentPassword"
            label={t('password.current')}
            rules={[{ required: true, message: t('rules.required') }]}
          >
            <Input.Password autoComplete="current-password" />
          </Form.Item>
          <Form.Item
            name="newPassword"
            label={t('password.new')}
            extra={t('rules.passwordWeak')}
            rules={passwordRules(t)}
          >
            <Input.Password autoComplete="new-password" />
          </Form.Item>
          <Form.Item
            name="confirm"
            label={t('password.confirm')}
            dependencies={['newPassword']}
            rules={[
              { required: true, message: t('rules.required') },
              ({ getFieldValue }) => ({
                validator: (_r, v: string | undefined) =>
                  v === undefined || v === getFieldValue('newPassword')
                    ? Promise.resolve()
                    : Promise.reject(new Error(t('rules.confirmMismatch'))),
              }),
            ]}
          >
            <Input.Password autoComplete="new-password" />
          </Form.Item>
          {error === undefined ? null : (
            <Alert type="error" title={error} showIcon style={{ marginBottom: 16 }} />
          )}
          <Button type="primary" htmlType="submit" loading={busy}>
            {t('password.submit')}
          </Button>
        </Form>
      </Card>
    </Page>
  );
}
