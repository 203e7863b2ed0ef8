import type { ReactNode } from 'react';
import { Select } from 'antd';
import { api, data } from '../api/client.js';
import { useI18n } from '../i18n/index.js';
import { firstPage, useSearch } from './use-search.js';

/**
 * Picks one enterprise the caller may see (the operator: all; a regulator: its jurisdiction's),
 * searching names and unified social credit codes on the server as one types.
 */
export function EnterpriseSelect({
  value,
  onChange,
  id,
  placeholder,
  style,
}: {
  readonly value?: string;
  readonly onChange?: (id: string | undefined) => void;
  readonly id?: string;
  readonly placeholder?: string;
  readonly style?: React.CSSProperties;
}): ReactNode {
  const { t } = useI18n();
  const { items, setQ, loading } = useSearch((q) =>
    data(
      api.GET('/api/v1/enterprises', {
        params: { query: firstPage(q) },
      }),
    ).then((p) => p.items),
  );
  return (
    <Select<string | undefined>
      id={id}
      aria-label={t('enterprises.selectLabel')}
      allowClear
      showSearch={{ filterOption: false, onSearch: setQ }}
      value={value}
      onChange={onChange}
      loading={loading}
      options={items.map((e) => ({ value: e.id, label: `${e.name} · ${e.uscc}` }))}
      placeholder={placeholder ?? t('enterprises.selectPlaceholder')}
      notFoundContent={t('enterprises.selectNone')}
      popupMatchSelectWidth={360}
      style={style}
    />
  );
}
