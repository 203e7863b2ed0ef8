/**
 * The enterprise's home: consumer scans today and this week, 30 days of scans split into genuine,
 * warnings and suspicious, the most scanned products, where scans came from, the latest flagged
 * scans (to the scan log), documents about to lapse (to onboarding), open counterfeit reports and
 * codes activated of generated. One summary request and the lapsing documents, side by side.
 */
import { useCallback, useEffect, useMemo, useState, type ReactNode } from 'react';
import { Link } from 'react-router';
import {
  Alert,
  Button,
  Card,
  Col,
  Empty,
  Flex,
  List,
  Progress,
  Result,
  Row,
  Space,
  Table,
  Tag,
  Typography,
} from 'antd';
import {
  AlertOutlined,
  BarcodeOutlined,
  FileProtectOutlined,
  ReloadOutlined,
  ScanOutlined,
  WarningOutlined,
} from '@ant-design/icons';
import dayjs from 'dayjs';
import { api, data } from '../../api/client.js';
import type { paths } from '../../api/schema.js';
import { errorText } from '../../api/errors.js';
import { useI18n, type MessageKey } from '../../i18n/index.js';
import { useMe } from '../../session/session.js';
import { Page } from '../../components/page.js';
import { brandRed, brandTeal } from '../../layout/brand-logo.js';
import { axes, Chart, type ChartOption } from '../../components/chart.js';
import { StatCard, formatCount } from '../../components/stat-card.js';
import { verdictColour } from '../scan-log/verdict-tag.js';

type Summary = paths['/api/v1/scans/summary']['get']['responses'][200]['content']['application/json'];
type Flagged = Summary['recentFlagged'][number];
type Expiring =
  paths['/api/v1/documents/expiring']['get']['responses'][200]['content']['application/json']['items'][number];

const teal = brandTeal;
const amber = '#FAAD14';
const red = brandRed;

export default function DashboardScreen(): ReactNode {
  const { t, language } = useI18n();
  const me = useMe();
  const [summary, setSummary] = useState<Summary>();
  const [expiring, setExpiring] = useState<readonly Expiring[]>();
  const [error, setError] = useState<string>();
  const [loading, setLoading] = useState(true);
  const [tick, setTick] = useState(0);
  const approved = me.enterprise?.status === 'approved';
  const n = useCallback((v: number) => formatCount(v, language), [language]);

  useEffect(() => {
    let live = true;
    setLoading(true);
    Promise.all([
      data(api.GET('/api/v1/scans/summary')),
      data(api.GET('/api/v1/documents/expiring', { params: { query: { withinDays: 30 } } })),
    ])
      .then(([s, e]) => {
        if (!live) return;
        setSummary(s);
        setExpiring(e.items);
        setError(undefined);
      })
      .catch((e: unknown) => {
        if (live) setError(errorText(t, e));
      })
      .finally(() => {
        if (live) setLoading(false);
      });
    return () => {
      live = false;
    };
    // `t` changes with the language only; the figures need not be read again for it.
  }, [tick]);

  const trend = useMemo<ChartOption | undefined>(() => {
    if (summary === undefined) return undefined;
    const days = summary.byDay;
    const label = (d: string) => d.slice(5);
    return {
      grid: { left: 8, right: 16, top: 36, bottom: 8, containLabel: true },
      legend: { top: 0, right: 0, itemWidth: 12, itemHeight: 12 },
      tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' } },
      xAxis: { type: 'category', data: days.map((d) => label(d.date)), ...axes.categories },
      yAxis: { type: 'value', ...axes.values },
      series: [
        {
          name: t('dashboard.genuine'),
          type: 'bar',
          stack: 'scans',
          barMaxWidth: 18,
          color: teal,
          data: days.map((d) => Math.max(0, d.total - d.warnings - d.suspicious)),
        },
        {
          name: t('dashboard.warnings'),
          type: 'bar',
          stack: 'scans',
          color: amber,
          data: days.map((d) => d.warnings),
        },
        {
          name: t('dashboard.suspicious'),
          type: 'bar',
          stack: 'scans',
          color: red,
          itemStyle: { borderRadius: [3, 3, 0, 0] },
          data: days.map((d) => d.suspicious),
        },
      ],
    };
  }, [summary, t]);

  const regions = useMemo<ChartOption | undefined>(() => {
    if (summary === undefined || summary.byRegion.length === 0) return undefined;
    const top = summary.byRegion.slice(0, 6).reverse();
    return {
      grid: { left: 4, right: 36, top: 4, bottom: 4, containLabel: true },
      tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' } },
      xAxis: { type: 'value', show: false, minInterval: 1 },
      yAxis: { type: 'category', data: top.map((r) => r.names.at(-1) ?? r.regionCode), ...axes.ranking },
      series: [
        {
          type: 'bar',
          color: teal,
          barMaxWidth: 14,
          itemStyle: { borderRadius: [0, 3, 3, 0] },
          label: { show: true, position: 'right', color: '#595959' },
          data: top.map((r) => r.count),
        },
      ],
    };
  }, [summary]);

  if (error !== undefined && summary === undefined) {
    return (
      <Page title={t('dashboard.title')}>
        <Result
          status="warning"
          title={error}
          extra={
            <Button type="primary" onClick={() => setTick((x) => x + 1)}>
              {t('dashboard.refresh')}
            </Button>
          }
        />
      </Page>
    );
  }

  const s = summary;
  const weekFlagged = s === undefined ? 0 : s.last7Days.warnings + s.last7Days.suspicious;
  const monthTotal = s === undefined ? 0 : s.byDay.reduce((sum, d) => sum + d.total, 0);
  const activationRate =
    s === undefined || s.figures.codesIssued === 0 ? 0 : s.figures.codesActivated / s.figures.codesIssued;
  const topMax = Math.max(1, ...(s?.topProducts.map((p) => p.count) ?? []));

  return (
    <Page
      title={t('dashboard.title')}
      subtitle={
        <>
          {me.enterprise?.name} · {t('dashboard.subtitle')}
        </>
      }
      extra={
        <Button icon={<ReloadOutlined />} loading={loading} onClick={() => setTick((x) => x + 1)}>
          {t('dashboard.refresh')}
        </Button>
      }
    >
      {approved ? null : (
        <Alert
          type="info"
          showIcon
          style={{ marginBottom: 16 }}
          title={t('dashboard.notApproved')}
          description={t('dashboard.notApprovedText')}
          action={
            <Link to="/onboarding">
              <Button type="primary">{t('dashboard.toOnboarding')}</Button>
            </Link>
          }
        />
      )}

      <Row gutter={[16, 16]} wrap>
        <Col flex="1 1 200px">
          <StatCard
            testId="stat-today"
            label={t('dashboard.today')}
            value={n(s?.today.total ?? 0)}
            icon={<ScanOutlined />}
            tint={teal}
            loading={s === undefined}
            footer={t('dashboard.todayHint', {
              count: n((s?.today.warnings ?? 0) + (s?.today.suspicious ?? 0)),
            })}
          />
        </Col>
        <Col flex="1 1 200px">
          <StatCard
            testId="stat-week"
            label={t('dashboard.last7Days')}
            value={n(s?.last7Days.total ?? 0)}
            icon={<ScanOutlined />}
            tint="#468CC8"
            loading={s === undefined}
            footer={t('dashboard.weekHint', {
              average: n(Math.round(((s?.last7Days.total ?? 0) / 7) * 10) / 10),
            })}
          />
        </Col>
        <Col flex="1 1 200px">
          <StatCard
            testId="stat-flagged"
            label={t('dashboard.flagged7Days')}
            value={n(weekFlagged)}
            icon={<WarningOutlined />}
            tint={weekFlagged > 0 ? amber : '#8c8c8c'}
            loading={s === undefined}
            to="/scan-log?verdict=warning"
            footer={t('dashboard.flaggedHint', {
              warnings: n(s?.last7Days.warnings ?? 0),
              suspicious: n(s?.last7Days.suspicious ?? 0),
            })}
          />
        </Col>
        <Col flex="1 1 200px">
          <StatCard
            testId="stat-reports"
            label={t('dashboard.openReports')}
            value={n(s?.figures.openReports ?? 0)}
            icon={<AlertOutlined />}
            tint={(s?.figures.openReports ?? 0) > 0 ? red : '#8c8c8c'}
            loading={s === undefined}
            to="/counterfeit-reports"
            footer={<Typography.Link>{t('dashboard.openReportsHint')} →</Typography.Link>}
          />
        </Col>
        <Col flex="1 1 220px">
          <StatCard
            testId="stat-codes"
            label={t('dashboard.codes')}
            value={n(s?.figures.codesActivated ?? 0)}
            of={n(s?.figures.codesIssued ?? 0)}
            icon={<BarcodeOutlined />}
            tint="#9270CA"
            loading={s === undefined}
            to="/codes"
            footer={
              <>
                {t('dashboard.codesHint', {
                  rate: new Intl.NumberFormat(language, {
                    style: 'percent',
                    maximumFractionDigits: 1,
                  }).format(activationRate),
                })}
                {' · '}
                {t('dashboard.products', { count: n(s?.figures.products ?? 0) })}
              </>
            }
          />
        </Col>
      </Row>

      <Row gutter={[16, 16]} style={{ marginTop: 16 }}>
        <Col xs={24} xl={16}>
          <Card
            title={t('dashboard.trend')}
            extra={<Typography.Text type="secondary">{t('dashboard.trendHint')}</Typography.Text>}
            loading={s === undefined}
            style={{ height: '100%' }}
          >
            {trend === undefined || monthTotal === 0 ? (
              <Empty
                style={{ height: 268, display: 'grid', alignContent: 'center' }}
                description={
                  <Space orientation="vertical" size={4}>
                    <Typography.Text strong>{t('dashboard.noScans')}</Typography.Text>
                    <Typography.Text type="secondary">{t('dashboard.noScansText')}</Typography.Text>
                  </Space>
                }
              >
                <Link to="/codes">
                  <Button type="primary">{t('dashboard.toCodes')}</Button>
                </Link>
              </Empty>
            ) : (
              <Chart option={trend} height={300} ariaLabel={t('dashboard.trend')} />
            )}
          </Card>
        </Col>
        <Col xs={24} xl={8}>
          <Card title={t('dashboard.topProducts')} loading={s === undefined} style={{ height: '100%' }}>
            {s === undefined || s.topProducts.length === 0 ? (
              <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('dashboard.noTopProducts')} />
            ) : (
              <List
                size="small"
                split={false}
                dataSource={s.topProducts.slice(0, 6)}
                renderItem={(p, i) => (
                  <List.Item style={{ padding: '6px 0', display: 'block' }}>
                    <Flex justify="space-between" gap={8}>
                      <Space size={8} style={{ minWidth: 0 }}>
                        <span
                          style={{
                            display: 'inline-grid',
                            placeItems: 'center',
                            width: 20,
                            height: 20,
                            borderRadius: 10,
                            fontSize: 12,
                            color: i < 3 ? '#fff' : '#595959',
                            background: i < 3 ? teal : '#f0f0f0',
                          }}
                        >
                          {i + 1}
                        </span>
                        <Typography.Text ellipsis style={{ maxWidth: 220 }}>
                          {p.name ?? p.productId}
                        </Typography.Text>
                      </Space>
                      <Typography.Text type="secondary" style={{ whiteSpace: 'nowrap' }}>
                        {t('dashboard.times', { count: n(p.count) })}
                      </Typography.Text>
                    </Flex>
                    <Progress
                      aria-label={p.name ?? p.productId}
                      percent={(p.count / topMax) * 100}
                      showInfo={false}
                      size="small"
                      strokeColor={teal}
                      style={{ margin: 0 }}
                    />
                  </List.Item>
                )}
              />
            )}
          </Card>
        </Col>
      </Row>

      <Row gutter={[16, 16]} style={{ marginTop: 16 }}>
        <Col xs={24} xl={16}>
          <Card
            title={t('dashboard.recentFlagged')}
            extra={<Link to="/scan-log?verdict=warning">{t('dashboard.viewAll')}</Link>}
            loading={s === undefined}
            styles={{ body: { padding: 0 } }}
            style={{ height: '100%' }}
          >
            <Table<Flagged>
              rowKey="id"
              size="middle"
              pagination={false}
              dataSource={s?.recentFlagged ?? []}
              scroll={{ x: 640 }}
              locale={{
                emptyText: (
                  <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('dashboard.noFlagged')} />
                ),
              }}
              columns={[
                {
                  key: 'at',
                  title: t('dashboard.time'),
                  dataIndex: 'at',
                  width: 130,
                  render: (v: number) => (
                    <span style={{ whiteSpace: 'nowrap' }}>{dayjs(v).format('MM-DD HH:mm')}</span>
                  ),
                },
                {
                  key: 'code',
                  title: t('dashboard.code'),
                  dataIndex: 'code',
                  render: (v: string) => (
                    <Link to={`/scan-log?code=${encodeURIComponent(v)}`} data-testid="flagged-code">
                      <Typography.Text code style={{ whiteSpace: 'nowrap', color: 'inherit' }}>
                        {v}
                      </Typography.Text>
                    </Link>
                  ),
                },
                {
                  key: 'verdict',
                  title: t('dashboard.verdict'),
                  dataIndex: 'verdict',
                  render: (v: string, r) => (
                    <Space size={4} wrap>
                      <Tag color={verdictColour(v)} style={{ marginInlineEnd: 0 }}>
                        {t(`dashboard.verdicts_${v}` as MessageKey)}
                      </Tag>
                      {r.warnings.map((w) => (
                        <Typography.Text key={w} type="secondary" style={{ fontSize: 12 }}>
                          {t(`dashboard.reason_${w}` as MessageKey)}
                        </Typography.Text>
                      ))}
                    </Space>
                  ),
                },
                {
                  key: 'region',
                  title: t('dashboard.region'),
                  dataIndex: 'region',
                  render: (r: Flagged['region']) =>
                    r === null || r.names.length === 0 ? (
                      <Typography.Text type="secondary">{t('dashboard.unknownRegion')}</Typography.Text>
                    ) : (
                      <span style={{ whiteSpace: 'nowrap' }}>{r.names.join(' ')}</span>
                    ),
                },
              ]}
            />
          </Card>
        </Col>
        <Col xs={24} xl={8}>
          <Flex vertical gap={16} style={{ height: '100%' }}>
            <Card
              title={
                <Space size={6}>
                  <FileProtectOutlined />
                  {t('dashboard.expiring')}
                </Space>
              }
              loading={expiring === undefined}
              styles={{ body: { paddingBlock: 8 } }}
            >
              {expiring === undefined || expiring.length === 0 ? (
                <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('dashboard.noExpiring')} />
              ) : (
                <List
                  size="small"
                  dataSource={expiring.slice(0, 5)}
                  renderItem={(d) => (
                    <List.Item
                      style={{ paddingInline: 0 }}
                      actions={[
                        <Link key="renew" to="/onboarding">
                          {t('dashboard.renew')}
                        </Link>,
                      ]}
                    >
                      <List.Item.Meta
                        title={
                          <Space size={6} wrap>
                            <span>{t(`documentKinds.${d.kind}` as MessageKey)}</span>
                            <Tag color={d.daysLeft < 0 ? 'error' : d.daysLeft <= 7 ? 'warning' : 'default'}>
                              {d.daysLeft < 0
                                ? t('dashboard.lapsed', { days: -d.daysLeft })
                                : d.daysLeft === 0
                                  ? t('dashboard.expiresToday')
                                  : t('dashboard.daysLeft', { days: d.daysLeft })}
                            </Tag>
                          </Space>
                        }
                        description={t('dashboard.expiresOn', { date: d.expiresOn ?? '—' })}
                      />
                    </List.Item>
                  )}
                />
              )}
            </Card>
            <Card title={t('dashboard.regions')} loading={s === undefined} style={{ flex: 1 }}>
              {regions === undefined ? (
                <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('dashboard.noRegions')} />
              ) : (
                <Chart
                  option={regions}
                  height={Math.max(120, Math.min(6, s?.byRegion.length ?? 0) * 30)}
                  ariaLabel={t('dashboard.regions')}
                />
              )}
            </Card>
          </Flex>
        </Col>
      </Row>
    </Page>
  );
}
