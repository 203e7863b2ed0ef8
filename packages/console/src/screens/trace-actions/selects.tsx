/**
 * Pickers of the enterprise's own things for the action forms, searching on the server as one
 * types: batches (批次), raw-material lots (原料批次, with what is left), code jobs (赋码任务, for
 * ranges of positions) and active stage templates.
 */
import type { CSSProperties, ReactNode } from 'react';
import { Select } from 'antd';
import dayjs from 'dayjs';
import { api, data } from '../../api/client.js';
import type { paths } from '../../api/schema.js';
import { firstPage, useSearch } from '../../components/use-search.js';
import { useI18n, type MessageKey } from '../../i18n/index.js';
import { cbvWord } from '../events/words.js';

/** A raw-material lot as listed. */
export type Lot =
  paths['/api/v1/trace-actions/raw-material-lots']['get']['responses'][200]['content']['application/json']['items'][number];
/** A stage template as listed. */
export type Template =
  paths['/api/v1/stage-templates']['get']['responses'][200]['content']['application/json']['items'][number];

interface PickerProps<V> {
  readonly id?: string;
  readonly value?: V;
  readonly onChange?: (value: V) => void;
  readonly style?: CSSProperties;
  readonly placeholder?: string;
}

/** One or more of the enterprise's active batches (by product and lot). */
export function BatchSelect({
  multiple = false,
  ...props
}: PickerProps<string | string[]> & { readonly multiple?: boolean }): ReactNode {
  const { t } = useI18n();
  const { items, setQ, loading } = useSearch((q) =>
    data(
      api.GET('/api/v1/batches', {
        params: { query: { ...firstPage(q), status: 'active' } },
      }),
    ).then((p) => p.items),
  );
  return (
    <Select
      {...props}
      mode={multiple ? 'multiple' : undefined}
      allowClear
      loading={loading}
      showSearch={{ filterOption: false, onSearch: setQ }}
      placeholder={props.placeholder ?? t('traceActions.batchPlaceholder')}
      notFoundContent={t('traceActions.noBatches')}
      options={items.map((b) => ({
        value: b.id,
        label: `${b.lot} · ${b.productName ?? ''}`,
      }))}
    />
  );
}

/** One or more raw-material lots, each with its material, supplier and what is left. */
export function LotSelect({
  multiple = false,
  onPicked,
  ...props
}: PickerProps<string | string[]> & {
  readonly multiple?: boolean;
  readonly onPicked?: (lot: Lot | undefined) => void;
}): ReactNode {
  const { t } = useI18n();
  const { items, setQ, loading } = useSearch((q) =>
    data(
      api.GET('/api/v1/trace-actions/raw-material-lots', {
        params: { query: firstPage(q) },
      }),
    ).then((p) => p.items),
  );
  return (
    <Select
      {...props}
      onChange={(v: string | string[]) => {
        props.onChange?.(v);
        if (typeof v === 'string') onPicked?.(items.find((l) => l.id === v));
      }}
      mode={multiple ? 'multiple' : undefined}
      allowClear
      loading={loading}
      showSearch={{ filterOption: false, onSearch: setQ }}
      placeholder={props.placeholder ?? t('traceActions.lotPlaceholder')}
      notFoundContent={t('traceActions.noLots')}
      options={items.map((l) => ({
        value: l.id,
        label: t('traceActions.lotOption', {
          lot: l.lot,
          material: l.material,
          left: (l.quantity - l.usedQuantity).toLocaleString(),
          unit: cbvWord(t, 'unit', l.unit),
        }),
      }))}
    />
  );
}

/** One active stage template; `onPicked` hands over the whole template for its fields. */
export function TemplateSelect({
  onPicked,
  ...props
}: PickerProps<string> & { readonly onPicked?: (template: Template | undefined) => void }): ReactNode {
  const { t } = useI18n();
  const { items, setQ, loading } = useSearch((q) =>
    data(
      api.GET('/api/v1/stage-templates', {
        params: { query: { ...firstPage(q, 100), status: 'active' } },
      }),
    ).then((p) => p.items),
  );
  return (
    <Select
      {...props}
      onChange={(v: string) => {
        props.onChange?.(v);
        onPicked?.(items.find((x) => x.id === v));
      }}
      loading={loading}
      showSearch={{ filterOption: false, onSearch: setQ }}
      placeholder={t('traceActions.templatePlaceholder')}
      notFoundContent={t('traceActions.noTemplates')}
      options={items.map((x) => ({ value: x.id, label: `${x.name} · ${cbvWord(t, 'bizStep', x.bizStep)}` }))}
    />
  );
}

/**
 * One of the enterprise's code jobs, newest first (a job has no name: it reads as its date,
 * packing level, size and note).
 */
export function JobSelect(props: PickerProps<string>): ReactNode {
  const { t } = useI18n();
  const { items, loading } = useSearch(() =>
    data(api.GET('/api/v1/code-jobs', { params: { query: { page: 1, pageSize: 100 } } })).then(
      (p) => p.items,
    ),
  );
  return (
    <Select
      {...props}
      loading={loading}
      showSearch={{ optionFilterProp: 'label' }}
      placeholder={props.placeholder ?? t('traceActions.jobPlaceholder')}
      notFoundContent={t('traceActions.noJobs')}
      popupMatchSelectWidth={360}
      options={items.map((j) => ({
        value: j.id,
        label: t('traceActions.jobOption', {
          date: dayjs(j.createdAt).format('YYYY-MM-DD HH:mm'),
          level: t(`packing.level_${j.packingLevel}` as MessageKey),
          count: j.count.toLocaleString(),
          note: j.note === null ? '' : ` · ${j.note}`,
        }),
      }))}
    />
  );
}
