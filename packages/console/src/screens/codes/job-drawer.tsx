/**
 * One generation job: print-ready label PDFs, exports for printers and line-side coders with
 * live progress, activation for a batch (a range of the job), and a sample of its codes with
 * their scan pages.
 */
import { useCallback, useEffect, useState, type ReactNode } from 'react';
import {
  Alert,
  App,
  Button,
  Descriptions,
  Divider,
  Drawer,
  Form,
  InputNumber,
  List,
  Progress,
  Select,
  Space,
  Typography,
} from 'antd';
import { DownloadOutlined, FilePdfOutlined, ThunderboltOutlined } from '@ant-design/icons';
import { api, data } from '../../api/client.js';
import { applyFormError, errorText } from '../../api/errors.js';
import type { paths } from '../../api/schema.js';
import { useI18n } from '../../i18n/index.js';
import { useSession } from '../../session/session.js';

/** A generation job as the API shows it. */
export type Job = paths['/api/v1/code-jobs/{jobId}']['get']['responses'][200]['content']['application/json'];
type Export =
  paths['/api/v1/code-exports/{exportId}']['get']['responses'][200]['content']['application/json'];
type Code =
  paths['/api/v1/code-jobs/{jobId}/codes']['get']['responses'][200]['content']['application/json']['items'][number];

const layouts = ['classic', 'framed', 'sidebar'] as const;
const colours = ['red', 'orange', 'green', 'blue'] as const;

export function JobDrawer({
  job,
  onClose,
  onChanged,
}: {
  readonly job: Job | undefined;
  readonly onClose: () => void;
  readonly onChanged: () => void;
}): ReactNode {
  const { t } = useI18n();
  const { can } = useSession();
  const { message } = App.useApp();
  const [layout, setLayout] = useState<(typeof layouts)[number]>('classic');
  const [colour, setColour] = useState<(typeof colours)[number]>('red');
  const [format, setFormat] = useState<'csv' | 'txt'>('csv');
  const [compression, setCompression] = useState<'zip' | 'gzip' | 'none'>('zip');
  const [exports, setExports] = useState<readonly Export[]>([]);
  const [codes, setCodes] = useState<readonly Code[]>([]);
  const [batches, setBatches] = useState<{ value: string; label: string }[]>([]);
  const [form] = Form.useForm<{ batchId: string; from: number; to: number }>();
  const [activateError, setActivateError] = useState<string>();
  const jobId = job?.id;

  const loadExports = useCallback(async () => {
    if (jobId === undefined) return;
    const list = await data(api.GET('/api/v1/code-jobs/{jobId}/exports', { params: { path: { jobId } } }));
    setExports(list.items);
  }, [jobId]);

  useEffect(() => {
    if (job === undefined) return;
    form.setFieldsValue({ from: 1, to: job.count });
    setActivateError(undefined);
    Promise.all([
      loadExports(),
      data(
        api.GET('/api/v1/code-jobs/{jobId}/codes', {
          params: { path: { jobId: job.id }, query: { offset: 0, count: 5 } },
        }),
      ).then((c) => setCodes(c.items)),
      data(
        api.GET('/api/v1/batches', {
          params: {
            query: {
              page: 1,
              pageSize: 100,
              status: 'active',
              ...(job.productId === null ? {} : { productId: job.productId }),
            },
          },
        }),
      ).then((b) =>
        setBatches(
          b.items.map((i) => ({
            value: i.id,
            label: `${i.lot}${i.productName === undefined ? '' : ` · ${i.productName}`}`,
          })),
        ),
      ),
    ]).catch((e: unknown) => void message.error(errorText(t, e)));
  }, [job, form, loadExports, message, t]);

  // Live progress: while an export is queued or running, ask again every second.
  const busy = exports.some((e) => e.status === 'queued' || e.status === 'running');
  useEffect(() => {
    if (!busy) return;
    const timer = setInterval(() => void loadExports(), 1000);
    return () => clearInterval(timer);
  }, [busy, loadExports]);

  if (job === undefined) return <Drawer open={false} />;

  const startExport = async (): Promise<void> => {
    try {
      await data(
        api.POST('/api/v1/code-jobs/{jobId}/exports', {
          params: { path: { jobId: job.id } },
          body: { format, compression, includeUrl: true, includePin: job.withPin },
        }),
      );
      await loadExports();
    } catch (e) {
      void message.error(errorText(t, e));
    }
  };

  const activate = async (v: { batchId: string; from: number; to: number }): Promise<void> => {
    setActivateError(undefined);
    try {
      const r = await data(
        api.POST('/api/v1/code-activations', {
          body: { batchId: v.batchId, jobId: job.id, from: v.from, to: v.to },
        }),
      );
      void message.success(t('codes.activated', { n: r.activated.toLocaleString() }));
      onChanged();
    } catch (e) {
      setActivateError(
        applyFormError(form, t, e, {
          TRACE_CODE_ALREADY_ACTIVE: 'from',
          TRACE_CODE_RANGE_INVALID: 'to',
          TRACE_CODE_PRODUCT_MISMATCH: 'batchId',
          TRACE_BATCH_NOT_FOUND: 'batchId',
        }),
      );
    }
  };

  const labelCount = Math.min(job.count, 1000);
  const labelsUrl = `/api/v1/code-jobs/${job.id}/labels.pdf?layout=${layout}&colour=${colour}&count=${labelCount}`;

  return (
    <Drawer open onClose={onClose} size={720} title={t('codes.jobTitle', { n: job.count.toLocaleString() })}>
      <Descriptions
        size="small"
        column={2}
        items={[
          { key: 'count', label: t('codes.count'), children: job.count.toLocaleString() },
          {
            key: 'activated',
            label: t('codes.activatedCount'),
            children: (
              <Progress
                percent={Math.round((job.activated / job.count) * 100)}
                size="small"
                style={{ width: 160 }}
              />
            ),
          },
          { key: 'pin', label: t('codes.withPin'), children: job.withPin ? t('common.yes') : t('common.no') },
          { key: 'note', label: t('codes.note'), children: job.note ?? '—' },
        ]}
      />
      <Divider titlePlacement="start">{t('codes.labels')}</Divider>
      <Space wrap>
        <Select
          value={layout}
          onChange={setLayout}
          style={{ width: 160 }}
          options={layouts.map((l) => ({ value: l, label: t(`codes.layout_${l}`) }))}
          aria-label={t('codes.layout')}
        />
        <Select
          value={colour}
          onChange={setColour}
          style={{ width: 140 }}
          options={colours.map((c) => ({ value: c, label: t(`codes.colour_${c}`) }))}
          aria-label={t('codes.colour')}
        />
        <a href={labelsUrl} download>
          <Button type="primary" icon={<FilePdfOutlined />}>
            {t('codes.downloadLabels', { n: labelCount.toLocaleString() })}
          </Button>
        </a>
      </Space>
      <Typography.Paragraph type="secondary" style={{ marginTop: 8 }}>
        {t('codes.labelsHelp')}
      </Typography.Paragraph>
      <Divider titlePlacement="start">{t('codes.exports')}</Divider>
      <Space wrap>
        <Select
          value={format}
          onChange={setFormat}
          style={{ width: 200 }}
          aria-label={t('codes.format')}
          options={[
            { value: 'csv', label: t('codes.formatCsv') },
            { value: 'txt', label: t('codes.formatTxt') },
          ]}
        />
        <Select
          value={compression}
          onChange={setCompression}
          style={{ width: 120 }}
          aria-label={t('codes.compression')}
          options={[
            { value: 'zip', label: 'ZIP' },
            { value: 'gzip', label: 'gzip' },
            { value: 'none', label: t('codes.noCompression') },
          ]}
        />
        <Button icon={<DownloadOutlined />} onClick={() => void startExport()}>
          {t('codes.export')}
        </Button>
      </Space>
      <List<Export>
        style={{ marginTop: 12 }}
        size="small"
        dataSource={exports}
        locale={{ emptyText: t('codes.noExports') }}
        renderItem={(e) => (
          <List.Item>
            <div style={{ width: '100%' }}>
              <Space wrap>
                <Typography.Text strong>
                  {e.format.toUpperCase()} ·{' '}
                  {e.compression === 'none' ? t('codes.noCompression') : e.compression}
                </Typography.Text>
                <Typography.Text type="secondary">{t(`codes.export_${e.status}`)}</Typography.Text>
              </Space>
              <Progress
                percent={Math.floor(e.progress * 100)}
                status={e.status === 'failed' ? 'exception' : e.status === 'done' ? 'success' : 'active'}
                size="small"
              />
              <Space wrap>
                {e.files.map((f) => (
                  <a key={f.name} href={f.url} download>
                    <DownloadOutlined /> {f.name} ({(f.bytes / 1024).toFixed(1)} KB)
                  </a>
                ))}
              </Space>
            </div>
          </List.Item>
        )}
      />
      {can('codes.activate') ? (
        <>
          <Divider titlePlacement="start">{t('codes.activate')}</Divider>
          <Form form={form} layout="inline" onFinish={(v) => void activate(v)} style={{ rowGap: 8 }}>
            <Form.Item
              name="batchId"
              label={t('codes.batch')}
              rules={[{ required: true, message: t('rules.required') }]}
            >
              <Select options={batches} style={{ width: 220 }} notFoundContent={t('codes.noBatches')} />
            </Form.Item>
            <Form.Item
              name="from"
              label={t('codes.from')}
              rules={[{ required: true, message: t('rules.required') }]}
            >
              <InputNumber min={1} max={job.count} precision={0} />
            </Form.Item>
            <Form.Item
              name="to"
              label={t('codes.to')}
              rules={[{ required: true, message: t('rules.required') }]}
            >
              <InputNumber min={1} max={job.count} precision={0} />
            </Form.Item>
            <Button type="primary" htmlType="submit" icon={<ThunderboltOutlined />}>
              {t('codes.activateSubmit')}
            </Button>
          </Form>
          {activateError === undefined ? null : (
            <Alert type="error" showIcon title={activateError} style={{ marginTop: 8 }} />
          )}
        </>
      ) : null}
      <Divider titlePlacement="start">{t('codes.sample')}</Divider>
      <List<Code>
        size="small"
        dataSource={codes}
        renderItem={(c) => (
          <List.Item
            extra={
              <a href={`/c/${c.code}`} target="_blank" rel="noreferrer">
                {t('codes.scanPage')}
              </a>
            }
          >
            <Typography.Text code copyable>
              {c.code}
            </Typography.Text>
          </List.Item>
        )}
      />
    </Drawer>
  );
}
