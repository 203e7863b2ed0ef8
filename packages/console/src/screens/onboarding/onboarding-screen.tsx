/**
 * The enterprise's own qualification: where the application stands (draft → pending review →
 * approved, or rejected with the reviewer's reason), its documents with their review status,
 * uploading more, and submitting for review.
 */
import { useCallback, useEffect, useState, type ReactNode } from 'react';
import {
  Alert,
  App,
  Button,
  Card,
  Col,
  DatePicker,
  Descriptions,
  Empty,
  Form,
  Input,
  Modal,
  Popconfirm,
  Row,
  Select,
  Space,
  Spin,
  Steps,
  Table,
  Upload,
} from 'antd';
import { SendOutlined, UploadOutlined } from '@ant-design/icons';
import type { Dayjs } from 'dayjs';
import { api, data, upload } from '../../api/client.js';
import { applyFormError, errorText } from '../../api/errors.js';
import type { paths } from '../../api/schema.js';
import { useI18n, type MessageKey } from '../../i18n/index.js';
import { useMe, useSession } from '../../session/session.js';
import { Page } from '../../components/page.js';
import { StatusTag } from '../../components/status-tag.js';
import { FilePreview } from '../../components/file-preview.js';
import { documentFileUrl, documentKinds } from '../../components/document-kinds.js';

type Enterprise =
  paths['/api/v1/enterprises/{enterpriseId}']['get']['responses'][200]['content']['application/json'];
type Doc =
  paths['/api/v1/enterprises/{enterpriseId}/documents']['get']['responses'][200]['content']['application/json']['items'][number];

interface UploadValues {
  kind: string;
  number: string;
  title?: string;
  expiresOn?: Dayjs;
  file?: { originFileObj?: File }[];
}

const step: Readonly<Record<string, number>> = {
  draft: 0,
  rejected: 0,
  pending_review: 1,
  approved: 2,
  suspended: 2,
};

export default function OnboardingScreen(): ReactNode {
  const { t } = useI18n();
  const me = useMe();
  const { can, refresh } = useSession();
  const { message } = App.useApp();
  const enterpriseId = me.enterprise?.id ?? '';
  const editable = can('enterprise.edit');
  const [enterprise, setEnterprise] = useState<Enterprise>();
  const [docs, setDocs] = useState<readonly Doc[]>();
  const [preview, setPreview] = useState<Doc>();
  const previewLabel =
    preview === undefined ? '' : `${t(`documentKinds.${preview.kind}`)} · ${preview.number}`;
  const [form] = Form.useForm<UploadValues>();
  const [uploadError, setUploadError] = useState<string>();
  const [busy, setBusy] = useState(false);
  const [submitError, setSubmitError] = useState<string>();

  const load = useCallback(async () => {
    const params = { path: { enterpriseId } };
    const [e, d] = await Promise.all([
      data(api.GET('/api/v1/enterprises/{enterpriseId}', { params })),
      data(api.GET('/api/v1/enterprises/{enterpriseId}/documents', { params })),
    ]);
    setEnterprise(e);
    setDocs(d.items);
  }, [enterpriseId]);

  useEffect(() => {
    load().catch((e: unknown) => void message.error(errorText(t, e)));
  }, [load, message, t]);

  const add = async (values: UploadValues): Promise<void> => {
    const file = values.file?.[0]?.originFileObj;
    if (file === undefined) return;
    setBusy(true);
    setUploadError(undefined);
    try {
      await upload(
        '/api/v1/enterprises/{enterpriseId}/documents',
        { enterpriseId },
        {
          kind: values.kind,
          number: values.number,
          title: values.title,
          expiresOn: values.expiresOn?.format('YYYY-MM-DD'),
        },
        file,
      );
      form.resetFields();
      void message.success(t('onboarding.uploaded'));
      await load();
    } catch (e) {
      setUploadError(
        applyFormError(form, t, e, {
          TRACE_FILE_TYPE: 'file',
          TRACE_FILE_TOO_LARGE: 'file',
          TRACE_DOCUMENT_DATE_INVALID: 'expiresOn',
        }),
      );
    } finally {
      setBusy(false);
    }
  };

  const remove = async (doc: Doc): Promise<void> => {
    try {
      await data(
        api.DELETE('/api/v1/enterprises/{enterpriseId}/documents/{documentId}', {
          params: { path: { enterpriseId, documentId: doc.id } },
        }),
      );
      await load();
    } catch (e) {
      void message.error(errorText(t, e));
    }
  };

  const submit = async (): Promise<void> => {
    setSubmitError(undefined);
    try {
      await data(
        api.POST('/api/v1/enterprises/{enterpriseId}/submit', { params: { path: { enterpriseId } } }),
      );
      void message.success(t('onboarding.submitted'));
      await Promise.all([load(), refresh()]);
    } catch (e) {
      setSubmitError(errorText(t, e));
    }
  };

  if (enterprise === undefined || docs === undefined)
    return <Spin style={{ display: 'block', margin: 48 }} />;
  const canSubmit = editable && (enterprise.status === 'draft' || enterprise.status === 'rejected');
  const current = step[enterprise.status] ?? 0;

  return (
    <Page
      title={t('onboarding.title')}
      subtitle={enterprise.name}
      extra={
        canSubmit ? (
          <Button
            type="primary"
            icon={<SendOutlined />}
            onClick={() => void submit()}
            disabled={docs.length === 0}
          >
            {t('onboarding.submit')}
          </Button>
        ) : null
      }
    >
      <Card style={{ marginBottom: 16 }}>
        <Steps
          current={current}
          status={
            enterprise.status === 'rejected'
              ? 'error'
              : enterprise.status === 'approved'
                ? 'finish'
                : 'process'
          }
          items={[
            { title: t('onboarding.stepDocuments'), content: t('onboarding.stepDocumentsText') },
            { title: t('onboarding.stepReview'), content: t('onboarding.stepReviewText') },
            { title: t('onboarding.stepApproved'), content: t('onboarding.stepApprovedText') },
          ]}
        />
        <div style={{ marginTop: 16 }}>
          {enterprise.status === 'rejected' ? (
            <Alert
              type="error"
              showIcon
              title={t('onboarding.rejected')}
              description={enterprise.reviewReason ?? ''}
            />
          ) : enterprise.status === 'pending_review' ? (
            <Alert type="info" showIcon title={t('onboarding.pending')} />
          ) : enterprise.status === 'approved' ? (
            <Alert type="success" showIcon title={t('onboarding.approved')} />
          ) : enterprise.status === 'suspended' ? (
            <Alert
              type="warning"
              showIcon
              title={t('onboarding.suspended')}
              description={enterprise.reviewReason ?? ''}
            />
          ) : (
            <Alert type="info" showIcon title={t('onboarding.draft')} />
          )}
          {submitError === undefined ? null : (
            <Alert type="error" showIcon title={submitError} style={{ marginTop: 8 }} />
          )}
        </div>
      </Card>
      <Row gutter={[16, 16]}>
        <Col xs={24} xl={editable ? 16 : 24}>
          <Card title={t('onboarding.documents')}>
            <Table<Doc>
              rowKey="id"
              dataSource={docs}
              pagination={false}
              scroll={{ x: 640 }}
              locale={{ emptyText: <Empty description={t('onboarding.noDocuments')} /> }}
              columns={[
                {
                  title: t('onboarding.kind'),
                  dataIndex: 'kind',
                  render: (k: string) => t(`documentKinds.${k}` as MessageKey),
                },
                { title: t('onboarding.number'), dataIndex: 'number' },
                {
                  title: t('onboarding.expiresOn'),
                  dataIndex: 'expiresOn',
                  render: (d: string | null) => d ?? '—',
                },
                {
                  title: t('onboarding.status'),
                  dataIndex: 'status',
                  render: (s: string, d) => (
                    <Space orientation="vertical" size={0}>
                      <StatusTag status={s} />
                      {d.reviewReason === null ? null : (
                        <span style={{ color: '#cf1322' }}>{d.reviewReason}</span>
                      )}
                    </Space>
                  ),
                },
                {
                  title: t('common.actions'),
                  key: 'actions',
                  render: (_v, d) => (
                    <Space>
                      <Button type="link" size="small" onClick={() => setPreview(d)}>
                        {t('common.preview')}
                      </Button>
                      {editable && d.status !== 'verified' ? (
                        <Popconfirm title={t('onboarding.deleteConfirm')} onConfirm={() => void remove(d)}>
                          <Button type="link" size="small" danger>
                            {t('common.delete')}
                          </Button>
                        </Popconfirm>
                      ) : null}
                    </Space>
                  ),
                },
              ]}
            />
          </Card>
        </Col>
        {editable ? (
          <Col xs={24} xl={8}>
            <Card title={t('onboarding.upload')}>
              <Form
                form={form}
                layout="vertical"
                onFinish={(v) => void add(v)}
                initialValues={{ kind: 'business_licence' }}
              >
                <Form.Item
                  name="kind"
                  label={t('onboarding.kind')}
                  rules={[{ required: true, message: t('rules.required') }]}
                >
                  <Select
                    options={documentKinds.map((k) => ({ value: k, label: t(`documentKinds.${k}`) }))}
                  />
                </Form.Item>
                <Form.Item
                  name="number"
                  label={t('onboarding.number')}
                  rules={[{ required: true, message: t('rules.required') }, { max: 100 }]}
                >
                  <Input />
                </Form.Item>
                <Form.Item name="title" label={t('onboarding.docTitle')} rules={[{ max: 100 }]}>
                  <Input placeholder={t('onboarding.docTitleHelp')} />
                </Form.Item>
                <Form.Item name="expiresOn" label={t('onboarding.expiresOn')}>
                  <DatePicker style={{ width: '100%' }} />
                </Form.Item>
                <Form.Item
                  name="file"
                  label={t('onboarding.file')}
                  valuePropName="fileList"
                  getValueFromEvent={(e: { fileList: unknown[] }) => e.fileList.slice(-1)}
                  extra={t('onboarding.fileHelp')}
                  rules={[{ required: true, message: t('onboarding.fileRequired') }]}
                >
                  <Upload beforeUpload={() => false} maxCount={1} accept=".pdf,.jpg,.jpeg,.png">
                    <Button icon={<UploadOutlined />}>{t('onboarding.chooseFile')}</Button>
                  </Upload>
                </Form.Item>
                {uploadError === undefined ? null : (
                  <Alert type="error" showIcon title={uploadError} style={{ marginBottom: 16 }} />
                )}
                <Button type="primary" htmlType="submit" loading={busy} block>
                  {t('onboarding.uploadSubmit')}
                </Button>
              </Form>
            </Card>
          </Col>
        ) : null}
      </Row>
      <Card title={t('onboarding.profile')} style={{ marginTop: 16 }}>
        <Descriptions
          column={{ xs: 1, md: 2 }}
          items={[
            { key: 'uscc', label: t('register.uscc'), children: enterprise.uscc },
            {
              key: 'legal',
              label: t('register.legalRepresentative'),
              children: enterprise.legalRepresentative,
            },
            { key: 'region', label: t('register.region'), children: enterprise.regionPath.join(' / ') },
            { key: 'address', label: t('register.address'), children: enterprise.address },
            {
              key: 'contact',
              label: t('register.contactName'),
              children: `${enterprise.contactName} ${enterprise.contactPhone}`,
            },
          ]}
        />
      </Card>
      <Modal
        open={preview !== undefined}
        onCancel={() => setPreview(undefined)}
        footer={null}
        width={900}
        title={previewLabel}
        destroyOnHidden
      >
        <FilePreview
          url={preview === undefined ? undefined : documentFileUrl(enterpriseId, preview.id)}
          mediaType={preview?.file.mediaType}
          title={previewLabel}
          height={600}
        />
      </Modal>
    </Page>
  );
}
