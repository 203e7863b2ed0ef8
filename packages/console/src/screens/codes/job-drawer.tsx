/**
 * One generation job: print-ready label PDFs with a live preview, exports for printers and
 * line-side coders with live progress, activation for a batch (a range, the whole job or a list
 * of scanned codes), and a sample of its codes with their scan pages.
 */
import { useCallback, useEffect, useState, type ReactNode } from 'react';
import { App, Button, Descriptions, Divider, Drawer, List, Progress, Select, Space, Typography } from 'antd';
import { DownloadOutlined } from '@ant-design/icons';
import { api, data } from '../../api/client.js';
import { errorText } from '../../api/errors.js';
import type { paths } from '../../api/schema.js';
import { useI18n } from '../../i18n/index.js';
import { useSession } from '../../session/session.js';
import { ActivationPanel } from './activation-panel.js';
import { LabelPreview } from './label-preview.js';

/** A generation job as the API shows it. */
export type Job = paths['/api/v1/code-jobs/{jobId}']['get']['responses'][200]['content']['application/json'];
type Export =
  paths['/api/v1/code-exports/{exportId}']['get']['responses'][200]['content']['application/json'];
type Code =
  paths['/api/v1/code-jobs/{jobId}/codes']['get']['responses'][200]['content']['application/json']['items'][number];

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
  const [format, setFormat] = useState<'csv' | 'txt'>('csv');
  const [compression, setCompression] = useState<'zip' | 'gzip' | 'none'>('zip');
  const [exports, setExports] = useState<readonly Export[]>([]);
  const [codes, setCodes] = useState<readonly Code[]>([]);
  const [batches, setBatches] = useState<{ value: string; label: string }[]>([]);
  const jobId = job?.id;
  const productId = job?.productId;

  const loadExports = useCallback(async () => {
    if (jobId === undefined) return;
    const list = await data(api.GET('/api/v1/code-jobs/{jobId}/exports', { params: { path: { jobId } } }));
    setExports(list.items);
  }, [jobId]);

  useEffect(() => {
    if (jobId === undefined) return;
    Promise.all([
      loadExports(),
      data(
        api.GET('/api/v1/code-jobs/{jobId}/codes', {
          params: { path: { jobId }, query: { offset: 0, count: 5 } },
        }),
      ).then((c) => setCodes(c.items)),
      data(
        api.GET('/api/v1/batches', {
          params: {
            query: {
              page: 1,
              pageSize: 100,
              status: 'active',
              ...(productId == null ? {} : { productId }),
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
    // A new job (not a refresh of this one) loads its lists again.
  }, [jobId, productId, loadExports, message, t]);

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

  return (
    <Drawer open onClose={onClose} size={980} title={t('codes.jobTitle', { n: job.count.toLocaleString() })}>
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
                aria-label={t('codes.activatedCount')}
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
      <LabelPreview key={job.id} job={job} />
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
        locale={{ emptyText: <Typography.Text type="secondary">{t('codes.noExports')}</Typography.Text> }}
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
                aria-label={t('codes.export')}
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
          <ActivationPanel key={job.id} job={job} batches={batches} onChanged={onChanged} />
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
