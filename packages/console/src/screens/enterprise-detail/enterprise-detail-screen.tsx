/**
 * One enterprise: its facts and qualification documents on the left, the selected document
 * (PDF or image, from the API) on the right, side by side. Operators verify or reject each
 * document and approve or reject the application with a reason; regulators read. Regulators and
 * operators also see the enterprise's products below.
 */
import { useCallback, useEffect, useState, type ReactNode } from 'react';
import { useNavigate, useParams } from 'react-router';
import {
  Alert,
  App,
  Button,
  Card,
  Col,
  Descriptions,
  Empty,
  List,
  Popconfirm,
  Row,
  Space,
  Spin,
  Typography,
} from 'antd';
import { CheckOutlined, CloseOutlined, FileImageOutlined, FilePdfOutlined } from '@ant-design/icons';
import { api, data } from '../../api/client.js';
import { errorText } from '../../api/errors.js';
import type { paths } from '../../api/schema.js';
import { useI18n, type MessageKey } from '../../i18n/index.js';
import { brandRed } from '../../layout/brand-logo.js';
import { useSession } from '../../session/session.js';
import { Page } from '../../components/page.js';
import { StatusTag } from '../../components/status-tag.js';
import { FilePreview } from '../../components/file-preview.js';
import { documentFileUrl } from '../../components/document-kinds.js';
import type { Enterprise } from '../../components/enterprise-table.js';
import { ReasonModal } from './reason-modal.js';
import { ProductsCard } from './products-card.js';

type Doc =
  paths['/api/v1/enterprises/{enterpriseId}/documents']['get']['responses'][200]['content']['application/json']['items'][number];

type Asking =
  | { readonly kind: 'reject' }
  | { readonly kind: 'suspend' }
  | { readonly kind: 'rejectDoc'; readonly doc: Doc };

export default function EnterpriseDetailScreen(): ReactNode {
  const { t } = useI18n();
  const { can } = useSession();
  const { message } = App.useApp();
  const navigate = useNavigate();
  const enterpriseId = useParams()['enterpriseId'] ?? '';
  const reviewer = can('enterprise.review');
  const [enterprise, setEnterprise] = useState<Enterprise>();
  const [docs, setDocs] = useState<readonly Doc[]>();
  const [selected, setSelected] = useState<string>();
  const [asking, setAsking] = useState<Asking>();
  const [failed, setFailed] = useState<string>();

  const load = useCallback(async () => {
    const params = { path: { enterpriseId } };
    const [e, d] = await Promise.all([
      data(api.GET('/api/v1/enterprises/{enterpriseId}', { params })),
      data(api.GET('/api/v1/enterprises/{enterpriseId}/documents', { params })),
    ]);
    setEnterprise(e);
    setDocs(d.items);
    setSelected((s) => s ?? d.items[0]?.id);
  }, [enterpriseId]);

  useEffect(() => {
    load().catch((e: unknown) => setFailed(errorText(t, e)));
  }, [load, t]);

  const act = async (run: () => Promise<unknown>, done: string): Promise<void> => {
    try {
      await run();
      void message.success(done);
      setAsking(undefined);
      await load();
    } catch (e) {
      void message.error(errorText(t, e));
    }
  };
  const path = { params: { path: { enterpriseId } } };
  const reviewDoc = (doc: Doc, decision: 'verified' | 'rejected', reason?: string) =>
    data(
      api.POST('/api/v1/enterprises/{enterpriseId}/documents/{documentId}/review', {
        params: { path: { enterpriseId, documentId: doc.id } },
        body: reason === undefined ? { decision } : { decision, reason },
      }),
    );

  if (failed !== undefined) return <Alert type="error" showIcon title={failed} />;
  if (enterprise === undefined || docs === undefined)
    return <Spin style={{ display: 'block', margin: 48 }} />;
  const doc = docs.find((d) => d.id === selected);
  const docLabel =
    doc === undefined
      ? t('review.preview')
      : `${t(`documentKinds.${doc.kind}` as MessageKey)} · ${doc.file.name}`;
  const pending = enterprise.status === 'pending_review';

  const actions = reviewer ? (
    <Space wrap>
      {pending ? (
        <>
          <Popconfirm
            title={t('review.approveConfirm')}
            onConfirm={() =>
              void act(
                () => data(api.POST('/api/v1/enterprises/{enterpriseId}/approve', path)),
                t('review.approved'),
              )
            }
          >
            <Button type="primary" icon={<CheckOutlined />}>
              {t('review.approve')}
            </Button>
          </Popconfirm>
          <Button danger icon={<CloseOutlined />} onClick={() => setAsking({ kind: 'reject' })}>
            {t('review.reject')}
          </Button>
        </>
      ) : null}
      {enterprise.status === 'approved' ? (
        <Button danger onClick={() => setAsking({ kind: 'suspend' })}>
          {t('review.suspend')}
        </Button>
      ) : null}
      {enterprise.status === 'suspended' ? (
        <Button
          onClick={() =>
            void act(
              () => data(api.POST('/api/v1/enterprises/{enterpriseId}/reinstate', path)),
              t('review.reinstated'),
            )
          }
        >
          {t('review.reinstate')}
        </Button>
      ) : null}
    </Space>
  ) : null;

  return (
    <Page
      title={
        <Space>
          {enterprise.name}
          <StatusTag status={enterprise.status} />
        </Space>
      }
      subtitle={
        <Button type="link" style={{ padding: 0 }} onClick={() => void navigate(-1)}>
          ← {t('common.back')}
        </Button>
      }
      extra={actions}
    >
      {enterprise.reviewReason !== null && enterprise.status !== 'approved' ? (
        <Alert
          type="warning"
          showIcon
          title={t('review.lastReason')}
          description={enterprise.reviewReason}
          style={{ marginBottom: 16 }}
        />
      ) : null}
      <Row gutter={[16, 16]}>
        <Col xs={24} lg={10} xxl={9}>
          <Card title={t('review.facts')} size="small" style={{ marginBottom: 16 }}>
            <Descriptions
              size="small"
              column={1}
              items={[
                {
                  key: 'uscc',
                  label: t('register.uscc'),
                  children: (
                    <Typography.Text code style={{ whiteSpace: 'nowrap' }}>
                      {enterprise.uscc}
                    </Typography.Text>
                  ),
                },
                {
                  key: 'legal',
                  label: t('register.legalRepresentative'),
                  children: enterprise.legalRepresentative,
                },
                {
                  key: 'region',
                  label: t('register.region'),
                  children: `${enterprise.regionPath.join(' / ')} (${enterprise.regionCode})`,
                },
                { key: 'address', label: t('register.address'), children: enterprise.address },
                {
                  key: 'contact',
                  label: t('register.contactName'),
                  children: `${enterprise.contactName} · ${enterprise.contactPhone}${enterprise.contactEmail === null ? '' : ` · ${enterprise.contactEmail}`}`,
                },
                {
                  key: 'submitted',
                  label: t('enterprises.submittedAt'),
                  children:
                    enterprise.submittedAt === null ? '—' : new Date(enterprise.submittedAt).toLocaleString(),
                },
              ]}
            />
          </Card>
          <Card title={t('review.documents', { n: docs.length })} size="small">
            <List<Doc>
              dataSource={docs}
              locale={{ emptyText: <Empty description={t('review.noDocuments')} /> }}
              renderItem={(d) => (
                <List.Item
                  onClick={() => setSelected(d.id)}
                  style={{
                    cursor: 'pointer',
                    paddingInline: 8,
                    borderRadius: 6,
                    background: d.id === selected ? '#e6f0f0' : undefined,
                  }}
                  actions={
                    reviewer && d.status !== 'verified'
                      ? [
                          <Button
                            key="ok"
                            size="small"
                            type="link"
                            onClick={(e) => {
                              e.stopPropagation();
                              void act(() => reviewDoc(d, 'verified'), t('review.docVerified'));
                            }}
                          >
                            {t('review.verifyDoc')}
                          </Button>,
                          <Button
                            key="no"
                            size="small"
                            type="link"
                            danger
                            onClick={(e) => {
                              e.stopPropagation();
                              setAsking({ kind: 'rejectDoc', doc: d });
                            }}
                          >
                            {t('review.rejectDoc')}
                          </Button>,
                        ]
                      : []
                  }
                >
                  <List.Item.Meta
                    avatar={
                      d.file.mediaType === 'application/pdf' ? (
                        <FilePdfOutlined style={{ fontSize: 20, color: brandRed }} />
                      ) : (
                        <FileImageOutlined style={{ fontSize: 20, color: '#468CC8' }} />
                      )
                    }
                    title={
                      <Space size={4} wrap>
                        {t(`documentKinds.${d.kind}` as MessageKey)}
                        <StatusTag status={d.status} />
                      </Space>
                    }
                    description={
                      <>
                        <div>
                          {d.number}
                          {d.expiresOn === null ? '' : ` · ${t('review.expires', { date: d.expiresOn })}`}
                        </div>
                        {d.reviewReason === null ? null : (
                          <div style={{ color: '#cf1322' }}>{d.reviewReason}</div>
                        )}
                      </>
                    }
                  />
                </List.Item>
              )}
            />
          </Card>
        </Col>
        <Col xs={24} lg={14} xxl={15}>
          <Card
            title={docLabel}
            size="small"
            extra={
              doc === undefined ? null : (
                <a href={documentFileUrl(enterpriseId, doc.id)} target="_blank" rel="noreferrer">
                  {t('review.openNewTab')}
                </a>
              )
            }
          >
            <FilePreview
              url={doc === undefined ? undefined : documentFileUrl(enterpriseId, doc.id)}
              mediaType={doc?.file.mediaType}
              title={docLabel}
              height={680}
            />
          </Card>
        </Col>
      </Row>
      {can('supervision.read') ? <ProductsCard enterpriseId={enterpriseId} /> : null}
      <ReasonModal
        open={asking !== undefined}
        title={
          asking?.kind === 'suspend'
            ? t('review.suspendTitle')
            : asking?.kind === 'rejectDoc'
              ? t('review.rejectDocTitle')
              : t('review.rejectTitle')
        }
        okText={asking?.kind === 'suspend' ? t('review.suspend') : t('review.reject')}
        onClose={() => setAsking(undefined)}
        onSubmit={async (reason) => {
          if (asking?.kind === 'rejectDoc') {
            await reviewDoc(asking.doc, 'rejected', reason);
            void message.success(t('review.docRejected'));
          } else if (asking?.kind === 'suspend') {
            await data(api.POST('/api/v1/enterprises/{enterpriseId}/suspend', { ...path, body: { reason } }));
            void message.success(t('review.suspended'));
          } else {
            await data(api.POST('/api/v1/enterprises/{enterpriseId}/reject', { ...path, body: { reason } }));
            void message.success(t('review.rejected'));
          }
          setAsking(undefined);
          await load();
        }}
      />
    </Page>
  );
}
