/**
 * Supervision for regulators (their jurisdiction) and the platform operator (everything): the
 * totals of a window of days, enterprises by qualification status, scans and flagged scans per
 * region one level down, the most scanned enterprises, and a server-paged table of enterprises
 * with their figures, sortable by a figure, each opening the enterprise.
 */
import { useEffect, useMemo, useState, type ReactNode } from 'react';
import { Link } from 'react-router';
import { Alert, Card, Col, Empty, Input, Row, Segmented, Select, Space, Table, Typography } from 'antd';
import type { SortOrder } from 'antd/es/table/interface';
import {
  AlertOutlined,
  BankOutlined,
  BarcodeOutlined,
  ScanOutlined,
  ShoppingOutlined,
  WarningOutlined,
} from '@ant-design/icons';
import { api, data } from '../../api/client.js';
import type { paths } from '../../api/schema.js';
import { errorText } from '../../api/errors.js';
import { useI18n } from '../../i18n/index.js';
import { useMe } from '../../session/session.js';
import { brandRed, brandTeal } from '../../layout/brand-logo.js';
import { Page } from '../../components/page.js';
import { axes, Chart, type ChartOption } from '../../components/chart.js';
import { StatCard, formatCount } from '../../components/stat-card.js';
import { StatusTag } from '../../components/status-tag.js';
import { usePage } from '../../components/use-page.js';

type Overview = paths['/api/v1/supervision/overview']['get']['responses'][200]['content']['application/json'];
type ListQuery = NonNullable<paths['/api/v1/supervision/enterprises']['get']['parameters']['query']>;
type Row =
  paths['/api/v1/supervision/enterprises']['get']['responses'][200]['content']['application/json']['items'][number];
type SortKey = NonNullable<ListQuery['sort']>;

const statuses = ['approved', 'pending_review', 'draft', 'rejected', 'suspended'] as const;
const statusColours: Readonly<Record<string, string>> = {
  approved: brandTeal,
  pending_review: '#468CC8',
  draft: '#BFBFBF',
  rejected: brandRed,
  suspended: '#FAAD14',
};
const teal = brandTeal;
const amber = '#FAAD14';
const red = brandRed;

export default function SupervisionScreen(): ReactNode {
  const { t, language } = useI18n();
  const me = useMe();
  const regulator = me.user.role === 'regulator';
  const [days, setDays] = useState<7 | 30 | 90>(30);
  const [overview, setOverview] = useState<Overview>();
  const [error, setError] = useState<string>();
  const [query, setQuery] = useState<ListQuery>({ page: 1, pageSize: 10 });
  const n = (v: number) => formatCount(v, language);

  useEffect(() => {
    let live = true;
    data(api.GET('/api/v1/supervision/overview', { params: { query: { days } } }))
      .then((o) => {
        if (live) {
          setOverview(o);
          setError(undefined);
        }
      })
      .catch((e: unknown) => {
        if (live) setError(errorText(t, e));
      });
    return () => {
      live = false;
    };
  }, [days]);

  const { page, loading } = usePage(
    (q: ListQuery) => data(api.GET('/api/v1/supervision/enterprises', { params: { query: q } })),
    { ...query, days },
  );

  const o = overview?.days === days ? overview : undefined;
  const flagged = o === undefined ? 0 : o.figures.warnings + o.figures.suspicious;
  const percent = (part: number, whole: number) =>
    new Intl.NumberFormat(language, { style: 'percent', maximumFractionDigits: 1 }).format(
      whole === 0 ? 0 : part / whole,
    );

  const statusChart = useMemo<ChartOption | undefined>(() => {
    if (o === undefined || o.enterprises.total === 0) return undefined;
    const items = statuses
      .map((s) => ({ key: s, name: t(`status.${s}`), value: o.enterprises.byStatus[s] ?? 0 }))
      .filter((i) => i.value > 0);
    return {
      tooltip: { trigger: 'item', formatter: '{b}: {c} ({d}%)' },
      legend: { bottom: 0, left: 'center', itemWidth: 10, itemHeight: 10 },
      series: [
        {
          type: 'pie',
          radius: ['44%', '66%'],
          center: ['50%', '44%'],
          avoidLabelOverlap: true,
          label: {
            show: true,
            position: 'center',
            formatter: () => String(o.enterprises.total),
            fontSize: 26,
            fontWeight: 600,
            color: '#262626',
          },
          labelLine: { show: false },
          itemStyle: { borderColor: '#fff', borderWidth: 2 },
          data: items.map((i) => ({
            name: i.name,
            value: i.value,
            itemStyle: { color: statusColours[i.key] },
          })),
        },
      ],
    };
  }, [o, t]);

  const regionChart = useMemo<ChartOption | undefined>(() => {
    if (o === undefined || o.byRegion.length === 0) return undefined;
    const top = o.byRegion.slice(0, 10);
    return {
      grid: { left: 8, right: 8, top: 36, bottom: 8, containLabel: true },
      legend: { top: 0, right: 0, itemWidth: 12, itemHeight: 12 },
      tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' } },
      xAxis: {
        type: 'category',
        data: top.map((r) => r.names.at(-1) ?? r.regionCode),
        ...axes.categories,
        // Every region named (ten at most), darker: the regions are what this chart compares.
        axisLabel: { ...axes.categories.axisLabel, color: '#595959', interval: 0 },
      },
      yAxis: { type: 'value', ...axes.values },
      series: [
        {
          name: t('supervision.scans'),
          type: 'bar',
          color: teal,
          barMaxWidth: 22,
          data: top.map((r) => r.scans),
        },
        {
          name: t('supervision.warnings'),
          type: 'bar',
          color: amber,
          barMaxWidth: 22,
          data: top.map((r) => r.warnings),
        },
        {
          name: t('supervision.suspicious'),
          type: 'bar',
          color: red,
          barMaxWidth: 22,
          data: top.map((r) => r.suspicious),
        },
      ],
    };
  }, [o, t]);

  const topChart = useMemo<ChartOption | undefined>(() => {
    if (o === undefined || o.topEnterprises.length === 0) return undefined;
    const top = [...o.topEnterprises].reverse();
    return {
      grid: { left: 8, right: 40, top: 8, bottom: 8, containLabel: true },
      tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' } },
      xAxis: { type: 'value', show: false, minInterval: 1 },
      yAxis: {
        type: 'category',
        data: top.map((e) => (e.name.length > 12 ? `${e.name.slice(0, 12)}…` : e.name)),
        ...axes.ranking,
      },
      series: [
        {
          name: t('supervision.scans'),
          type: 'bar',
          stack: 'e',
          color: teal,
          barMaxWidth: 14,
          data: top.map((e) => e.scans - e.warnings - e.suspicious),
        },
        {
          name: t('supervision.flagged'),
          type: 'bar',
          stack: 'e',
          color: red,
          barMaxWidth: 14,
          label: {
            show: true,
            position: 'right',
            color: '#595959',
            formatter: (p) => n(top[p.dataIndex]?.scans ?? 0),
          },
          data: top.map((e) => e.warnings + e.suspicious),
        },
      ],
    };
  }, [o, t, language]);

  const sortable = (key: SortKey) => ({
    sorter: true,
    sortDirections: ['descend'] as SortOrder[],
    sortOrder: query.sort === key ? ('descend' as const) : null,
  });
  const count = (v: number) => <span style={{ fontVariantNumeric: 'tabular-nums' }}>{n(v)}</span>;

  const noJurisdiction = regulator && me.user.jurisdiction === null;
  return (
    <Page
      title={t('supervision.title')}
      subtitle={
        regulator
          ? `${o?.jurisdictionNames.join(' ') ?? ''} · ${t('supervision.jurisdictionSubtitle')}`
          : t('supervision.platformSubtitle')
      }
      extra={
        <Segmented<7 | 30 | 90>
          value={days}
          onChange={(d) => {
            setDays(d);
            setQuery({ ...query, page: 1 });
          }}
          options={[
            { value: 7, label: t('supervision.days7') },
            { value: 30, label: t('supervision.days30') },
            { value: 90, label: t('supervision.days90') },
          ]}
        />
      }
    >
      {noJurisdiction ? (
        <Alert type="warning" showIcon title={t('supervision.noJurisdiction')} style={{ marginBottom: 16 }} />
      ) : null}
      {error === undefined ? null : (
        <Alert type="error" showIcon title={error} style={{ marginBottom: 16 }} />
      )}

      <Row gutter={[16, 16]} wrap>
        <Col flex="1 1 190px">
          <StatCard
            testId="sup-enterprises"
            label={t('supervision.enterprises')}
            value={n(o?.enterprises.total ?? 0)}
            icon={<BankOutlined />}
            tint={teal}
            loading={o === undefined}
            footer={t('supervision.approvedHint', { count: n(o?.enterprises.byStatus['approved'] ?? 0) })}
          />
        </Col>
        <Col flex="1 1 190px">
          <StatCard
            label={t('supervision.products')}
            value={n(o?.figures.products ?? 0)}
            icon={<ShoppingOutlined />}
            tint="#468CC8"
            loading={o === undefined}
          />
        </Col>
        <Col flex="1 1 230px">
          <StatCard
            label={t('supervision.codes')}
            value={n(o?.figures.codesActivated ?? 0)}
            of={n(o?.figures.codesIssued ?? 0)}
            icon={<BarcodeOutlined />}
            tint="#9270CA"
            loading={o === undefined}
          />
        </Col>
        <Col flex="1 1 190px">
          <StatCard
            testId="sup-scans"
            label={t('supervision.scans')}
            value={n(o?.figures.scans ?? 0)}
            icon={<ScanOutlined />}
            tint={teal}
            loading={o === undefined}
          />
        </Col>
        <Col flex="1 1 190px">
          <StatCard
            testId="sup-flagged"
            label={t('supervision.flagged')}
            value={n(flagged)}
            icon={<WarningOutlined />}
            tint={flagged > 0 ? amber : '#8c8c8c'}
            loading={o === undefined}
            footer={t('supervision.flaggedHint', {
              warnings: n(o?.figures.warnings ?? 0),
              suspicious: n(o?.figures.suspicious ?? 0),
            })}
          />
        </Col>
        <Col flex="1 1 190px">
          <StatCard
            label={t('supervision.openReports')}
            value={n(o?.figures.openReports ?? 0)}
            icon={<AlertOutlined />}
            tint={(o?.figures.openReports ?? 0) > 0 ? red : '#8c8c8c'}
            loading={o === undefined}
          />
        </Col>
      </Row>

      <Row gutter={[16, 16]} style={{ marginTop: 16 }}>
        <Col xs={24} lg={9} xl={8}>
          <Card title={t('supervision.byStatus')} loading={o === undefined} style={{ height: '100%' }}>
            {statusChart === undefined ? (
              <Empty
                image={Empty.PRESENTED_IMAGE_SIMPLE}
                description={
                  <Space orientation="vertical" size={2}>
                    <span>{t('supervision.noEnterprises')}</span>
                    <Typography.Text type="secondary">{t('supervision.noEnterprisesText')}</Typography.Text>
                  </Space>
                }
              />
            ) : (
              <Chart option={statusChart} height={260} ariaLabel={t('supervision.byStatus')} />
            )}
          </Card>
        </Col>
        <Col xs={24} lg={15} xl={16}>
          <Card
            title={t('supervision.byRegion')}
            extra={<Typography.Text type="secondary">{t('supervision.byRegionHint')}</Typography.Text>}
            loading={o === undefined}
            style={{ height: '100%' }}
          >
            {regionChart === undefined ? (
              <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('supervision.noScans')} />
            ) : (
              <Chart option={regionChart} height={260} ariaLabel={t('supervision.byRegion')} />
            )}
          </Card>
        </Col>
      </Row>

      {topChart === undefined ? null : (
        <Card title={t('supervision.topEnterprises')} style={{ marginTop: 16 }}>
          <Chart
            option={topChart}
            height={Math.max(120, (o?.topEnterprises.length ?? 0) * 32)}
            ariaLabel={t('supervision.topEnterprises')}
          />
        </Card>
      )}

      <Card
        title={t('supervision.list')}
        style={{ marginTop: 16 }}
        extra={<Typography.Text type="secondary">{t('supervision.sortHint')}</Typography.Text>}
      >
        <Space style={{ marginBottom: 16 }} wrap>
          <Input.Search
            allowClear
            placeholder={t('supervision.search')}
            style={{ width: 300 }}
            onSearch={(q) => setQuery({ ...query, page: 1, q: q === '' ? undefined : q })}
          />
          <Select
            allowClear
            aria-label={t('common.status')}
            placeholder={t('supervision.allStatuses')}
            style={{ width: 180 }}
            value={query.status}
            onChange={(status) => setQuery({ ...query, page: 1, status })}
            options={statuses.map((s) => ({ value: s, label: t(`status.${s}`) }))}
          />
        </Space>
        <Table<Row>
          rowKey="id"
          size="middle"
          loading={loading}
          dataSource={page?.items ?? []}
          scroll={{ x: 1320 }}
          locale={{
            emptyText: (
              <Empty
                description={
                  query.q !== undefined || query.status !== undefined
                    ? t('common.noMatch')
                    : t('supervision.noEnterprisesText')
                }
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
          onChange={(p, _filters, sorter) => {
            const one = Array.isArray(sorter) ? sorter[0] : sorter;
            const sort = one?.order === 'descend' ? (one.columnKey as SortKey) : undefined;
            setQuery({
              ...query,
              page: sort === query.sort ? (p.current ?? 1) : 1,
              pageSize: p.pageSize ?? 10,
              sort,
            });
          }}
          columns={[
            {
              key: 'name',
              title: t('supervision.name'),
              dataIndex: 'name',
              fixed: 'left',
              width: 240,
              render: (v: string, e) => <Link to={`/enterprises/${e.id}`}>{v}</Link>,
            },
            {
              key: 'region',
              title: t('supervision.region'),
              dataIndex: 'regionNames',
              width: 180,
              render: (v: string[]) => v.join(' / '),
            },
            {
              key: 'status',
              title: t('common.status'),
              dataIndex: 'status',
              width: 100,
              render: (s: string) => <StatusTag status={s} />,
            },
            {
              key: 'products',
              title: <span style={{ whiteSpace: 'nowrap' }}>{t('supervision.colProducts')}</span>,
              width: 110,
              align: 'right',
              render: (_v, e) => count(e.figures.products),
            },
            {
              key: 'codesIssued',
              title: <span style={{ whiteSpace: 'nowrap' }}>{t('supervision.colIssued')}</span>,
              width: 110,
              align: 'right',
              ...sortable('codesIssued'),
              render: (_v, e) => count(e.figures.codesIssued),
            },
            {
              key: 'codesActivated',
              title: <span style={{ whiteSpace: 'nowrap' }}>{t('supervision.colActivated')}</span>,
              width: 110,
              align: 'right',
              render: (_v, e) => count(e.figures.codesActivated),
            },
            {
              key: 'scans',
              title: <span style={{ whiteSpace: 'nowrap' }}>{t('supervision.colScans')}</span>,
              width: 110,
              align: 'right',
              ...sortable('scans'),
              render: (_v, e) => count(e.figures.scans),
            },
            {
              key: 'warnings',
              title: <span style={{ whiteSpace: 'nowrap' }}>{t('supervision.colWarnings')}</span>,
              width: 110,
              align: 'right',
              ...sortable('warnings'),
              render: (_v, e) =>
                e.figures.warnings > 0 ? (
                  <Typography.Text style={{ color: '#D48806' }}>{count(e.figures.warnings)}</Typography.Text>
                ) : (
                  count(0)
                ),
            },
            {
              key: 'suspicious',
              title: <span style={{ whiteSpace: 'nowrap' }}>{t('supervision.colSuspicious')}</span>,
              width: 110,
              align: 'right',
              ...sortable('suspicious'),
              render: (_v, e) =>
                e.figures.suspicious > 0 ? (
                  <Typography.Text type="danger">
                    {count(e.figures.suspicious)}
                    <Typography.Text type="secondary" style={{ fontSize: 12, marginInlineStart: 4 }}>
                      {percent(e.figures.suspicious, e.figures.scans)}
                    </Typography.Text>
                  </Typography.Text>
                ) : (
                  count(0)
                ),
            },
            {
              key: 'openReports',
              title: <span style={{ whiteSpace: 'nowrap' }}>{t('supervision.colReports')}</span>,
              width: 130,
              align: 'right',
              ...sortable('openReports'),
              render: (_v, e) =>
                e.figures.openReports > 0 ? (
                  <Typography.Text type="danger">{count(e.figures.openReports)}</Typography.Text>
                ) : (
                  count(0)
                ),
            },
          ]}
        />
      </Card>
    </Page>
  );
}
