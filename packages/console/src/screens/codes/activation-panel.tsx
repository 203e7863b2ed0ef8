/**
 * Activation of a job's codes for a batch: a range of positions, the whole job, or a list of
 * scanned or pasted codes (one per line; the URLs a scanner gun reads from the QR are taken too).
 * All-or-nothing, as the API is: a refused list shows each bad line in place (which code, why),
 * and a success shows what was activated.
 */
import { useMemo, useState, type ReactNode } from 'react';
import {
  Alert,
  App,
  Button,
  Flex,
  Form,
  Input,
  InputNumber,
  Segmented,
  Select,
  Table,
  Tag,
  Typography,
} from 'antd';
import { ThunderboltOutlined } from '@ant-design/icons';
import { api, ApiError, data } from '../../api/client.js';
import { applyFormError } from '../../api/errors.js';
import { hasMessage, useI18n, type MessageKey } from '../../i18n/index.js';
import type { Job } from './job-drawer.js';
import { readCodeList } from './scanned-codes.js';

type Mode = 'range' | 'job' | 'list';

interface RowError {
  readonly line: number;
  readonly text: string;
  readonly reason: string;
}

interface Summary {
  readonly activated: number;
  readonly ranges: number;
  readonly batch: string;
}

export function ActivationPanel({
  job,
  batches,
  onChanged,
}: {
  readonly job: Job;
  readonly batches: readonly { value: string; label: string }[];
  readonly onChanged: () => void;
}): ReactNode {
  const { t } = useI18n();
  const { message } = App.useApp();
  const [form] = Form.useForm<{ batchId: string; from: number; to: number }>();
  const [mode, setMode] = useState<Mode>('range');
  const [text, setText] = useState('');
  const [error, setError] = useState<string>();
  const [rowErrors, setRowErrors] = useState<readonly RowError[]>([]);
  const [summary, setSummary] = useState<Summary>();
  const [busy, setBusy] = useState(false);
  const list = useMemo(() => readCodeList(text), [text]);
  const remaining = job.count - job.activated;

  const reasonOf = (code: string | undefined, fallback: string): string => {
    const key = `errors.${code ?? ''}`;
    return hasMessage(key) ? t(key as MessageKey) : fallback;
  };

  const submit = async (v: { batchId: string; from: number; to: number }): Promise<void> => {
    setError(undefined);
    setRowErrors([]);
    setSummary(undefined);
    if (mode === 'list' && (list.codes.length === 0 || list.problems.length > 0)) return;
    setBusy(true);
    try {
      const body =
        mode === 'range'
          ? { batchId: v.batchId, jobId: job.id, from: v.from, to: v.to }
          : mode === 'job'
            ? { batchId: v.batchId, jobId: job.id }
            : { batchId: v.batchId, codes: [...list.codes] };
      const r = await data(api.POST('/api/v1/code-activations', { body }));
      void message.success(t('codes.activated', { n: r.activated.toLocaleString() }));
      setSummary({
        activated: r.activated,
        ranges: r.ranges,
        batch: batches.find((b) => b.value === v.batchId)?.label ?? '',
      });
      if (mode === 'list') setText('');
      onChanged();
    } catch (e) {
      const rows =
        mode === 'list' && e instanceof ApiError
          ? e.details.flatMap((d) => {
              const m = /^body\.codes\.(\d+)$/.exec(d.field);
              const i = m === null ? undefined : Number(m[1]);
              if (i === undefined) return [];
              const detail = d as { code?: string };
              return [
                {
                  line: list.lines[i] ?? i + 1,
                  text: list.codes[i] ?? '',
                  reason: reasonOf(detail.code, d.message),
                },
              ];
            })
          : [];
      if (rows.length > 0) {
        setRowErrors(rows);
        setError(t('codes.listRefused', { n: rows.length }));
      } else {
        setError(
          applyFormError(form, t, e, {
            TRACE_CODE_ALREADY_ACTIVE: mode === 'range' ? 'from' : 'batchId',
            TRACE_CODE_RANGE_INVALID: 'to',
            TRACE_CODE_PRODUCT_MISMATCH: 'batchId',
            TRACE_BATCH_NOT_FOUND: 'batchId',
            TRACE_BATCH_ARCHIVED: 'batchId',
          }),
        );
      }
    } finally {
      setBusy(false);
    }
  };

  const problems: readonly RowError[] = [
    ...list.problems.map((p) => ({ line: p.line, text: p.text, reason: t(`codes.scan_${p.reason}`) })),
    ...rowErrors,
  ];

  return (
    <div>
      <Segmented<Mode>
        value={mode}
        onChange={(m) => {
          setMode(m);
          setError(undefined);
          setRowErrors([]);
          setSummary(undefined);
        }}
        options={[
          { value: 'range', label: t('codes.modeRange') },
          { value: 'job', label: t('codes.modeJob') },
          { value: 'list', label: t('codes.modeList') },
        ]}
        style={{ marginBottom: 12 }}
      />
      <Form
        form={form}
        layout={mode === 'range' ? 'inline' : 'vertical'}
        onFinish={(v) => void submit(v)}
        initialValues={{ from: 1, to: job.count }}
        style={{ rowGap: 8 }}
      >
        <Form.Item
          name="batchId"
          label={t('codes.batch')}
          rules={[{ required: true, message: t('rules.required') }]}
        >
          <Select
            options={[...batches]}
            style={{ width: 360, maxWidth: '100%' }}
            notFoundContent={t('codes.noBatches')}
          />
        </Form.Item>
        {mode === 'range' ? (
          <>
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
            <Button type="primary" htmlType="submit" icon={<ThunderboltOutlined />} loading={busy}>
              {t('codes.activateSubmit')}
            </Button>
          </>
        ) : null}
        {mode === 'job' ? (
          <>
            <Typography.Paragraph>
              {t('codes.jobWhole', {
                n: job.count.toLocaleString(),
                active: job.activated.toLocaleString(),
              })}
            </Typography.Paragraph>
            <Button
              type="primary"
              htmlType="submit"
              icon={<ThunderboltOutlined />}
              loading={busy}
              disabled={remaining === 0}
            >
              {t('codes.activateJob', { n: job.count.toLocaleString() })}
            </Button>
          </>
        ) : null}
        {mode === 'list' ? (
          <>
            <Form.Item label={t('codes.listLabel')} extra={t('codes.listHelp')}>
              <Input.TextArea
                aria-label={t('codes.listLabel')}
                value={text}
                onChange={(e) => {
                  setText(e.target.value);
                  setRowErrors([]);
                  setError(undefined);
                }}
                autoSize={{ minRows: 6, maxRows: 14 }}
                placeholder={t('codes.listPlaceholder')}
                style={{ fontFamily: 'ui-monospace, SFMono-Regular, Menlo, Consolas, monospace' }}
                status={problems.length > 0 ? 'error' : undefined}
              />
            </Form.Item>
            <Flex gap={8} wrap align="center" style={{ marginBottom: 12 }}>
              <Tag color="blue">{t('codes.listCount', { n: list.codes.length })}</Tag>
              {list.duplicates > 0 ? <Tag>{t('codes.listDuplicates', { n: list.duplicates })}</Tag> : null}
              {list.problems.length > 0 ? (
                <Tag color="error">{t('codes.listBad', { n: list.problems.length })}</Tag>
              ) : null}
            </Flex>
            <Button
              type="primary"
              htmlType="submit"
              icon={<ThunderboltOutlined />}
              loading={busy}
              disabled={list.codes.length === 0 || list.problems.length > 0}
            >
              {t('codes.activateList', { n: list.codes.length.toLocaleString() })}
            </Button>
          </>
        ) : null}
      </Form>
      {error === undefined ? null : <Alert type="error" showIcon title={error} style={{ marginTop: 12 }} />}
      {problems.length > 0 ? (
        <Table<RowError>
          style={{ marginTop: 12 }}
          size="small"
          rowKey={(r) => `${r.line}:${r.text}`}
          dataSource={[...problems]}
          pagination={problems.length > 10 ? { pageSize: 10, size: 'small' } : false}
          columns={[
            {
              key: 'line',
              title: t('codes.rowLine'),
              dataIndex: 'line',
              width: 80,
              render: (n: number) => t('codes.lineN', { n }),
            },
            {
              key: 'text',
              title: t('codes.rowCode'),
              dataIndex: 'text',
              render: (s: string) => (
                <span
                  style={{ fontFamily: 'ui-monospace, Menlo, Consolas, monospace', wordBreak: 'break-all' }}
                >
                  {s}
                </span>
              ),
            },
            {
              key: 'reason',
              title: t('codes.rowReason'),
              dataIndex: 'reason',
              render: (s: string) => <Typography.Text type="danger">{s}</Typography.Text>,
            },
          ]}
        />
      ) : null}
      {summary === undefined ? null : (
        <Alert
          type="success"
          showIcon
          style={{ marginTop: 12 }}
          title={t('codes.summaryTitle', { n: summary.activated.toLocaleString() })}
          description={t('codes.summaryText', { ranges: summary.ranges, batch: summary.batch })}
        />
      )}
    </div>
  );
}
