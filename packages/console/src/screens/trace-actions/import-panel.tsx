/**
 * Import (批量导入) of business actions from a CSV or Excel file: the template to fill, the mode
 * (all or nothing, or the good rows only), the upload with its progress, and the answer — the
 * rows stored and each refused row with its column and reason, in a table.
 */
import { useState, type ReactNode } from 'react';
import {
  Alert,
  Button,
  Card,
  Flex,
  Progress,
  Radio,
  Space,
  Statistic,
  Table,
  Tag,
  Typography,
  Upload,
} from 'antd';
import { DownloadOutlined, InboxOutlined } from '@ant-design/icons';
import { ApiError, csrfToken, type ErrorBody } from '../../api/client.js';
import type { paths } from '../../api/schema.js';
import { errorText } from '../../api/errors.js';
import { hasMessage, useI18n, type MessageKey } from '../../i18n/index.js';

type Report = paths['/api/v1/trace-actions/import']['post']['responses'][200]['content']['application/json'];
type RowError = Report['errors'][number];
type Mode = 'all-or-nothing' | 'valid-rows';

/** Uploads the file with its progress; answers the report, or the refused rows of a rejected file. */
function sendImport(
  file: File,
  mode: Mode,
  onProgress: (percent: number) => void,
): Promise<{ report?: Report; rejected?: RowError[] }> {
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open('POST', `/api/v1/trace-actions/import?mode=${mode}`);
    xhr.withCredentials = true;
    xhr.setRequestHeader('X-CSRF-Token', csrfToken());
    xhr.responseType = 'json';
    xhr.upload.onprogress = (e) => {
      if (e.lengthComputable) onProgress(Math.round((e.loaded / e.total) * 100));
    };
    xhr.onerror = () => reject(new TypeError('network'));
    xhr.onload = () => {
      const body = xhr.response as unknown;
      if (xhr.status === 200) return resolve({ report: body as Report });
      const e = (body as Partial<ErrorBody> | null)?.error;
      if (xhr.status === 422 && e?.code === 'TRACE_ACTION_IMPORT_REJECTED') {
        return resolve({ rejected: (e.details ?? []) as unknown as RowError[] });
      }
      reject(ApiError.of(xhr.status, body));
    };
    const form = new FormData();
    form.append('file', file, file.name);
    xhr.send(form);
  });
}

export function ImportPanel({ onStored }: { readonly onStored?: () => void }): ReactNode {
  const { t } = useI18n();
  const [mode, setMode] = useState<Mode>('all-or-nothing');
  const [progress, setProgress] = useState<number>();
  const [busy, setBusy] = useState(false);
  const [fileName, setFileName] = useState<string>();
  const [report, setReport] = useState<Report>();
  const [rejected, setRejected] = useState<RowError[]>();
  const [error, setError] = useState<string>();

  const run = async (file: File): Promise<void> => {
    setBusy(true);
    setFileName(file.name);
    setProgress(0);
    setReport(undefined);
    setRejected(undefined);
    setError(undefined);
    try {
      const r = await sendImport(file, mode, setProgress);
      setReport(r.report);
      setRejected(r.rejected);
      if ((r.report?.storedRows ?? 0) > 0) onStored?.();
    } catch (e) {
      setError(errorText(t, e));
    } finally {
      setBusy(false);
    }
  };

  const errors = report?.errors ?? rejected ?? [];
  const codeText = (code: string): string => {
    const key = `errors.${code}`;
    return hasMessage(key) ? t(key as MessageKey) : code;
  };

  return (
    <Space orientation="vertical" size={16} style={{ width: '100%' }}>
      <Alert type="info" showIcon title={t('traceActions.importIntro')} />
      <Flex wrap gap={16} align="center">
        <Button icon={<DownloadOutlined />} href="/api/v1/trace-actions/import-template.csv" download>
          {t('traceActions.downloadTemplate')}
        </Button>
        <Radio.Group
          value={mode}
          onChange={(e) => setMode(e.target.value as Mode)}
          options={[
            { value: 'all-or-nothing', label: t('traceActions.modeAll') },
            { value: 'valid-rows', label: t('traceActions.modeValid') },
          ]}
        />
      </Flex>
      <Upload.Dragger
        accept=".csv,.xlsx,text/csv,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        showUploadList={false}
        disabled={busy}
        beforeUpload={(file) => {
          void run(file);
          return false;
        }}
      >
        <p className="ant-upload-drag-icon">
          <InboxOutlined />
        </p>
        <p className="ant-upload-text">{t('traceActions.dropFile')}</p>
        <p className="ant-upload-hint">{t('traceActions.dropHint')}</p>
      </Upload.Dragger>
      {progress === undefined ? null : (
        <Card size="small">
          <Typography.Text>{fileName}</Typography.Text>
          <Progress
            aria-label={t('traceActions.a_import')}
            percent={progress}
            status={busy ? 'active' : error !== undefined || rejected !== undefined ? 'exception' : 'success'}
            format={(p) => (busy && p === 100 ? t('traceActions.processing') : `${p ?? 0}%`)}
          />
        </Card>
      )}
      {error === undefined ? null : <Alert type="error" showIcon title={error} />}
      {rejected === undefined ? null : (
        <Alert
          type="error"
          showIcon
          title={t('traceActions.importRejected', { n: new Set(rejected.map((r) => r.row)).size })}
        />
      )}
      {report === undefined ? null : (
        <Card size="small">
          <Flex gap={48} wrap>
            <Statistic title={t('traceActions.rows')} value={report.rows} />
            <Statistic
              title={t('traceActions.storedRows')}
              value={report.storedRows}
              styles={{ content: { color: '#389e0d' } }}
            />
            <Statistic
              title={t('traceActions.failedRows')}
              value={report.failedRows}
              styles={{ content: { color: report.failedRows > 0 ? '#cf1322' : undefined } }}
            />
            <Statistic title={t('traceActions.eventsWritten')} value={report.eventIds.length} />
          </Flex>
        </Card>
      )}
      {errors.length === 0 ? null : (
        <Table<RowError>
          size="small"
          rowKey={(r) => `${r.row}-${r.column}-${r.code}-${r.message}`}
          dataSource={errors}
          pagination={{ pageSize: 10, showTotal: (n) => t('common.total', { total: n }) }}
          scroll={{ x: 720 }}
          columns={[
            { key: 'row', title: t('traceActions.row'), dataIndex: 'row', width: 80 },
            {
              key: 'column',
              title: t('traceActions.column'),
              dataIndex: 'column',
              width: 160,
              render: (v: string) => (v === '' ? '—' : <Tag>{v}</Tag>),
            },
            {
              key: 'code',
              title: t('traceActions.problem'),
              dataIndex: 'code',
              width: 260,
              render: (c: string) => codeText(c),
            },
            {
              key: 'message',
              title: t('traceActions.serverMessage'),
              dataIndex: 'message',
              render: (m: string) => <Typography.Text type="secondary">{m}</Typography.Text>,
            },
          ]}
        />
      )}
    </Space>
  );
}
