/**
 * The genealogy of a trace as an ECharts graph: one column per level (upstream on the left,
 * downstream on the right), nodes coloured by kind, links named. At most {@link MAX_DRAWN}
 * nodes are drawn, the nearest to the start first; the caller says how many more there are.
 */
import { useMemo, type ReactNode } from 'react';
import type { paths } from '../../api/schema.js';
import { Chart, chartColors, type ChartOption } from '../../components/chart.js';
import { useI18n, type MessageKey } from '../../i18n/index.js';
import { useSession } from '../../session/session.js';
import { brandRed, brandTeal } from '../../layout/brand-logo.js';
import { beijingTime, cbvWord, readableId } from '../events/words.js';

/** The trace answer. */
export type TraceResult = paths['/api/v1/trace']['get']['responses'][200]['content']['application/json'];
/** A node of it. */
export type TraceNode = TraceResult['nodes'][number];

/** Most nodes drawn at once: more would be unreadable (and slow on a tablet). */
export const MAX_DRAWN = 120;

const kinds = ['lot', 'batch', 'code_range', 'pallet', 'case', 'item', 'party', 'location', 'other'] as const;
const colours: Readonly<Record<(typeof kinds)[number], string>> = {
  lot: chartColors[2] ?? '#FFB400',
  batch: chartColors[1] ?? brandTeal,
  code_range: '#13A8A8',
  pallet: chartColors[5] ?? '#9270CA',
  case: '#B37FEB',
  item: chartColors[3] ?? '#5B8FF9',
  party: '#52C41A',
  location: '#2F54EB',
  other: chartColors[4] ?? '#8C8C8C',
};
const sizes: Readonly<Record<(typeof kinds)[number], number>> = {
  lot: 44,
  batch: 50,
  code_range: 38,
  pallet: 42,
  case: 36,
  item: 26,
  party: 34,
  location: 34,
  other: 26,
};

/**
 * What a node is, for people: a lot that production made (the output of a transformation, e.g.
 * a batch's LGTIN reached through events) is a production batch, not a raw-material lot.
 */
export function displayKind(n: TraceNode, r: TraceResult): TraceNode['kind'] {
  if (n.kind === 'lot' && r.links.some((l) => l.kind === 'transformed-into' && l.to === n.id)) return 'batch';
  return n.kind;
}

/** The nodes drawn: the start first, then by distance from it. */
export function drawnNodes(r: TraceResult): TraceNode[] {
  return [...r.nodes].sort((a, b) => Math.abs(a.level) - Math.abs(b.level)).slice(0, MAX_DRAWN);
}

/** A node's name in words (a batch by its product and lot, a range by its codes). */
export function nodeLabel(
  t: ReturnType<typeof useI18n>['t'],
  n: TraceNode,
  own?: string,
  names: Readonly<Record<string, string>> = {},
): string {
  const known = names[n.id];
  if (known !== undefined) return known;
  const d = n.details ?? {};
  if (n.kind === 'batch' && typeof d['lot'] === 'string') {
    return typeof d['productName'] === 'string' ? `${d['productName']} · ${d['lot']}` : d['lot'];
  }
  if (n.kind === 'code_range' && typeof d['count'] === 'number') {
    return t('trace.rangeLabel', { count: d['count'].toLocaleString() });
  }
  return readableId(t, n.id, own).label;
}

export function TraceGraph({
  result,
  names,
  onPick,
}: {
  readonly result: TraceResult;
  /** Names found for identifiers the answer does not name (raw-material lots). */
  readonly names: Readonly<Record<string, string>>;
  readonly onPick: (node: TraceNode) => void;
}): ReactNode {
  const { t, language } = useI18n();
  const { me } = useSession();
  const own = me?.enterprise?.id;
  const drawn = useMemo(() => drawnNodes(result), [result]);

  const option = useMemo<ChartOption>(() => {
    const byLevel = new Map<number, TraceNode[]>();
    for (const n of drawn) byLevel.set(n.level, [...(byLevel.get(n.level) ?? []), n]);
    const ids = new Set(drawn.map((n) => n.id));
    const roots = new Set(result.roots);
    const tallest = Math.max(...[...byLevel.values()].map((l) => l.length), 1);
    const nodes = drawn.map((n) => {
      const column = byLevel.get(n.level) ?? [];
      const i = column.indexOf(n);
      const kind = displayKind(n, result);
      const label = nodeLabel(t, n, own, names);
      return {
        id: n.id,
        name: label,
        value: n.id,
        category: kinds.indexOf(kind),
        x: n.level * 260,
        // Columns are centred on each other so the start sits in the middle.
        y: (i - (column.length - 1) / 2) * Math.max(70, 420 / tallest),
        symbolSize: sizes[kind],
        symbol:
          kind === 'party' || kind === 'location' ? 'diamond' : kind === 'item' ? 'circle' : 'roundRect',
        itemStyle: roots.has(n.id)
          ? {
              color: colours[kind],
              borderColor: brandRed,
              borderWidth: 4,
              shadowBlur: 12,
              shadowColor: 'rgba(212,24,25,.4)',
            }
          : { color: colours[kind] },
        label: {
          show: true,
          position: 'bottom' as const,
          width: 150,
          overflow: 'truncate' as const,
          fontWeight: roots.has(n.id) ? ('bold' as const) : ('normal' as const),
        },
        node: n,
      };
    });
    return {
      tooltip: {
        confine: true,
        formatter: (p: unknown) => {
          const item = p as { dataType?: string; data?: { node?: TraceNode; kind?: string; time?: number } };
          if (item.dataType === 'edge') {
            const k = item.data?.kind ?? '';
            return `${t(`linkKind.${k}` as MessageKey)}<br/>${beijingTime(item.data?.time)}`;
          }
          const n = item.data?.node;
          if (n === undefined) return '';
          const esc = (s: string): string => s.replace(/[&<>"]/g, (c) => `&#${c.charCodeAt(0)};`);
          const lines = [
            `<b>${esc(nodeLabel(t, n, own, names))}</b>`,
            `${t('trace.kind')}：${t(`nodeKind.${displayKind(n, result)}` as MessageKey)}`,
            `<span style="color:#888">${esc(n.id.length > 80 ? `${n.id.slice(0, 80)}…` : n.id)}</span>`,
          ];
          if (n.holding !== undefined) {
            const place = n.holding.bizLocation ?? n.holding.readPoint;
            lines.push(
              `${t('trace.lastStep')}：${cbvWord(t, 'bizStep', n.holding.bizStep)} · ${cbvWord(t, 'disposition', n.holding.disposition)}`,
            );
            if (place !== null) lines.push(`${t('trace.place')}：${esc(readableId(t, place, own).label)}`);
            if (n.holding.owner !== null)
              lines.push(`${t('trace.owner')}：${esc(readableId(t, n.holding.owner, own).label)}`);
            lines.push(`${t('trace.at')}：${beijingTime(n.holding.eventTime)}`);
          }
          return lines.join('<br/>');
        },
      },
      legend: {
        top: 0,
        data: kinds.map((k) => t(`nodeKind.${k}` as MessageKey)),
      },
      animationDurationUpdate: 300,
      series: [
        {
          type: 'graph',
          layout: 'none',
          top: 56,
          bottom: 36,
          left: 120,
          right: 120,
          roam: true,
          draggable: true,
          categories: kinds.map((k) => ({
            name: t(`nodeKind.${k}` as MessageKey),
            itemStyle: { color: colours[k] },
          })),
          data: nodes,
          links: result.links
            .filter((l) => ids.has(l.from) && ids.has(l.to))
            .map((l) => ({
              source: l.from,
              target: l.to,
              kind: l.kind,
              time: l.eventTime,
              label: {
                show: true,
                formatter: t(`linkKind.${l.kind}` as MessageKey),
                fontSize: 11,
                color: '#595959',
              },
              lineStyle: {
                color:
                  l.kind === 'shipped-to' ? '#52C41A' : l.kind === 'transformed-into' ? '#FFB400' : '#A6A6A6',
                width: 1.5,
                curveness: 0.08,
              },
            })),
          edgeSymbol: ['none', 'arrow'],
          edgeSymbolSize: 8,
          emphasis: { focus: 'adjacency', lineStyle: { width: 3 } },
          labelLayout: { hideOverlap: true },
        },
      ],
    };
  }, [drawn, result, t, own, language, names]);

  // A tall column (many items of one batch) gets room to breathe.
  const tallest = Math.max(
    1,
    ...Object.values(
      drawn.reduce<Record<number, number>>((m, n) => ({ ...m, [n.level]: (m[n.level] ?? 0) + 1 }), {}),
    ),
  );
  return (
    <Chart
      option={option}
      height={Math.min(900, Math.max(460, tallest * 40 + 100))}
      ariaLabel={t('trace.graph')}
      onClick={(item) => {
        const n = (item.data as { node?: TraceNode } | undefined)?.node;
        if (n !== undefined) onPick(n);
      }}
    />
  );
}
