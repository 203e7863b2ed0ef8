/**
 * 数据共享 (adr/0007): the enterprise lets a trading partner, or the regulators of one GB/T 2260
 * region, read some of its EPCIS events (all, or some bizSteps, in an eventTime window). Two
 * tabs: the shares it gave (the administrator creates and revokes them; operators read) and
 * those given to it, with a link to the events screen. A regulator sees only the second: what
 * enterprises shared with its jurisdiction.
 */
import { useCallback, useEffect, useState, type ReactNode } from 'react';
import { Link, useSearchParams } from 'react-router';
import {
  Alert,
  App,
  Button,
  Card,
  DatePicker,
  Drawer,
  Empty,
  Flex,
  Form,
  Input,
  Popconfirm,
  Radio,
  Select,
  Space,
  Table,
  Tabs,
  Tag,
  theme,
  Tooltip,
  Typography,
} from 'antd';
import { BankOutlined, PlusOutlined, ReloadOutlined, SafetyOutlined } from '@ant-design/icons';
import type { Dayjs } from 'dayjs';
import { CBV_BIZ_STEPS } from '@tracemark/core';
import { api, data } from '../../api/client.js';
import { applyFormError, errorText } from '../../api/errors.js';
import type { paths } from '../../api/schema.js';
import { useI18n, type Translate } from '../../i18n/index.js';
import { brandRed } from '../../layout/brand-logo.js';
import { Page } from '../../components/page.js';
import { RegionName, RegionPicker } from '../../components/region-picker.js';
import { useSession } from '../../session/session.js';
import { beijingTime, cbvWord } from '../events/words.js';

type Share =
  paths['/api/v1/event-shares']['get']['responses'][200]['content']['application/json']['items'][number];
type Direction = 'given' | 'received';

interface Values {
  grantee: { type: 'enterprise' | 'regulator'; enterpriseId?: string; jurisdiction?: string };
  bizSteps?: string[];
  from?: Dayjs | null;
  to?: Dayjs | null;
  note?: string;
}

const codeFields = {
  TRACE_SHARE_GRANTEE_NOT_FOUND: ['grantee', 'enterpriseId'],
} as const;

const uuid = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const mono = { fontFamily: 'ui-monospace, SFMono-Regular, Menlo, Consolas, monospace' } as const;

/** A picked date-time read as Beijing wall-clock time, in epoch milliseconds. */
const beijingMs = (d: Dayjs): number => Date.parse(`${d.format('YYYY-MM-DDTHH:mm:ss')}+08:00`);
/** Epoch milliseconds as the ISO 8601 the events screen's filters take (Beijing offset). */
const beijingIso = (ms: number): string => `${beijingTime(ms).replace(' ', 'T')}+08:00`;

function windowText(t: Translate, s: Share): string {
  if (s.from === null && s.to === null) return t('eventShares.anyTime');
  if (s.to === null) return t('eventShares.since', { from: beijingTime(s.from) });
  if (s.from === null) return t('eventShares.until', { to: beijingTime(s.to) });
  return t('eventShares.between', { from: beijingTime(s.from), to: beijingTime(s.to) });
}

function Scope({ share }: { readonly share: Share }): ReactNode {
  const { t } = useI18n();
  return (
    <Flex vertical gap={4} align="flex-start">
      {share.bizSteps === null ? (
        <Tag>{t('eventShares.allEvents')}</Tag>
      ) : (
        <Flex wrap gap={4}>
          {share.bizSteps.map((s) => (
            <Tag key={s} color="geekblue" title={s} style={{ marginInlineEnd: 0 }}>
              {cbvWord(t, 'bizStep', s)}
            </Tag>
          ))}
        </Flex>
      )}
      <Typography.Text type="secondary" style={{ fontSize: 12 }}>
        {windowText(t, share)}
      </Typography.Text>
      {share.note === null ? null : (
        <Typography.Text type="secondary" style={{ fontSize: 12 }} ellipsis={{ tooltip: share.note }}>
          {share.note}
        </Typography.Text>
      )}
    </Flex>
  );
}

function Grantee({ share }: { readonly share: Share }): ReactNode {
  const { t } = useI18n();
  if (share.grantee.type === 'regulator') {
    return (
      <Flex vertical gap={2} align="flex-start">
        <Space size={6}>
          <SafetyOutlined style={{ color: '#1677ff' }} />
          <Typography.Text strong>
            <RegionName code={share.grantee.id} />
          </Typography.Text>
        </Space>
        <Tag color="blue">{t('eventShares.granteeRegulator')}</Tag>
      </Flex>
    );
  }
  return (
    <Flex vertical gap={2} align="flex-start">
      <Space size={6}>
        <BankOutlined style={{ color: brandRed }} />
        <Typography.Text strong>
          {share.grantee.name ?? t('eventShares.unknownEnterprise', { id: share.grantee.id })}
        </Typography.Text>
      </Space>
      <Tag color="red">{t('eventShares.granteeEnterprise')}</Tag>
    </Flex>
  );
}

function ShareStatus({ share }: { readonly share: Share }): ReactNode {
  const { t } = useI18n();
  if (share.revokedAt === null) return <Tag color="success">{t('eventShares.active')}</Tag>;
  return (
    <Flex vertical gap={2} align="flex-start">
      <Tag>{t('eventShares.revoked')}</Tag>
      <Typography.Text type="secondary" style={{ fontSize: 12 }}>
        {beijingTime(share.revokedAt)}
      </Typography.Text>
    </Flex>
  );
}

/** The events screen's address narrowed to what a share lets the caller see. */
function eventsLink(share: Share): string {
  const q = new URLSearchParams();
  const [only, ...more] = share.bizSteps ?? [];
  if (only !== undefined && more.length === 0) q.set('bizStep', only);
  if (share.from !== null) q.set('from', beijingIso(share.from));
  if (share.to !== null) q.set('to', beijingIso(share.to));
  const s = q.toString();
  return s === '' ? '/events' : `/events?${s}`;
}

function useShares(direction: Direction, enabled: boolean) {
  const { t } = useI18n();
  const { message } = App.useApp();
  const [items, setItems] = useState<Share[]>([]);
  const [loading, setLoading] = useState(enabled);
  const [tick, setTick] = useState(0);
  useEffect(() => {
    if (!enabled) return undefined;
    let live = true;
    setLoading(true);
    data(api.GET('/api/v1/event-shares', { params: { query: { direction } } }))
      .then((r) => {
        if (live) setItems(r.items);
      })
      .catch((e: unknown) => {
        if (live) void message.error(errorText(t, e));
      })
      .finally(() => {
        if (live) setLoading(false);
      });
    return () => {
      live = false;
    };
  }, [direction, enabled, tick]);
  const reload = useCallback(() => setTick((n) => n + 1), []);
  return { items, loading, reload };
}

/** The names of the enterprise's members, for "created by" (administrators may list them). */
function useMemberNames(enabled: boolean): ReadonlyMap<string, string> {
  const [names, setNames] = useState<ReadonlyMap<string, string>>(new Map());
  useEffect(() => {
    if (!enabled) return;
    data(api.GET('/api/v1/users', { params: { query: { page: 1, pageSize: 100 } } }))
      .then((r) => setNames(new Map(r.items.map((u) => [u.id, u.displayName]))))
      .catch(() => undefined);
  }, [enabled]);
  return names;
}

function CreateDrawer({
  open,
  onClose,
  onCreated,
}: {
  readonly open: boolean;
  readonly onClose: () => void;
  readonly onCreated: () => void;
}): ReactNode {
  const { t } = useI18n();
  const { message } = App.useApp();
  const [form] = Form.useForm<Values>();
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);
  // Undefined until the form is mounted: the initial value's choice.
  const type =
    (Form.useWatch(['grantee', 'type'], form) as Values['grantee']['type'] | undefined) ?? 'enterprise';

  const submit = async (v: Values): Promise<void> => {
    setBusy(true);
    setError(undefined);
    try {
      const note = v.note?.trim() ?? '';
      await data(
        api.POST('/api/v1/event-shares', {
          body: {
            grantee:
              v.grantee.type === 'enterprise'
                ? { type: 'enterprise', enterpriseId: (v.grantee.enterpriseId ?? '').trim().toLowerCase() }
                : { type: 'regulator', jurisdiction: v.grantee.jurisdiction ?? '' },
            ...(v.bizSteps === undefined || v.bizSteps.length === 0 ? {} : { bizSteps: v.bizSteps }),
            ...(v.from == null ? {} : { from: beijingMs(v.from) }),
            ...(v.to == null ? {} : { to: beijingMs(v.to) }),
            ...(note === '' ? {} : { note }),
          },
        }),
      );
      void message.success(t('eventShares.createdDone'));
      form.resetFields();
      onCreated();
    } catch (e) {
      setError(applyFormError(form, t, e, codeFields));
    } finally {
      setBusy(false);
    }
  };

  return (
    <Drawer
      open={open}
      onClose={onClose}
      size={560}
      title={t('eventShares.create')}
      destroyOnHidden
      extra={
        <Space>
          <Button onClick={onClose}>{t('common.cancel')}</Button>
          <Button type="primary" loading={busy} onClick={() => form.submit()}>
            {t('common.save')}
          </Button>
        </Space>
      }
    >
      <Form<Values>
        name="eventShare"
        form={form}
        layout="vertical"
        initialValues={{ grantee: { type: 'enterprise' } }}
        onFinish={(v) => void submit(v)}
        onValuesChange={() => setError(undefined)}
      >
        <Form.Item name={['grantee', 'type']} label={t('eventShares.granteeType')}>
          <Radio.Group
            optionType="button"
            buttonStyle="solid"
            options={[
              { value: 'enterprise', label: t('eventShares.granteeEnterprise') },
              { value: 'regulator', label: t('eventShares.granteeRegulator') },
            ]}
          />
        </Form.Item>
        {type === 'enterprise' ? (
          <Form.Item
            name={['grantee', 'enterpriseId']}
            label={t('eventShares.enterpriseId')}
            extra={t('eventShares.enterpriseIdHelp')}
            rules={[
              { required: true, whitespace: true, message: t('rules.required') },
              {
                validator: (_r, v?: string) =>
                  v === undefined || v.trim() === '' || uuid.test(v.trim())
                    ? Promise.resolve()
                    : Promise.reject(new Error(t('eventShares.enterpriseIdPattern'))),
              },
            ]}
          >
            <Input autoComplete="off" style={mono} placeholder="0190f3a2-8c1d-7e4b-9a55-3b2f1c0d9e87" />
          </Form.Item>
        ) : (
          <Form.Item
            name={['grantee', 'jurisdiction']}
            label={t('eventShares.jurisdiction')}
            extra={t('eventShares.jurisdictionHelp')}
            rules={[{ required: true, message: t('rules.required') }]}
          >
            <RegionPicker />
          </Form.Item>
        )}
        <Form.Item name="bizSteps" label={t('eventShares.bizSteps')} extra={t('eventShares.bizStepsHelp')}>
          <Select
            mode="multiple"
            allowClear
            showSearch={{ optionFilterProp: 'label' }}
            placeholder={t('eventShares.bizStepsAll')}
            options={CBV_BIZ_STEPS.map((step) => ({
              value: step,
              label: `${cbvWord(t, 'bizStep', step)} · ${step}`,
            }))}
          />
        </Form.Item>
        <Typography.Text strong>{t('eventShares.window')}</Typography.Text>
        <Typography.Paragraph type="secondary" style={{ marginBottom: 8 }}>
          {t('eventShares.windowHelp')}
        </Typography.Paragraph>
        <Flex gap={12} wrap>
          <Form.Item name="from" label={t('eventShares.from')} style={{ flex: 1, minWidth: 200 }}>
            <DatePicker showTime={{ format: 'HH:mm' }} format="YYYY-MM-DD HH:mm" style={{ width: '100%' }} />
          </Form.Item>
          <Form.Item
            name="to"
            label={t('eventShares.to')}
            dependencies={['from']}
            style={{ flex: 1, minWidth: 200 }}
            rules={[
              ({ getFieldValue }) => ({
                validator: (_r, v?: Dayjs | null) => {
                  const from = getFieldValue('from') as Dayjs | null | undefined;
                  return v != null && from != null && !v.isAfter(from)
                    ? Promise.reject(new Error(t('eventShares.toAfterFrom')))
                    : Promise.resolve();
                },
              }),
            ]}
          >
            <DatePicker showTime={{ format: 'HH:mm' }} format="YYYY-MM-DD HH:mm" style={{ width: '100%' }} />
          </Form.Item>
        </Flex>
        <Form.Item
          name="note"
          label={t('eventShares.note')}
          rules={[{ max: 500, message: t('rules.maxLength', { max: 500 }) }]}
        >
          <Input.TextArea
            autoSize={{ minRows: 2, maxRows: 4 }}
            placeholder={t('eventShares.notePlaceholder')}
          />
        </Form.Item>
        {error === undefined ? null : <Alert type="error" showIcon title={error} />}
      </Form>
    </Drawer>
  );
}

function GivenTab({ manage }: { readonly manage: boolean }): ReactNode {
  const { t } = useI18n();
  const { message } = App.useApp();
  const { items, loading, reload } = useShares('given', true);
  const members = useMemberNames(manage);
  const { token } = theme.useToken();
  // A revoked share's cells are shaded (its text keeps full contrast; its status says revoked).
  const shade = (s: Share) => (s.revokedAt === null ? {} : { style: { background: token.colorBgLayout } });
  const [open, setOpen] = useState(false);

  const revoke = async (share: Share): Promise<void> => {
    try {
      await data(api.DELETE('/api/v1/event-shares/{shareId}', { params: { path: { shareId: share.id } } }));
      void message.success(t('eventShares.revokedDone'));
    } catch (e) {
      void message.error(errorText(t, e));
    }
    reload();
  };

  return (
    <>
      <Flex justify="flex-end" gap={8} style={{ marginBottom: 12 }}>
        <Tooltip title={t('eventShares.refresh')}>
          <Button icon={<ReloadOutlined />} onClick={reload} aria-label={t('eventShares.refresh')} />
        </Tooltip>
        {manage ? (
          <Button type="primary" icon={<PlusOutlined />} onClick={() => setOpen(true)}>
            {t('eventShares.create')}
          </Button>
        ) : null}
      </Flex>
      <Table<Share>
        rowKey="id"
        loading={loading}
        dataSource={items}
        scroll={{ x: 880 }}
        pagination={{
          pageSize: 20,
          hideOnSinglePage: true,
          showTotal: (total) => t('common.total', { total }),
        }}
        locale={{
          emptyText: (
            <Empty
              image={Empty.PRESENTED_IMAGE_SIMPLE}
              description={manage ? t('eventShares.emptyGiven') : t('eventShares.emptyGivenOperator')}
            />
          ),
        }}
        columns={[
          {
            key: 'grantee',
            onCell: shade,
            title: t('eventShares.grantee'),
            width: 240,
            render: (_v, s) => <Grantee share={s} />,
          },
          {
            key: 'scope',
            onCell: shade,
            title: t('eventShares.scope'),
            render: (_v, s) => <Scope share={s} />,
          },
          {
            key: 'created',
            onCell: shade,
            title: t('eventShares.created'),
            width: 190,
            render: (_v, s) => (
              <Flex vertical gap={2}>
                <span>{beijingTime(s.createdAt)}</span>
                <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                  {members.get(s.createdBy) ?? `${s.createdBy.slice(0, 8)}…`}
                </Typography.Text>
              </Flex>
            ),
          },
          {
            key: 'status',
            onCell: shade,
            title: t('eventShares.status'),
            width: 150,
            render: (_v, s) => <ShareStatus share={s} />,
          },
          ...(manage
            ? [
                {
                  key: 'actions',
                  onCell: shade,
                  title: t('common.actions'),
                  fixed: 'right' as const,
                  width: 90,
                  render: (_v: unknown, s: Share) =>
                    s.revokedAt === null ? (
                      <Popconfirm
                        title={t('eventShares.revokeConfirm')}
                        okText={t('eventShares.revoke')}
                        okButtonProps={{ danger: true }}
                        cancelText={t('common.cancel')}
                        onConfirm={() => void revoke(s)}
                      >
                        <Button type="link" size="small" danger>
                          {t('eventShares.revoke')}
                        </Button>
                      </Popconfirm>
                    ) : null,
                },
              ]
            : []),
        ]}
      />
      <CreateDrawer
        open={open}
        onClose={() => setOpen(false)}
        onCreated={() => {
          setOpen(false);
          reload();
        }}
      />
    </>
  );
}

function ReceivedTab({ enabled }: { readonly enabled: boolean }): ReactNode {
  const { t } = useI18n();
  const { me } = useSession();
  const { items, loading, reload } = useShares('received', enabled);
  const regulator = me?.user.role === 'regulator';
  const ownId = me?.enterprise?.id;
  return (
    <>
      <Flex justify="space-between" align="flex-start" gap={12} wrap style={{ marginBottom: 12 }}>
        {regulator ? (
          <Typography.Text type="secondary" style={{ flex: 1, minWidth: 280 }}>
            {t('eventShares.receivedNoteRegulator')}
            {me.user.jurisdiction === null ? null : (
              <>
                {' '}
                <Tag color="blue" style={{ marginInlineStart: 4 }}>
                  <RegionName code={me.user.jurisdiction} />
                </Tag>
              </>
            )}
          </Typography.Text>
        ) : (
          <Card size="small" style={{ flex: 1, minWidth: 280 }}>
            <Flex gap={12} align="center" wrap>
              <Typography.Text strong>{t('eventShares.ownId')}</Typography.Text>
              <Typography.Text copyable style={mono} data-testid="own-enterprise-id">
                {ownId ?? '—'}
              </Typography.Text>
              <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                {t('eventShares.ownIdHelp')}
              </Typography.Text>
            </Flex>
          </Card>
        )}
        <Tooltip title={t('eventShares.refresh')}>
          <Button icon={<ReloadOutlined />} onClick={reload} aria-label={t('eventShares.refresh')} />
        </Tooltip>
      </Flex>
      {regulator ? null : (
        <Alert type="info" showIcon title={t('eventShares.receivedNote')} style={{ marginBottom: 12 }} />
      )}
      <Table<Share>
        rowKey="id"
        loading={loading}
        dataSource={items}
        scroll={{ x: 860 }}
        pagination={{
          pageSize: 20,
          hideOnSinglePage: true,
          showTotal: (total) => t('common.total', { total }),
        }}
        locale={{
          emptyText: (
            <Empty
              image={Empty.PRESENTED_IMAGE_SIMPLE}
              description={
                regulator ? t('eventShares.emptyReceivedRegulator') : t('eventShares.emptyReceived')
              }
            />
          ),
        }}
        columns={[
          {
            key: 'owner',
            title: t('eventShares.owner'),
            width: 240,
            render: (_v, s) => (
              <Space size={6}>
                <BankOutlined style={{ color: brandRed }} />
                <Typography.Text strong>
                  {s.ownerName ?? t('eventShares.unknownEnterprise', { id: s.ownerEnterpriseId })}
                </Typography.Text>
              </Space>
            ),
          },
          { key: 'scope', title: t('eventShares.scope'), render: (_v, s) => <Scope share={s} /> },
          {
            key: 'createdAt',
            title: t('eventShares.createdAt'),
            width: 170,
            render: (_v, s) => beijingTime(s.createdAt),
          },
          {
            key: 'actions',
            title: t('common.actions'),
            fixed: 'right',
            width: 110,
            render: (_v, s) => (
              <Tooltip title={t('eventShares.viewEventsHelp')}>
                <Link to={eventsLink(s)}>{t('eventShares.viewEvents')}</Link>
              </Tooltip>
            ),
          },
        ]}
      />
    </>
  );
}

export default function EventSharesScreen(): ReactNode {
  const { t } = useI18n();
  const { me, can } = useSession();
  const [search, setSearch] = useSearchParams();
  const regulator = me?.user.role === 'regulator';
  const tab: Direction = regulator || search.get('tab') === 'received' ? 'received' : 'given';

  return (
    <Page
      title={t('eventShares.title')}
      subtitle={regulator ? t('eventShares.subtitleRegulator') : t('eventShares.subtitle')}
    >
      {regulator ? (
        <ReceivedTab enabled />
      ) : (
        <Tabs
          activeKey={tab}
          onChange={(k) => setSearch(k === 'received' ? { tab: 'received' } : {}, { replace: true })}
          items={[
            {
              key: 'given',
              label: t('eventShares.given'),
              children: <GivenTab manage={can('enterprise.edit')} />,
            },
            {
              key: 'received',
              label: t('eventShares.received'),
              children: <ReceivedTab enabled={tab === 'received'} />,
            },
          ]}
        />
      )}
    </Page>
  );
}
