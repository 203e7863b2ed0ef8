/**
 * Trace explorer (追溯查询): from a trace code, a lot number (batch or raw-material lot) or any
 * identifier, backward (溯源: where it came from) and / or forward (追踪: where it went). Shows the
 * genealogy as a graph — a click on a node traces from it — the objects found with where they are
 * now, and the timeline of events by stage in Beijing time. The query lives in the address, so a
 * trace can be bookmarked and the browser's back button undoes a re-centre.
 */
import { useEffect, useState, type ReactNode } from 'react';
import { useSearchParams } from 'react-router';
import {
  Alert,
  App,
  Button,
  Card,
  Col,
  Divider,
  Empty,
  Flex,
  Input,
  InputNumber,
  Row,
  Segmented,
  Select,
  Space,
  Statistic,
  Table,
  Tag,
  Timeline,
  Typography,
} from 'antd';
import { ApartmentOutlined, NodeIndexOutlined } from '@ant-design/icons';
import { api, data } from '../../api/client.js';
import { errorText } from '../../api/errors.js';
import { useI18n, type MessageKey } from '../../i18n/index.js';
import { useSession } from '../../session/session.js';
import { Page } from '../../components/page.js';
import { brandTeal } from '../../layout/brand-logo.js';
import { EventDrawer } from '../events/event-drawer.js';
import { beijingTime, cbvWord, readableId } from '../events/words.js';
import {
  displayKind,
  MAX_DRAWN,
  nodeLabel,
  TraceGraph,
  type TraceNode,
  type TraceResult,
} from './trace-graph.js';

type StartKind = 'code' | 'lot' | 'epc' | 'batchId';
type Direction = 'both' | 'backward' | 'forward';

/** Tag colours whose text passes WCAG AA on its tint (the store's, the brand teal, is solid). */
const stageColour: Readonly<Record<string, string>> = {
  raw_material: 'warning',
  production: 'magenta',
  processing: 'purple',
  warehousing: 'geekblue',
  logistics: 'blue',
  channel: 'success',
  store: brandTeal,
  terminal: 'default',
  recall: 'red',
  other: 'default',
};

// The objects list: the few lots, batches, packages and parties (by level) before the many items.
const kindRank: readonly string[] = [
  'lot',
  'batch',
  'pallet',
  'case',
  'party',
  'location',
  'code_range',
  'item',
  'other',
];

/** Where a click on a node traces from next; undefined for parties and places (not walked). */
function startOf(n: TraceNode): { kind: StartKind; value: string } | undefined {
  const d = n.details ?? {};
  if (n.kind === 'batch' && typeof d['batchId'] === 'string') return { kind: 'batchId', value: d['batchId'] };
  if (n.kind === 'code_range' && typeof d['firstCode'] === 'string')
    return { kind: 'code', value: d['firstCode'] };
  if (n.kind === 'lot' || n.kind === 'batch') return { kind: 'lot', value: n.id };
  if (n.kind === 'party' || n.kind === 'location') return undefined;
  return { kind: 'epc', value: n.id };
}

export default function TraceScreen(): ReactNode {
  const { t } = useI18n();
  const { message } = App.useApp();
  const { me } = useSession();
  const own = me?.enterprise?.id;
  const [search, setSearch] = useSearchParams();
  const startKind: StartKind =
    (['code', 'lot', 'epc', 'batchId'] as const).find((k) => search.get(k) !== null) ?? 'code';
  const startValue = search.get(startKind) ?? '';
  const direction = (search.get('direction') ?? 'both') as Direction;
  const depthText = search.get('depth');
  const depth = depthText === null ? undefined : Number(depthText);
  const [kind, setKind] = useState<Exclude<StartKind, 'batchId'>>(
    startKind === 'batchId' ? 'lot' : startKind,
  );
  const [text, setText] = useState(startKind === 'batchId' ? '' : startValue);
  const [result, setResult] = useState<TraceResult>();
  const [error, setError] = useState<string>();
  const [loading, setLoading] = useState(false);
  const [eventId, setEventId] = useState<string>();
  const [names, setNames] = useState<Readonly<Record<string, string>>>({});

  // Raw-material lots without a GTIN are named by the platform's URI: look their lot numbers up.
  useEffect(() => {
    setNames({});
    const ids = (result?.nodes ?? [])
      .map((n) => ({ id: n.id, lotId: /\/id\/raw-lot\/([0-9a-f-]{36})$/.exec(n.id)?.[1] }))
      .filter((x): x is { id: string; lotId: string } => x.lotId !== undefined)
      .slice(0, 20);
    if (ids.length === 0) return undefined;
    let live = true;
    void Promise.all(
      ids.map(({ id, lotId }) =>
        data(api.GET('/api/v1/trace-actions/raw-material-lots/{lotId}', { params: { path: { lotId } } }))
          .then((l) => [id, `${l.material} · ${l.lot}`] as const)
          .catch(() => undefined),
      ),
    ).then((found) => {
      if (live) setNames(Object.fromEntries(found.filter((f) => f !== undefined)));
    });
    return () => {
      live = false;
    };
  }, [result]);

  useEffect(() => {
    if (startValue === '') {
      // A direction or depth chosen before the first search keeps what is being typed.
      setResult(undefined);
      return undefined;
    }
    setKind(startKind === 'batchId' ? 'lot' : startKind);
    setText(startKind === 'batchId' ? '' : startValue);
    let live = true;
    setLoading(true);
    setError(undefined);
    data(
      api.GET('/api/v1/trace', {
        params: {
          query: {
            [startKind]: startValue,
            direction,
            ...(depth === undefined || Number.isNaN(depth) ? {} : { depth }),
            timelineLimit: 500,
          },
        },
      }),
    )
      .then((r) => {
        if (live) setResult(r);
      })
      .catch((e: unknown) => {
        if (live) {
          setResult(undefined);
          setError(errorText(t, e));
        }
      })
      .finally(() => {
        if (live) setLoading(false);
      });
    return () => {
      live = false;
    };
  }, [startKind, startValue, direction, depthText]);

  const go = (
    k: StartKind,
    value: string,
    patch: { direction?: Direction; depth?: number | null } = {},
  ): void => {
    const q = new URLSearchParams();
    if (value.trim() !== '') q.set(k, value.trim());
    const dir = patch.direction ?? direction;
    if (dir !== 'both') q.set('direction', dir);
    const dp = patch.depth === undefined ? depth : patch.depth;
    if (dp !== undefined && dp !== null && !Number.isNaN(dp)) q.set('depth', String(dp));
    setSearch(q);
  };

  const pick = (n: TraceNode): void => {
    const s = startOf(n);
    if (s === undefined) {
      void message.info(t('trace.notAStart'));
      return;
    }
    go(s.kind, s.value);
  };

  const events = result?.timeline.reduce((n, g) => n + g.events.length, 0) ?? 0;
  const hidden = result === undefined ? 0 : Math.max(0, result.nodes.length - MAX_DRAWN);
  const rootLabel =
    result === undefined
      ? ''
      : result.roots
          .map((r) => result.nodes.find((n) => n.id === r))
          .filter((n): n is TraceNode => n !== undefined)
          .map((n) => nodeLabel(t, n, own, names))
          .filter((l, i, all) => all.indexOf(l) === i)
          .join('、');

  return (
    <Page title={t('trace.title')} subtitle={t('trace.subtitle')}>
      <Card size="small" style={{ marginBottom: 16 }}>
        <Flex wrap gap={12} align="center">
          <Space.Compact style={{ flex: '1 1 420px', minWidth: 320, maxWidth: 640 }}>
            <Select<Exclude<StartKind, 'batchId'>>
              aria-label={t('trace.startKind')}
              value={kind}
              onChange={setKind}
              style={{ width: 150 }}
              options={(['code', 'lot', 'epc'] as const).map((k) => ({
                value: k,
                label: t(`trace.kind_${k}`),
              }))}
            />
            <Input.Search
              aria-label={t('trace.searchLabel')}
              placeholder={t(`trace.placeholder_${kind}`)}
              value={text}
              onChange={(e) => setText(e.target.value)}
              onSearch={(v) => go(kind, v)}
              enterButton={t('trace.search')}
              loading={loading}
              allowClear
            />
          </Space.Compact>
          <Segmented<Direction>
            value={direction}
            onChange={(d) => go(startKind, startValue, { direction: d })}
            options={[
              { value: 'both', label: t('trace.both') },
              { value: 'backward', label: t('trace.backward') },
              { value: 'forward', label: t('trace.forward') },
            ]}
          />
          <Space>
            <Typography.Text type="secondary">{t('trace.depth')}</Typography.Text>
            <InputNumber
              aria-label={t('trace.depth')}
              min={1}
              max={1000}
              precision={0}
              placeholder={t('trace.unlimited')}
              value={depth}
              onChange={(v) => go(startKind, startValue, { depth: v })}
              style={{ width: 96 }}
            />
          </Space>
        </Flex>
        {error === undefined ? null : <Alert style={{ marginTop: 12 }} type="error" showIcon title={error} />}
      </Card>

      {result === undefined ? (
        <Card loading={loading}>
          <Empty
            image={<NodeIndexOutlined style={{ fontSize: 56, color: '#bfbfbf' }} />}
            description={
              <Space orientation="vertical" size={4}>
                <Typography.Text strong>{t('trace.emptyTitle')}</Typography.Text>
                <Typography.Text type="secondary">{t('trace.emptyText')}</Typography.Text>
              </Space>
            }
          />
        </Card>
      ) : (
        <>
          <Row gutter={[16, 16]} style={{ marginBottom: 16 }}>
            <Col xs={24} md={9}>
              <Card size="small" style={{ height: '100%' }}>
                <Typography.Text type="secondary">{t('trace.start')}</Typography.Text>
                <Typography.Title level={5} style={{ margin: '4px 0 0' }} ellipsis={{ tooltip: rootLabel }}>
                  {rootLabel === '' ? startValue : rootLabel}
                </Typography.Title>
                <Tag style={{ marginTop: 4 }} color="red">
                  {t(`trace.${direction}`)}
                </Tag>
              </Card>
            </Col>
            <Col xs={8} md={5}>
              <Card size="small">
                <Statistic title={t('trace.nodes')} value={result.nodes.length} />
              </Card>
            </Col>
            <Col xs={8} md={5}>
              <Card size="small">
                <Statistic title={t('trace.links')} value={result.links.length} />
              </Card>
            </Col>
            <Col xs={8} md={5}>
              <Card size="small">
                <Statistic title={t('trace.events')} value={events} />
              </Card>
            </Col>
          </Row>
          {result.truncated ? (
            <Alert style={{ marginBottom: 16 }} type="warning" showIcon title={t('trace.truncated')} />
          ) : null}
          <Row gutter={[16, 16]}>
            <Col xs={24} xl={15}>
              <Card
                size="small"
                title={
                  <Space>
                    <ApartmentOutlined />
                    {t('trace.graph')}
                  </Space>
                }
                extra={<Typography.Text type="secondary">{t('trace.graphHint')}</Typography.Text>}
              >
                <TraceGraph result={result} names={names} onPick={pick} />
                {hidden > 0 ? (
                  <Alert type="info" showIcon title={t('trace.hidden', { drawn: MAX_DRAWN, hidden })} />
                ) : null}
              </Card>
              <Card size="small" title={t('trace.objects')} style={{ marginTop: 16 }}>
                <Table<TraceNode>
                  size="small"
                  rowKey="id"
                  dataSource={[...result.nodes].sort(
                    (a, b) =>
                      Number(a.kind === 'item') - Number(b.kind === 'item') ||
                      a.level - b.level ||
                      kindRank.indexOf(a.kind) - kindRank.indexOf(b.kind),
                  )}
                  pagination={{
                    pageSize: 10,
                    showSizeChanger: false,
                    showTotal: (n) => t('common.total', { total: n }),
                  }}
                  scroll={{ x: 720 }}
                  columns={[
                    {
                      key: 'level',
                      title: t('trace.level'),
                      width: 90,
                      render: (_v, n) =>
                        n.level === 0 ? (
                          <Tag color="red">{t('trace.startTag')}</Tag>
                        ) : n.level < 0 ? (
                          t('trace.upstream', { n: -n.level })
                        ) : (
                          t('trace.downstream', { n: n.level })
                        ),
                    },
                    {
                      key: 'kind',
                      title: t('trace.kind'),
                      width: 100,
                      render: (_v, n) => <Tag>{t(`nodeKind.${displayKind(n, result)}` as MessageKey)}</Tag>,
                    },
                    {
                      key: 'name',
                      title: t('trace.name'),
                      render: (_v, n) => (
                        <Typography.Link title={n.id} onClick={() => pick(n)}>
                          {nodeLabel(t, n, own, names)}
                        </Typography.Link>
                      ),
                    },
                    {
                      key: 'now',
                      title: t('trace.now'),
                      render: (_v, n) => {
                        if (n.holding === undefined) return '—';
                        const place = n.holding.bizLocation ?? n.holding.readPoint;
                        return (
                          <Space size={4} wrap>
                            <span>{cbvWord(t, 'bizStep', n.holding.bizStep)}</span>
                            {n.holding.disposition === null ? null : (
                              <Tag color="processing">{cbvWord(t, 'disposition', n.holding.disposition)}</Tag>
                            )}
                            {place === null ? null : (
                              <Typography.Text type="secondary">
                                {readableId(t, place, own).label}
                              </Typography.Text>
                            )}
                          </Space>
                        );
                      },
                    },
                  ]}
                />
              </Card>
            </Col>
            <Col xs={24} xl={9}>
              <Card size="small" title={t('trace.timeline')}>
                {result.timeline.length === 0 ? (
                  <Empty description={t('trace.noEvents')} />
                ) : (
                  <div style={{ maxHeight: 1000, overflowY: 'auto', paddingTop: 4 }}>
                    {result.timeline.map((g) => (
                      <div key={g.stage}>
                        <Divider titlePlacement="start" style={{ margin: '4px 0 12px' }}>
                          <Tag color={stageColour[g.stage]}>{cbvWord(t, 'stage', g.stage)}</Tag>
                          <Typography.Text type="secondary">
                            {t('trace.nEvents', { n: g.events.length })}
                          </Typography.Text>
                        </Divider>
                        <Timeline
                          items={g.events.map((e) => {
                            const place = e.bizLocation ?? e.readPoint;
                            return {
                              key: e.eventId,
                              color: g.stage === 'recall' ? 'red' : 'blue',
                              title: beijingTime(e.eventTime),
                              content: (
                                <Space orientation="vertical" size={0}>
                                  <Space size={6} wrap>
                                    <Typography.Text strong>
                                      {cbvWord(
                                        t,
                                        'bizStep',
                                        e.bizStep ??
                                          (e.type === 'TransformationEvent'
                                            ? 'creating_class_instance'
                                            : null),
                                      )}
                                    </Typography.Text>
                                    {e.disposition === null ? null : (
                                      <Tag color={g.stage === 'recall' ? 'error' : 'processing'}>
                                        {cbvWord(t, 'disposition', e.disposition)}
                                      </Tag>
                                    )}
                                  </Space>
                                  <Typography.Text type="secondary">
                                    {place === null ? t('events.noPlace') : readableId(t, place, own).label}
                                  </Typography.Text>
                                  <Button
                                    type="link"
                                    size="small"
                                    style={{ padding: 0 }}
                                    onClick={() => setEventId(e.eventId)}
                                  >
                                    {t('trace.eventDetail')}
                                  </Button>
                                </Space>
                              ),
                            };
                          })}
                        />
                      </div>
                    ))}
                  </div>
                )}
              </Card>
            </Col>
          </Row>
        </>
      )}
      <EventDrawer eventId={eventId} onClose={() => setEventId(undefined)} />
    </Page>
  );
}
