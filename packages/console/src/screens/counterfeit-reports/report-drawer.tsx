/**
 * One counterfeit report: what the consumer said (where, price, note, contact, region, photo),
 * how the code has been queried (first query, count, link to its history) and the handling
 * (status and internal note), which administrators can change.
 */
import { useEffect, useState, type ReactNode } from 'react';
import { Link } from 'react-router';
import {
  Alert,
  App,
  Button,
  Descriptions,
  Drawer,
  Empty,
  Flex,
  Form,
  Image,
  Input,
  Radio,
  Space,
  Tag,
  Typography,
} from 'antd';
import { HistoryOutlined, LockOutlined } from '@ant-design/icons';
import { api, data } from '../../api/client.js';
import { applyFormError } from '../../api/errors.js';
import type { paths } from '../../api/schema.js';
import { useI18n, type MessageKey } from '../../i18n/index.js';
import { VerdictTag } from '../scan-log/verdict-tag.js';
import { groupedCode } from '../scan-log/code-history-drawer.js';
import { dateTime, regionText } from '../scan-log/format.js';

/** A report as the API answers it. */
export type Report =
  paths['/api/v1/counterfeit-reports/{reportId}']['get']['responses'][200]['content']['application/json'];
type History = paths['/api/v1/codes/{code}/queries']['get']['responses'][200]['content']['application/json'];
type Handled = Exclude<Report['status'], 'new'>;

/** Statuses in the order of the handling. */
export const reportStatuses: readonly Report['status'][] = ['new', 'investigating', 'confirmed', 'dismissed'];

const colours: Readonly<Record<Report['status'], string>> = {
  new: 'red',
  investigating: 'processing',
  confirmed: 'magenta',
  dismissed: 'default',
};

/** A report's status in words and colour. */
export function ReportStatusTag({ status }: { readonly status: Report['status'] }): ReactNode {
  const { t } = useI18n();
  return <Tag color={colours[status]}>{t(`counterfeitReports.status_${status}` as MessageKey)}</Tag>;
}

/** The price paid, in yuan, from fen. */
export function yuan(cents: number | null): string | undefined {
  return cents === null ? undefined : (cents / 100).toFixed(2);
}

interface Values {
  status: Handled;
  handlerNote?: string;
}

/** The drawer; open while `report` is set. `onHandled` gets the report as saved. */
export function ReportDrawer({
  report,
  productName,
  canHandle,
  onClose,
  onHandled,
}: {
  readonly report: Report | undefined;
  readonly productName: string | undefined;
  readonly canHandle: boolean;
  readonly onClose: () => void;
  readonly onHandled: (report: Report) => void;
}): ReactNode {
  const { t } = useI18n();
  const { message } = App.useApp();
  const [form] = Form.useForm<Values>();
  const [history, setHistory] = useState<History | null>();
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);
  const id = report?.id;

  useEffect(() => {
    if (report === undefined) return undefined;
    form.setFieldsValue({
      status: report.status === 'new' ? 'investigating' : report.status,
      handlerNote: report.handlerNote ?? '',
    });
    setError(undefined);
    let live = true;
    setHistory(undefined);
    data(api.GET('/api/v1/codes/{code}/queries', { params: { path: { code: report.code } } }))
      .then((h) => {
        if (live) setHistory(h);
      })
      .catch(() => {
        if (live) setHistory(null);
      });
    return () => {
      live = false;
    };
    // The form follows the report shown, not every new object of the same report.
  }, [id]);

  const save = async (v: Values): Promise<void> => {
    if (report === undefined) return;
    setBusy(true);
    setError(undefined);
    try {
      const saved = await data(
        api.PATCH('/api/v1/counterfeit-reports/{reportId}', {
          params: { path: { reportId: report.id } },
          body: { status: v.status, handlerNote: (v.handlerNote ?? '').trim() === '' ? null : v.handlerNote },
        }),
      );
      void message.success(t('counterfeitReports.saved'));
      onHandled(saved);
    } catch (e) {
      setError(applyFormError(form, t, e));
    } finally {
      setBusy(false);
    }
  };

  return (
    <Drawer
      open={report !== undefined}
      onClose={onClose}
      size={640}
      title={t('counterfeitReports.drawerTitle')}
      extra={report === undefined ? null : <ReportStatusTag status={report.status} />}
    >
      {report === undefined ? null : (
        <Flex vertical gap={24}>
          <section>
            <Typography.Title level={5}>{t('counterfeitReports.sectionReport')}</Typography.Title>
            <Descriptions bordered size="small" column={1} styles={{ label: { width: 150 } }}>
              <Descriptions.Item label={t('counterfeitReports.reportedAt')}>
                {dateTime(report.createdAt)}
              </Descriptions.Item>
              <Descriptions.Item label={t('counterfeitReports.code')}>
                <Typography.Text code copyable={{ text: report.code }}>
                  {groupedCode(report.code)}
                </Typography.Text>
              </Descriptions.Item>
              <Descriptions.Item label={t('counterfeitReports.product')}>
                {productName ?? '—'}
              </Descriptions.Item>
              <Descriptions.Item label={t('counterfeitReports.verdict')}>
                <VerdictTag verdict={report.verdict} />
              </Descriptions.Item>
              <Descriptions.Item label={t('counterfeitReports.whereBought')}>
                <Typography.Text strong>{report.whereBought}</Typography.Text>
              </Descriptions.Item>
              <Descriptions.Item label={t('counterfeitReports.price')}>
                {yuan(report.priceCents) === undefined
                  ? '—'
                  : t('counterfeitReports.priceValue', { price: yuan(report.priceCents) ?? '' })}
              </Descriptions.Item>
              <Descriptions.Item label={t('counterfeitReports.region')}>
                {regionText(report.region) ?? '—'}
              </Descriptions.Item>
              <Descriptions.Item label={t('counterfeitReports.note')}>
                <Typography.Paragraph style={{ margin: 0, whiteSpace: 'pre-wrap' }}>
                  {report.note ?? '—'}
                </Typography.Paragraph>
              </Descriptions.Item>
              <Descriptions.Item
                label={
                  <Space size={4}>
                    <LockOutlined />
                    {t('counterfeitReports.contact')}
                  </Space>
                }
              >
                {report.contact === null ? (
                  '—'
                ) : (
                  <Space orientation="vertical" size={0}>
                    {report.contact}
                    <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                      {t('counterfeitReports.contactHint')}
                    </Typography.Text>
                  </Space>
                )}
              </Descriptions.Item>
              <Descriptions.Item label={t('counterfeitReports.photo')}>
                {report.photoUrl === null ? (
                  <Typography.Text type="secondary">{t('counterfeitReports.noPhoto')}</Typography.Text>
                ) : (
                  <Image
                    src={report.photoUrl}
                    alt={t('counterfeitReports.photo')}
                    width={200}
                    style={{ maxHeight: 200, objectFit: 'contain', background: '#fafafa' }}
                  />
                )}
              </Descriptions.Item>
            </Descriptions>
          </section>

          <section>
            <Flex justify="space-between" align="center">
              <Typography.Title level={5}>{t('counterfeitReports.sectionCode')}</Typography.Title>
              <Link to={`/scan-log?code=${encodeURIComponent(report.code)}`}>
                <HistoryOutlined /> {t('counterfeitReports.codeHistory')}
              </Link>
            </Flex>
            {history === undefined ? null : history === null ? (
              <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} />
            ) : (
              <Descriptions bordered size="small" column={2}>
                <Descriptions.Item label={t('counterfeitReports.firstQuery')}>
                  {history.firstQueryAt === null
                    ? t('counterfeitReports.neverQueried')
                    : `${dateTime(history.firstQueryAt)} · ${regionText(history.firstRegion) ?? ''}`}
                </Descriptions.Item>
                <Descriptions.Item label={t('counterfeitReports.count')}>
                  {t('counterfeitReports.countValue', { count: history.count })}
                </Descriptions.Item>
              </Descriptions>
            )}
          </section>

          <section>
            <Typography.Title level={5}>{t('counterfeitReports.sectionHandling')}</Typography.Title>
            <Typography.Paragraph type="secondary">
              {report.handledAt === null
                ? t('counterfeitReports.notHandled')
                : `${t('counterfeitReports.handledAt')}：${dateTime(report.handledAt)}`}
            </Typography.Paragraph>
            {canHandle ? null : (
              <Alert
                type="info"
                showIcon
                title={t('counterfeitReports.readOnly')}
                style={{ marginBottom: 16 }}
              />
            )}
            <Form form={form} layout="vertical" disabled={!canHandle} onFinish={(v) => void save(v)}>
              <Form.Item
                name="status"
                label={t('counterfeitReports.newStatus')}
                rules={[{ required: true, message: t('rules.required') }]}
              >
                <Radio.Group
                  optionType="button"
                  buttonStyle="solid"
                  options={(['investigating', 'confirmed', 'dismissed'] as const).map((s) => ({
                    value: s,
                    label: t(`counterfeitReports.status_${s}`),
                  }))}
                />
              </Form.Item>
              <Form.Item
                name="handlerNote"
                label={t('counterfeitReports.handlerNote')}
                rules={[{ max: 1000, message: t('rules.maxLength', { max: 1000 }) }]}
              >
                <Input.TextArea
                  rows={4}
                  showCount
                  maxLength={1000}
                  placeholder={t('counterfeitReports.handlerNotePlaceholder')}
                />
              </Form.Item>
              {error === undefined ? null : (
                <Alert type="error" showIcon title={error} style={{ marginBottom: 16 }} />
              )}
              {canHandle ? (
                <Button type="primary" htmlType="submit" loading={busy}>
                  {t('counterfeitReports.save')}
                </Button>
              ) : null}
            </Form>
          </section>
        </Flex>
      )}
    </Drawer>
  );
}
