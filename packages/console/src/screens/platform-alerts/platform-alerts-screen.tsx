/**
 * The platform operator's alerts: networks blocked for guessing codes and surges of invalid
 * lookups across the platform, in words with the figures that raised them; open ones first by
 * default, each acknowledged with one confirmed click.
 */
import { useState, type ReactNode } from 'react';
import {
  App,
  Badge,
  Button,
  Empty,
  Popconfirm,
  Segmented,
  Space,
  Table,
  Tag,
  Tooltip,
  Typography,
} from 'antd';
import { CheckOutlined, GlobalOutlined, RadarChartOutlined } from '@ant-design/icons';
import dayjs from 'dayjs';
import { api, data } from '../../api/client.js';
import type { paths } from '../../api/schema.js';
import { errorText } from '../../api/errors.js';
import { useI18n } from '../../i18n/index.js';
import { brandRed } from '../../layout/brand-logo.js';
import { Page } from '../../components/page.js';
import { usePage } from '../../components/use-page.js';

type Alert =
  paths['/api/v1/platform-alerts']['get']['responses'][200]['content']['application/json']['items'][number];
type Status = Alert['status'];
interface Query {
  page: number;
  pageSize: number;
  status?: Status;
}

const when = (ms: number) => dayjs(ms).format('YYYY-MM-DD HH:mm:ss');
const figure = (details: Record<string, unknown>, key: string): string => {
  const v = details[key];
  return typeof v === 'number' || typeof v === 'string' ? String(v) : '—';
};

export default function PlatformAlertsScreen(): ReactNode {
  const { t } = useI18n();
  const { message } = App.useApp();
  const [query, setQuery] = useState<Query>({ page: 1, pageSize: 20, status: 'open' });
  const [busy, setBusy] = useState<string>();
  const { page, loading, reload } = usePage(
    (q: Query) => data(api.GET('/api/v1/platform-alerts', { params: { query: q } })),
    query,
  );

  const acknowledge = async (alert: Alert): Promise<void> => {
    setBusy(alert.id);
    try {
      await data(
        api.POST('/api/v1/platform-alerts/{alertId}/acknowledge', {
          params: { path: { alertId: alert.id } },
        }),
      );
      void message.success(t('platformAlerts.acknowledgedDone'));
    } catch (e) {
      void message.error(errorText(t, e));
    } finally {
      setBusy(undefined);
      reload();
    }
  };

  const network = (a: Alert) => a.kind === 'invalid_lookups_network';
  return (
    <Page title={t('platformAlerts.title')} subtitle={t('platformAlerts.subtitle')}>
      <Segmented<Status | 'all'>
        style={{ marginBottom: 16 }}
        value={query.status ?? 'all'}
        onChange={(v) => setQuery({ ...query, page: 1, status: v === 'all' ? undefined : v })}
        options={[
          { value: 'open', label: t('platformAlerts.open') },
          { value: 'acknowledged', label: t('platformAlerts.acknowledged') },
          { value: 'all', label: t('platformAlerts.all') },
        ]}
      />
      <Table<Alert>
        rowKey="id"
        loading={loading}
        dataSource={page?.items ?? []}
        scroll={{ x: 1400 }}
        locale={{
          emptyText:
            query.status === 'open' ? (
              <Empty
                description={
                  <Space orientation="vertical" size={2}>
                    <Typography.Text strong>{t('platformAlerts.emptyOpen')}</Typography.Text>
                    <Typography.Text type="secondary">{t('platformAlerts.emptyOpenText')}</Typography.Text>
                  </Space>
                }
              />
            ) : (
              <Empty description={t('platformAlerts.empty')} />
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
            key: 'kind',
            title: t('platformAlerts.kind'),
            width: 320,
            render: (_v, a) => (
              <Space align="start" size={10}>
                <span style={{ fontSize: 18, color: network(a) ? brandRed : '#D48806', lineHeight: '22px' }}>
                  {network(a) ? <GlobalOutlined /> : <RadarChartOutlined />}
                </span>
                <div>
                  <Typography.Text strong>{t(`platformAlerts.kind_${a.kind}`)}</Typography.Text>
                  <div>
                    <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                      {t(`platformAlerts.kind_${a.kind}_text`)}
                    </Typography.Text>
                  </div>
                </div>
              </Space>
            ),
          },
          {
            key: 'subject',
            title: t('platformAlerts.subject'),
            width: 180,
            render: (_v, a) =>
              network(a) ? (
                <Typography.Text code style={{ whiteSpace: 'nowrap' }}>
                  {a.subject}
                </Typography.Text>
              ) : (
                <Tag>{t('platformAlerts.platform')}</Tag>
              ),
          },
          {
            key: 'figures',
            title: t('platformAlerts.figures'),
            width: 260,
            render: (_v, a) =>
              network(a)
                ? t('platformAlerts.networkFigures', {
                    count: figure(a.details, 'invalidLookups'),
                    seconds: figure(a.details, 'windowSeconds'),
                  })
                : t('platformAlerts.rateFigures', {
                    count: figure(a.details, 'lastMinute'),
                    average: figure(a.details, 'hourlyAveragePerMinute'),
                  }),
          },
          {
            key: 'count',
            title: t('platformAlerts.count'),
            dataIndex: 'count',
            width: 90,
            align: 'right',
            render: (v: number) => t('platformAlerts.times', { count: v }),
          },
          {
            key: 'seen',
            title: t('platformAlerts.lastAt'),
            width: 190,
            render: (_v, a) => (
              <Tooltip title={`${t('platformAlerts.firstAt')}: ${when(a.firstAt)}`}>
                <span style={{ whiteSpace: 'nowrap' }}>{when(a.lastAt)}</span>
              </Tooltip>
            ),
          },
          {
            key: 'status',
            title: t('platformAlerts.status'),
            width: 220,
            render: (_v, a) =>
              a.status === 'open' ? (
                <Badge status="error" text={t('platformAlerts.open')} />
              ) : (
                <Space orientation="vertical" size={0}>
                  <Badge status="success" text={t('platformAlerts.acknowledged')} />
                  {a.acknowledgedAt === null ? null : (
                    <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                      {t('platformAlerts.acknowledgedBy', {
                        name: a.acknowledgedByName ?? '—',
                        time: dayjs(a.acknowledgedAt).format('MM-DD HH:mm'),
                      })}
                    </Typography.Text>
                  )}
                </Space>
              ),
          },
          {
            key: 'actions',
            title: t('common.actions'),
            fixed: 'right',
            width: 160,
            render: (_v, a) =>
              a.status === 'open' ? (
                <Popconfirm
                  title={t('platformAlerts.acknowledgeConfirm')}
                  description={<div style={{ maxWidth: 280 }}>{t('platformAlerts.acknowledgeText')}</div>}
                  onConfirm={() => void acknowledge(a)}
                  okText={t('platformAlerts.acknowledge')}
                  cancelText={t('common.cancel')}
                >
                  <Button size="small" icon={<CheckOutlined />} loading={busy === a.id}>
                    {t('platformAlerts.acknowledge')}
                  </Button>
                </Popconfirm>
              ) : null,
          },
        ]}
      />
    </Page>
  );
}
