import type { ReactNode } from 'react';
import { Select } from 'antd';
import { api, data } from '../api/client.js';
import { useI18n } from '../i18n/index.js';
import { firstPage, useSearch } from './use-search.js';

/** Picks one of the enterprise's active products, searching on the server as one types. */
export function ProductSelect({
  value,
  onChange,
  id,
  allowClear = false,
  style,
}: {
  readonly value?: string;
  readonly onChange?: (id: string | undefined) => void;
  readonly id?: string;
  readonly allowClear?: boolean;
  readonly style?: React.CSSProperties;
}): ReactNode {
  const { t } = useI18n();
  const { items, setQ, loading } = useSearch((q) =>
    data(
      api.GET('/api/v1/products', {
        params: { query: { ...firstPage(q), status: 'active' } },
      }),
    ).then((p) => p.items),
  );
  return (
    <Select
      id={id}
      aria-label={t('batches.product')}
      showSearch={{ filterOption: false, onSearch: setQ }}
      value={value}
      onChange={onChange}
      loading={loading}
      options={items.map((i) => ({
        value: i.id,
        label: i.specification === null ? i.name : `${i.name} · ${i.specification}`,
      }))}
      allowClear={allowClear}
      placeholder={t('batches.productPlaceholder')}
      notFoundContent={t('batches.noProducts')}
      style={style}
    />
  );
}
