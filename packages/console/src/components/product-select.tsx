import { useEffect, useState, type ReactNode } from 'react';
import { Select } from 'antd';
import { api, data } from '../api/client.js';
import { useI18n } from '../i18n/index.js';

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
  const [q, setQ] = useState('');
  const [options, setOptions] = useState<{ value: string; label: string }[]>([]);
  useEffect(() => {
    const timer = setTimeout(() => {
      void data(
        api.GET('/api/v1/products', {
          params: { query: { page: 1, pageSize: 50, status: 'active', ...(q === '' ? {} : { q }) } },
        }),
      ).then((p) =>
        setOptions(
          p.items.map((i) => ({
            value: i.id,
            label: i.specification === null ? i.name : `${i.name} · ${i.specification}`,
          })),
        ),
      );
    }, 250);
    return () => clearTimeout(timer);
  }, [q]);
  return (
    <Select
      id={id}
      showSearch={{ filterOption: false, onSearch: setQ }}
      value={value}
      onChange={onChange}
      options={options}
      allowClear={allowClear}
      placeholder={t('batches.productPlaceholder')}
      notFoundContent={t('batches.noProducts')}
      style={style}
    />
  );
}
