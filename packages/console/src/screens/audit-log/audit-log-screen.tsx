/**
 * The audit log: who changed what and when, newest first, paged and filtered on the server
 * (time range, actor, action; the operator also by enterprise). Action and target codes read as
 * words in either language; a row opens to show the entry's details.
 */
import { useState, type ReactNode } from 'react';
import {
  Button,
  DatePicker,
  Descriptions,
  Empty,
  Flex,
  Input,
  Select,
  Space,
  Table,
  Tag,
  Tooltip,
  Typography,
} from 'antd';
import { ApiOutlined, ReloadOutlined, SettingOutlined, UserOutlined } from '@ant-design/icons';
import dayjs, { type Dayjs } from 'dayjs';
import { api, data } from '../../api/client.js';
import type { paths } from '../../api/schema.js';
import { hasMessage, useI18n, type MessageKey, type Translate } from '../../i18n/index.js';
import { brandTeal } from '../../layout/brand-logo.js';
import { useMe } from '../../session/session.js';
import { EnterpriseSelect } from '../../components/enterprise-select.js';
import { Page } from '../../components/page.js';
import { usePage } from '../../components/use-page.js';
import { auditAction } from '../../i18n/zh-CN/audit-log.js';

type Entry =
  paths['/api/v1/audit-log']['get']['responses'][200]['content']['application/json']['items'][number];

interface Query {
  page: number;
  pageSize: number;
  /** The operator's filter: one enterprise's entries. */
  enterpriseId?: string;
  action?: string;
  actor?: string;
  from?: number;
  to?: number;
}

/** The action codes the console knows, by the area they belong to (for the filter). */
const groups: readonly { readonly label: MessageKey; readonly prefixes: readonly string[] }[] = [
  { label: 'auditLog.groupAccount', prefixes: ['auth', 'user', 'api_key'] },
  { label: 'auditLog.groupEnterprise', prefixes: ['enterprise', 'document'] },
  { label: 'auditLog.groupProduct', prefixes: ['product', 'batch'] },
  { label: 'auditLog.groupCodes', prefixes: ['code_space', 'code_job', 'code_export', 'codes'] },
  { label: 'auditLog.groupScan', prefixes: ['scan_settings', 'counterfeit_report', 'platform_alert'] },
  { label: 'auditLog.groupTrace', prefixes: ['epcis', 'stage_template', 'trace_action'] },
];

/** Every action code with a translation (`auditAction` keys are codes with `.` as `:`). */
const knownActions: readonly string[] = Object.keys(auditAction).map((k) => k.replace(':', '.'));

/** An action code in words, else the code itself (an action added to the server later). */
function actionText(t: Translate, action: string): string {
  const key = `auditAction.${action.replace('.', ':')}`;
  return hasMessage(key) ? t(key as MessageKey) : action;
}

function targetText(t: Translate, targetType: string): string {
  const key = `auditTarget.${targetType}`;
  return hasMessage(key) ? t(key as MessageKey) : targetType;
}

const mono = {
  fontFamily: 'ui-monospace, SFMono-Regular, Menlo, Consolas, monospace',
  fontSize: 12,
} as const;

function ActorCell({ entry }: { readonly entry: Entry }): ReactNode {
  const { t } = useI18n();
  const icon =
    entry.actorType === 'api_key' ? (
      <ApiOutlined />
    ) : entry.actorType === 'system' ? (
      <SettingOutlined />
    ) : (
      <UserOutlined />
    );
  const kind =
    entry.actorType === 'api_key'
      ? t('auditLog.actorApiKey')
      : entry.actorType === 'system'
        ? t('auditLog.actorSystem')
        : t('auditLog.actorUser');
  const name = entry.actorType === 'api_key' ? entry.actorName.replace(/^api-key:/, '') : entry.actorName;
  return (
    <Tooltip title={kind}>
      <Space size={6}>
        <span style={{ color: entry.actorType === 'api_key' ? brandTeal : '#8c8c8c' }}>{icon}</span>
        <span style={{ whiteSpace: 'nowrap' }}>{name}</span>
      </Space>
    </Tooltip>
  );
}

function detailValue(t: Translate, key: string, value: unknown): ReactNode {
  if (value === null || value === undefined) return '—';
  if (typeof value === 'boolean') return value ? t('common.yes') : t('common.no');
  if (key === 'role' && typeof value === 'string' && hasMessage(`roles.${value}`)) {
    return t(`roles.${value}` as MessageKey);
  }
  if (typeof value === 'string' || typeof value === 'number') return String(value);
  return (
    <Typography.Text style={{ ...mono, whiteSpace: 'pre-wrap', wordBreak: 'break-all' }}>
      {JSON.stringify(value, null, 2)}
    </Typography.Text>
  );
}

/** The first few details as `key: value`, for the list (the row opens to show them all). */
function summary(t: Translate, details: Entry['details']): string {
  return Object.entries(details)
    .slice(0, 3)
    .map(([k, v]) => {
      const text =
        typeof v === 'boolean'
          ? v
            ? t('common.yes')
            : t('common.no')
          : k === 'role' && typeof v === 'string' && hasMessage(`roles.${v}`)
            ? t(`roles.${v}` as MessageKey)
            : typeof v === 'string' || typeof v === 'number'
              ? String(v)
              : JSON.stringify(v);
      return `${k}: ${text}`;
    })
    .join('; ');
}

function EntryDetails({ entry, platform }: { readonly entry: Entry; readonly platform: boolean }): ReactNode {
  const { t } = useI18n();
  const details = Object.entries(entry.details);
  return (
    <Flex vertical gap={12} style={{ padding: '4px 8px' }}>
      <Descriptions size="small" column={{ xs: 1, md: 2 }} bordered>
        <Descriptions.Item label={t('auditLog.action')}>
          {actionText(t, entry.action)}{' '}
          <Typography.Text type="secondary" style={mono}>
            {entry.action}
          </Typography.Text>
        </Descriptions.Item>
        <Descriptions.Item label={t('auditLog.target')}>
          {targetText(t, entry.targetType)}{' '}
          {entry.targetId === null ? null : (
            <Typography.Text copyable style={mono}>
              {entry.targetId}
            </Typography.Text>
          )}
        </Descriptions.Item>
        {platform ? (
          <Descriptions.Item label={t('auditLog.enterprise')}>
            {entry.enterpriseId === null ? (
              '—'
            ) : (
              <Typography.Text style={mono}>{entry.enterpriseId}</Typography.Text>
            )}
          </Descriptions.Item>
        ) : null}
        <Descriptions.Item label={t('auditLog.requestId')}>
          {entry.requestId === null ? (
            '—'
          ) : (
            <Typography.Text copyable style={mono}>
              {entry.requestId}
            </Typography.Text>
          )}
        </Descriptions.Item>
      </Descriptions>
      <Typography.Text strong>{t('auditLog.details')}</Typography.Text>
      {details.length === 0 ? (
        <Typography.Text type="secondary">{t('auditLog.noDetails')}</Typography.Text>
      ) : (
        <Descriptions size="small" column={1} bordered styles={{ label: { width: 200 } }}>
          {details.map(([k, v]) => (
            <Descriptions.Item key={k} label={<Typography.Text style={mono}>{k}</Typography.Text>}>
              {detailValue(t, k, v)}
            </Descriptions.Item>
          ))}
        </Descriptions>
      )}
    </Flex>
  );
}

export default function AuditLogScreen(): ReactNode {
  const { t } = useI18n();
  const me = useMe();
  const platform = me.user.role === 'platform_operator';
  const [query, setQuery] = useState<Query>({ page: 1, pageSize: 20 });
  const [range, setRange] = useState<[Dayjs | null, Dayjs | null] | null>(null);
  const [actorText, setActorText] = useState('');
  const { page, loading, reload } = usePage(
    (q: Query) => data(api.GET('/api/v1/audit-log', { params: { query: q } })),
    query,
  );
  const filtered =
    query.enterpriseId !== undefined ||
    query.action !== undefined ||
    query.actor !== undefined ||
    query.from !== undefined ||
    query.to !== undefined;

  const actionOptions = groups.map((g) => ({
    label: t(g.label),
    options: knownActions
      .filter((a) => g.prefixes.includes(a.split('.')[0] ?? ''))
      .map((a) => ({ value: a, label: actionText(t, a) })),
  }));

  const now = dayjs();
  return (
    <Page
      title={t('auditLog.title')}
      subtitle={platform ? t('auditLog.subtitlePlatform') : t('auditLog.subtitle')}
    >
      <Flex gap={12} wrap style={{ marginBottom: 16 }}>
        <DatePicker.RangePicker
          showTime={{ format: 'HH:mm' }}
          format="YYYY-MM-DD HH:mm"
          value={range}
          allowEmpty={[true, true]}
          placeholder={[t('auditLog.timeFrom'), t('auditLog.timeTo')]}
          presets={[
            { label: t('auditLog.last24h'), value: [now.subtract(24, 'hour'), now] },
            { label: t('auditLog.last7d'), value: [now.subtract(7, 'day').startOf('day'), now] },
            { label: t('auditLog.last30d'), value: [now.subtract(30, 'day').startOf('day'), now] },
          ]}
          onChange={(v) => {
            setRange(v);
            const from = v?.[0]?.valueOf();
            const to = v?.[1]?.valueOf();
            setQuery({ ...query, page: 1, from, to: to === undefined ? undefined : to + 60_000 });
          }}
          style={{ width: 360 }}
        />
        <Input.Search
          allowClear
          value={actorText}
          onChange={(e) => setActorText(e.target.value)}
          placeholder={t('auditLog.actorSearch')}
          style={{ width: 240 }}
          onSearch={(v) => setQuery({ ...query, page: 1, actor: v.trim() === '' ? undefined : v.trim() })}
        />
        {platform ? (
          <EnterpriseSelect
            value={query.enterpriseId}
            placeholder={t('auditLog.enterpriseAll')}
            onChange={(enterpriseId) => setQuery({ ...query, page: 1, enterpriseId })}
            style={{ width: 240 }}
          />
        ) : null}
        <Select<string | undefined>
          aria-label={t('auditLog.action')}
          allowClear
          showSearch={{ optionFilterProp: 'label' }}
          placeholder={t('auditLog.actionAll')}
          value={query.action}
          options={actionOptions}
          style={{ width: 240 }}
          onChange={(action) => setQuery({ ...query, page: 1, action })}
          popupMatchSelectWidth={280}
        />
        {filtered ? (
          <Button
            onClick={() => {
              setRange(null);
              setActorText('');
              setQuery({ page: 1, pageSize: query.pageSize });
            }}
          >
            {t('auditLog.reset')}
          </Button>
        ) : null}
        <Tooltip title={t('webhooks.refresh')}>
          <Button icon={<ReloadOutlined />} onClick={reload} aria-label={t('webhooks.refresh')} />
        </Tooltip>
      </Flex>
      <Table<Entry>
        rowKey="id"
        size="middle"
        loading={loading}
        dataSource={page?.items ?? []}
        scroll={{ x: 1160 }}
        expandable={{
          expandedRowRender: (e) => <EntryDetails entry={e} platform={platform} />,
          expandRowByClick: true,
        }}
        locale={{
          emptyText: (
            <Empty
              image={Empty.PRESENTED_IMAGE_SIMPLE}
              description={filtered ? t('auditLog.empty') : t('auditLog.emptyAll')}
            />
          ),
        }}
        pagination={{
          current: query.page,
          pageSize: query.pageSize,
          total: page?.total ?? 0,
          showSizeChanger: true,
          showTotal: (total) => t('common.total', { total }),
        }}
        onChange={(p) => setQuery({ ...query, page: p.current ?? 1, pageSize: p.pageSize ?? 20 })}
        columns={[
          {
            key: 'at',
            title: t('auditLog.time'),
            dataIndex: 'at',
            width: 190,
            render: (v: number) => (
              <span style={{ whiteSpace: 'nowrap' }}>{dayjs(v).format('YYYY-MM-DD HH:mm:ss')}</span>
            ),
          },
          {
            key: 'actor',
            title: t('auditLog.actor'),
            width: 180,
            render: (_v, e) => <ActorCell entry={e} />,
          },
          {
            key: 'action',
            width: 200,
            title: t('auditLog.action'),
            dataIndex: 'action',
            render: (v: string) => (
              <Flex vertical>
                <Typography.Text strong>{actionText(t, v)}</Typography.Text>
                <Typography.Text type="secondary" style={mono}>
                  {v}
                </Typography.Text>
              </Flex>
            ),
          },
          {
            key: 'summary',
            width: 260,
            title: t('auditLog.details'),
            render: (_v, e) => {
              const text = summary(t, e.details);
              return text === '' ? (
                <Typography.Text type="secondary">—</Typography.Text>
              ) : (
                <Typography.Text type="secondary" style={{ maxWidth: 240 }} ellipsis={{ tooltip: text }}>
                  {text}
                </Typography.Text>
              );
            },
          },
          {
            key: 'target',
            width: 280,
            title: t('auditLog.target'),
            render: (_v, e) => (
              <Space size={6}>
                <Tag>{targetText(t, e.targetType)}</Tag>
                {e.targetId === null ? null : (
                  <Typography.Text
                    type="secondary"
                    style={{ ...mono, maxWidth: 220 }}
                    ellipsis={{ tooltip: e.targetId }}
                  >
                    {e.targetId}
                  </Typography.Text>
                )}
              </Space>
            ),
          },
        ]}
      />
    </Page>
  );
}
