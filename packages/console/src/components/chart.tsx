/**
 * An ECharts chart as a React component: `<Chart option={...} height={280} />`. Only the chart
 * types and components the console uses are registered (tree-shaken from `echarts/core`), drawn
 * on canvas; the chart follows its container's width and the console's language.
 */
import { useEffect, useRef, type CSSProperties, type ReactNode } from 'react';
import * as echarts from 'echarts/core';
import { BarChart, GraphChart, LineChart, PieChart } from 'echarts/charts';
import {
  DatasetComponent,
  GridComponent,
  LegendComponent,
  TitleComponent,
  TooltipComponent,
} from 'echarts/components';
import { CanvasRenderer } from 'echarts/renderers';
import type { ComposeOption } from 'echarts/core';
import type { BarSeriesOption, GraphSeriesOption, LineSeriesOption, PieSeriesOption } from 'echarts/charts';
import type {
  DatasetComponentOption,
  GridComponentOption,
  LegendComponentOption,
  TitleComponentOption,
  TooltipComponentOption,
} from 'echarts/components';
import { useI18n } from '../i18n/index.js';
import { brandRed, brandTeal } from '../layout/brand-logo.js';

echarts.use([
  BarChart,
  LineChart,
  PieChart,
  GraphChart,
  DatasetComponent,
  GridComponent,
  LegendComponent,
  TitleComponent,
  TooltipComponent,
  CanvasRenderer,
]);

/** The options the console's charts may use (bar, line, pie, graph with their components). */
export type ChartOption = ComposeOption<
  | BarSeriesOption
  | LineSeriesOption
  | PieSeriesOption
  | GraphSeriesOption
  | DatasetComponentOption
  | GridComponentOption
  | LegendComponentOption
  | TitleComponentOption
  | TooltipComponentOption
>;

/** The console's palette: the brand red first, then calm colours that read apart. */
export const chartColors = [brandRed, brandTeal, '#FFB400', '#5B8FF9', '#8C8C8C', '#9270CA'];

/**
 * The axes the console's bar charts share, spread into an axis with its `type` and `data`:
 * `categories` along the bottom (dates, regions), `values` up the side with dashed grid lines,
 * `ranking` down the left of a horizontal top-N bar chart (no line, darker labels).
 */
export const axes = {
  categories: {
    axisTick: { show: false },
    axisLabel: { color: '#8c8c8c', hideOverlap: true },
    axisLine: { lineStyle: { color: '#d9d9d9' } },
  },
  values: {
    minInterval: 1,
    splitLine: { lineStyle: { type: 'dashed', color: '#f0f0f0' } },
    axisLabel: { color: '#8c8c8c' },
  },
  ranking: { axisTick: { show: false }, axisLine: { show: false }, axisLabel: { color: '#595959' } },
} as const;

/** Draws `option`; a click on a data item calls `onClick` with its `name` and `data`. */
export function Chart({
  option,
  height = 280,
  style,
  onClick,
  ariaLabel,
}: {
  readonly option: ChartOption;
  readonly height?: number;
  readonly style?: CSSProperties;
  readonly onClick?: (item: { readonly name: string; readonly data: unknown }) => void;
  /** What the chart shows, for screen readers. */
  readonly ariaLabel?: string;
}): ReactNode {
  const element = useRef<HTMLDivElement>(null);
  const chart = useRef<echarts.ECharts | undefined>(undefined);
  const { language } = useI18n();
  const clicked = useRef(onClick);
  clicked.current = onClick;

  useEffect(() => {
    const el = element.current;
    if (el === null) return undefined;
    const instance = echarts.init(el, undefined, {
      renderer: 'canvas',
      locale: language === 'zh-CN' ? 'ZH' : 'EN',
    });
    chart.current = instance;
    instance.on('click', (p) => clicked.current?.({ name: p.name, data: p.data }));
    const observer = new ResizeObserver(() => instance.resize());
    observer.observe(el);
    return () => {
      observer.disconnect();
      instance.dispose();
      chart.current = undefined;
    };
  }, [language]);

  useEffect(() => {
    chart.current?.setOption({ color: chartColors, ...option }, { notMerge: true });
  }, [option, language]);

  return <div ref={element} role="img" aria-label={ariaLabel} style={{ width: '100%', height, ...style }} />;
}
