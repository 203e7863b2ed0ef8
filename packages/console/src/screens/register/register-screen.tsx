/**
 * Public registration of an enterprise with its first administrator (POST /api/v1/registrations).
 * The administrator is logged in at once and taken to the qualification documents.
 */
import { useState, type ReactNode } from 'react';
import { Link, useNavigate } from 'react-router';
import { Alert, Button, Col, Divider, Form, Input, Row, Typography } from 'antd';
import { api, data } from '../../api/client.js';
import { applyFormError } from '../../api/errors.js';
import { useI18n } from '../../i18n/index.js';
import { useSession } from '../../session/session.js';
import { PublicFrame } from '../../components/public-frame.js';
import { RegionPicker } from '../../components/region-picker.js';
import { optionalMax, passwordRules, phoneRules, requiredMax, usccRules } from '../../components/rules.js';

interface Values {
  enterprise: {
    name: string;
    uscc: string;
    legalRepresentative: string;
    address: string;
    regionCode: string;
    contactName: string;
    contactPhone: string;
    contactEmail?: string;
  };
  admin: { username: string; displayName: string; password: string; confirm?: string };
}

const codeFields = {
  TRACE_ENTERPRISE_USCC_INVALID: ['enterprise', 'uscc'],
  TRACE_ENTERPRISE_USCC_TAKEN: ['enterprise', 'uscc'],
  TRACE_ENTERPRISE_REGION_INVALID: ['enterprise', 'regionCode'],
  TRACE_USER_USERNAME_TAKEN: ['admin', 'username'],
  TRACE_AUTH_WEAK_PASSWORD: ['admin', 'password'],
} as const;

export default function RegisterScreen(): ReactNode {
  const { t } = useI18n();
  const { refresh } = useSession();
  const navigate = useNavigate();
  const [form] = Form.useForm<Values>();
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);

  const submit = async (values: Values): Promise<void> => {
    setBusy(true);
    setError(undefined);
    const { confirm: _confirm, ...admin } = values.admin;
    const enterprise = { ...values.enterprise, uscc: values.enterprise.uscc.trim().toUpperCase() };
    if (enterprise.contactEmail === '') delete enterprise.contactEmail;
    try {
      await data(api.POST('/api/v1/registrations', { body: { enterprise, admin } }));
      await refresh();
      await navigate('/onboarding', { replace: true });
    } catch (e) {
      setError(applyFormError(form, t, e, codeFields));
    } finally {
      setBusy(false);
    }
  };

  const half = { xs: 24, md: 12 };
  return (
    <PublicFrame width={760}>
      <Typography.Title level={4} style={{ marginTop: 0 }}>
        {t('register.title')}
      </Typography.Title>
      <Typography.Paragraph type="secondary">{t('register.intro')}</Typography.Paragraph>
      <Form form={form} layout="vertical" onFinish={(v) => void submit(v)} scrollToFirstError>
        <Divider titlePlacement="start">{t('register.enterprise')}</Divider>
        <Row gutter={16}>
          <Col {...half}>
            <Form.Item
              name={['enterprise', 'name']}
              label={t('register.name')}
              rules={requiredMax(t, 100, 2)}
            >
              <Input />
            </Form.Item>
          </Col>
          <Col {...half}>
            <Form.Item
              name={['enterprise', 'uscc']}
              label={t('register.uscc')}
              tooltip={t('register.usccHelp')}
              rules={usccRules(t)}
            >
              <Input maxLength={18} style={{ fontFamily: 'monospace' }} />
            </Form.Item>
          </Col>
          <Col {...half}>
            <Form.Item
              name={['enterprise', 'legalRepresentative']}
              label={t('register.legalRepresentative')}
              rules={requiredMax(t, 50)}
            >
              <Input />
            </Form.Item>
          </Col>
          <Col {...half}>
            <Form.Item
              name={['enterprise', 'regionCode']}
              label={t('register.region')}
              rules={[{ required: true, message: t('rules.required') }]}
            >
              <RegionPicker />
            </Form.Item>
          </Col>
          <Col span={24}>
            <Form.Item
              name={['enterprise', 'address']}
              label={t('register.address')}
              rules={requiredMax(t, 200, 2)}
            >
              <Input />
            </Form.Item>
          </Col>
          <Col xs={24} md={8}>
            <Form.Item
              name={['enterprise', 'contactName']}
              label={t('register.contactName')}
              rules={requiredMax(t, 50)}
            >
              <Input />
            </Form.Item>
          </Col>
          <Col xs={24} md={8}>
            <Form.Item
              name={['enterprise', 'contactPhone']}
              label={t('register.contactPhone')}
              rules={phoneRules(t)}
            >
              <Input />
            </Form.Item>
          </Col>
          <Col xs={24} md={8}>
            <Form.Item
              name={['enterprise', 'contactEmail']}
              label={t('register.contactEmail')}
              rules={[{ type: 'email', message: t('rules.email') }, ...optionalMax(t, 200)]}
            >
              <Input />
            </Form.Item>
          </Col>
        </Row>
        <Divider titlePlacement="start">{t('register.admin')}</Divider>
        <Row gutter={16}>
          <Col {...half}>
            <Form.Item
              name={['admin', 'username']}
              label={t('register.username')}
              tooltip={t('register.usernameHelp')}
              rules={[
                { required: true, message: t('rules.required') },
                { pattern: /^[A-Za-z0-9._-]{3,64}$/, message: t('register.usernameHelp') },
              ]}
            >
              <Input autoComplete="username" />
            </Form.Item>
          </Col>
          <Col {...half}>
            <Form.Item
              name={['admin', 'displayName']}
              label={t('register.displayName')}
              rules={requiredMax(t, 100)}
            >
              <Input />
            </Form.Item>
          </Col>
          <Col {...half}>
            <Form.Item name={['admin', 'password']} label={t('register.password')} rules={passwordRules(t)}>
              <Input.Password autoComplete="new-password" />
            </Form.Item>
          </Col>
          <Col {...half}>
            <Form.Item
              name={['admin', 'confirm']}
              label={t('register.confirm')}
              dependencies={[['admin', 'password']]}
              rules={[
                { required: true, message: t('rules.required') },
                ({ getFieldValue }) => ({
                  validator: (_r, v: string | undefined) =>
                    v === undefined || v === getFieldValue(['admin', 'password'])
                      ? Promise.resolve()
                      : Promise.reject(new Error(t('rules.confirmMismatch'))),
                }),
              ]}
            >
              <Input.Password autoComplete="new-password" />
            </Form.Item>
          </Col>
        </Row>
        {error === undefined ? null : (
          <Alert type="error" title={error} showIcon style={{ marginBottom: 16 }} />
        )}
        <Button type="primary" htmlType="submit" loading={busy} size="large">
          {t('register.submit')}
        </Button>
        <Typography.Text style={{ marginLeft: 16 }}>
          {t('register.haveAccount')} <Link to="/login">{t('register.login')}</Link>
        </Typography.Text>
      </Form>
    </PublicFrame>
  );
}
