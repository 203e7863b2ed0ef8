/**
 * The consumer query log (扫码记录): every scan or typed code of the enterprise's codes, newest
 * first, paged on the server. Filters live in the address (`?code=…&verdict=…&productId=…&
 * batchId=…&from=…&to=…`), so the dashboard and the reports link straight to a filtered log;
 * a code opens its query history.
 */
import { useEffect, useMemo, useState, type ReactNode } from 'react';
import { useSearchParams } from 'react-router';
import { Button, DatePicker, Empty, Input, Select, Space, Table, Tag, Tooltip, Typography } from 'antd';
import { AimOutlined, ClearOutlined, HistoryOutlined } from '@ant-design/icons';
import dayjs, { type Dayjs } from 'dayjs';
import { api, data } from '../../api/client.js';
import type { paths } from '../../api/schema.js';
import { useI18n } from '../../i18n/index.js';
import { brandTeal } from '../../layout/brand-logo.js';
import { Page } from '../../components/page.js';
import { ProductSelect } from '../../components/product-select.js';
import { usePage } from '../../components/use-page.js';
import { VerdictTag, verdictLabel, verdicts, type Verdict } from './verdict-tag.js';
import { CodeHistoryDrawer, groupedCode } from './code-history-drawer.js';
import { clientKey, dateTime, regionText } from './format.js';
import { useNames } from './use-names.js';

type ListQuery = NonNullable<paths['/api/v1/scans']['get']['parameters']['query']>;
type Scan = paths['/api/v1/scans']['get']['responses'][200]['content']['application/json']['items'][number];

const codePattern = /^[0-9]{15,21}$/;

/** The log's query from the address: unknown or malformed parameters are left out. */
function queryOf(search: URLSearchParams): ListQuery & { page: number; pageSize: number } {
  const int = (name: string): number | undefined => {
    const v = search.get(name);
    return v !== null && /^\d+$/.test(v) ? Number(v) : undefined;
  };
  const verdict = search.get('verdict');
  const code = search.get('code');
  const productId = search.get('productId');
  const batchId = search.get('batchId');
  const from = int('from');
  const to = int('to');
  return {
    page: int('page') ?? 1,
    pageSize: int('pageSize') ?? 20,
    ...(verdict !== null && verdicts.includes(verdict as Verdict)
      ? { verdict: verdict as ListQuery['verdict'] }
      : {}),
    ...(code !== null && codePattern.test(code) ? { code } : {}),
    ...(productId !== null && productId !== '' ? { productId } : {}),
    ...(batchId !== null && batchId !== '' ? { batchId } : {}),
    ...(from !== undefined ? { from } : {}),
    ...(to !== undefined ? { to } : {}),
  };
}

export default function ScanLogScreen(): ReactNode {
  const { t } = useI18n();
  const [search, setSearch] = useSearchParams();
  const query = useMemo(() => queryOf(search), [search]);
  const { page, loading } = usePage(
    (q: typeof query) => data(api.GET('/api/v1/scans', { params: { query: q } })),
    query,
  );
  const items = useMemo(() => page?.items ?? [], [page]);
  const names = useNames(items);
  const [historyOf, setHistoryOf] = useState<string>();
  const [codeText, setCodeText] = useState(query.code ?? '');
  const [codeError, setCodeError] = useState(false);
  useEffect(() => setCodeText(query.code ?? ''), [query.code]);
  const [batchOptions, setBatchOptions] = useState<{ value: string; label: string }[]>([]);
  useEffect(() => {
    let live = true;
    void data(
      api.GET('/api/v1/batches', {
        params: {
          query: {
            page: 1,
            pageSize: 100,
            ...(query.productId === undefined ? {} : { productId: query.productId }),
          },
        },
      }),
    )
      .then((p) => {
        if (live)
          setBatchOptions(
            p.items.map((b) => ({
              value: b.id,
              label: query.productId === undefined ? `${b.lot} · ${b.productName ?? ''}` : b.lot,
            })),
          );
      })
      .catch(() => undefined);
    return () => {
      live = false;
    };
  }, [query.productId]);

  /** Changes filters in the address (back to page 1 unless the page is what changed). */
  const change = (patch: Record<string, string | number | undefined>): void => {
    const next = new URLSearchParams(search);
    for (const [k, v] of Object.entries(patch)) {
      if (v === undefined || v === '') next.delete(k);
      else next.set(k, String(v));
    }
    if (!('page' in patch)) next.delete('page');
    setSearch(next);
  };

  const filtered =
    query.code !== undefined ||
    query.verdict !== undefined ||
    query.productId !== undefined ||
    query.batchId !== undefined ||
    query.from !== undefined ||
    query.to !== undefined;
  const range: [Dayjs, Dayjs] | null =
    query.from !== undefined && query.to !== undefined
      ? [dayjs(query.from), dayjs(query.to).subtract(1, 'day')]
      : null;

  return (
    <Page title={t('scanLog.title')} subtitle={t('scanLog.subtitle')}>
      <Space style={{ marginBottom: 16 }} wrap>
        <DatePicker.RangePicker
          aria-label={t('scanLog.timeRange')}
          value={range}
          allowClear
          presets={[
            { label: t('scanLog.today'), value: [dayjs().startOf('day'), dayjs().startOf('day')] },
            { label: t('scanLog.last7'), value: [dayjs().subtract(6, 'day'), dayjs()] },
            { label: t('scanLog.last30'), value: [dayjs().subtract(29, 'day'), dayjs()] },
          ]}
          onChange={(v) =>
            change(
              v?.[0] == null || v[1] == null
                ? { from: undefined, to: undefined }
                : {
                    from: v[0].startOf('day').valueOf(),
                    to: v[1].add(1, 'day').startOf('day').valueOf(),
                  },
            )
          }
        />
        <Select
          aria-label={t('scanLog.verdict')}
          allowClear
          placeholder={t('scanLog.verdictAll')}
          style={{ width: 180 }}
          value={query.verdict}
          onChange={(v: string | undefined) => change({ verdict: v })}
          options={verdicts.map((v) => ({ value: v, label: verdictLabel(t, v) }))}
        />
        <ProductSelect
          allowClear
          value={query.productId}
          onChange={(id) => change({ productId: id, batchId: undefined })}
          style={{ width: 220 }}
        />
        <Select
          aria-label={t('scanLog.batch')}
          allowClear
          showSearch={{ optionFilterProp: 'label' }}
          placeholder={t('scanLog.batchPick')}
          notFoundContent={t('scanLog.batchNone')}
          style={{ width: 200 }}
          value={query.batchId}
          onChange={(v: string | undefined) => change({ batchId: v })}
          options={batchOptions}
        />
        <Input.Search
          aria-label={t('scanLog.code')}
          allowClear
          placeholder={t('scanLog.codeSearch')}
          style={{ width: 260 }}
          status={codeError ? 'error' : undefined}
          value={codeText}
          onChange={(e) => {
            setCodeText(e.target.value);
            setCodeError(false);
          }}
          onSearch={(v) => {
            const code = v.replace(/[\s-]/g, '');
            if (code !== '' && !codePattern.test(code)) {
              setCodeError(true);
              return;
            }
            change({ code });
          }}
        />
        {filtered ? (
          <Button icon={<ClearOutlined />} onClick={() => setSearch(new URLSearchParams())}>
            {t('scanLog.reset')}
          </Button>
        ) : null}
      </Space>
      {codeError ? (
        <Typography.Paragraph type="danger" style={{ marginTop: -8 }}>
          {t('scanLog.invalidCode')}
        </Typography.Paragraph>
      ) : null}
      <Table<Scan>
        rowKey="id"
        loading={loading}
        dataSource={items}
        scroll={{ x: 1200 }}
        locale={{
          emptyText: <Empty description={filtered ? t('scanLog.emptyFiltered') : t('scanLog.empty')} />,
        }}
        pagination={{
          current: query.page,
          pageSize: query.pageSize,
          total: page?.total ?? 0,
          showSizeChanger: true,
          showTotal: (total) => t('common.total', { total }),
        }}
        onChange={(p) => change({ page: p.current ?? 1, pageSize: p.pageSize ?? 20 })}
        columns={[
          {
            key: 'at',
            title: t('scanLog.time'),
            dataIndex: 'at',
            width: 175,
            render: (v: number) => dateTime(v),
          },
          {
            key: 'code',
            title: t('scanLog.code'),
            dataIndex: 'code',
            width: 220,
            render: (c: string) => (
              <Button
                type="link"
                style={{ padding: 0, fontFamily: 'ui-monospace, SFMono-Regular, Menlo, monospace' }}
                onClick={() => setHistoryOf(c)}
              >
                {groupedCode(c)}
              </Button>
            ),
          },
          {
            key: 'verdict',
            title: t('scanLog.verdict'),
            width: 190,
            render: (_v, s) => <VerdictTag verdict={s.verdict} warnings={s.warnings} />,
          },
          {
            key: 'product',
            title: t('scanLog.product'),
            width: 160,
            ellipsis: true,
            render: (_v, s) => names.product(s.productId) ?? '—',
          },
          {
            key: 'batch',
            title: t('scanLog.batch'),
            width: 120,
            ellipsis: true,
            render: (_v, s) => names.batch(s.batchId) ?? '—',
          },
          {
            key: 'region',
            title: t('scanLog.region'),
            render: (_v, s) => {
              const text = regionText(s.region);
              if (text === undefined)
                return <Typography.Text type="secondary">{t('scanLog.regionUnknown')}</Typography.Text>;
              return (
                <Space size={4}>
                  {text}
                  {s.region?.source === 'position' ? (
                    <Tooltip title={t('scanLog.regionByPosition')}>
                      <AimOutlined style={{ color: brandTeal }} />
                    </Tooltip>
                  ) : null}
                </Space>
              );
            },
          },
          {
            key: 'client',
            title: t('scanLog.client'),
            width: 140,
            render: (_v, s) => (
              <Space size={4}>
                <Tag variant="filled">{t(clientKey(s.client))}</Tag>
                <Typography.Text type="secondary">
                  {s.channel === 'api' ? t('scanLog.channelApi') : t('scanLog.channelPage')}
                </Typography.Text>
              </Space>
            ),
          },
          {
            key: 'actions',
            title: t('common.actions'),
            width: 100,
            fixed: 'right',
            render: (_v, s) => (
              <Button
                type="link"
                icon={<HistoryOutlined />}
                style={{ padding: 0 }}
                onClick={() => setHistoryOf(s.code)}
              >
                {t('scanLog.history')}
              </Button>
            ),
          },
        ]}
      />
      <CodeHistoryDrawer
        code={historyOf}
        onClose={() => setHistoryOf(undefined)}
        showLogLink={query.code !== historyOf}
      />
    </Page>
  );
}
