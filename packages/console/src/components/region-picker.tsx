/**
 * A GB/T 2260 region picker (province → city → county; any level may be chosen). The division
 * list comes from `@tracemark/core` (the same the server validates with), loaded on first use
 * as a chunk of its own.
 */
import { useEffect, useState, type ReactNode } from 'react';
import { Cascader } from 'antd';
import { useI18n } from '../i18n/index.js';

interface Option {
  readonly value: string;
  readonly label: string;
  readonly children?: Option[];
}

let options: Promise<Option[]> | undefined;

function loadOptions(): Promise<Option[]> {
  options ??= import('@tracemark/core').then(({ listProvinces, listChildren }) => {
    const tree = (code: string, name: string): Option => {
      const children = (listChildren(code) ?? []).map((c) => tree(c.code, c.name));
      return children.length === 0 ? { value: code, label: name } : { value: code, label: name, children };
    };
    return listProvinces().map((p) => tree(p.code, p.name));
  });
  return options;
}

/** The path of codes from province to the given code, as the cascader wants its value. */
function pathOf(code: string | undefined): string[] | undefined {
  if (code === undefined || !/^\d{6}$/.test(code)) return undefined;
  const path = [`${code.slice(0, 2)}0000`];
  if (code.slice(2, 4) !== '00') path.push(`${code.slice(0, 4)}00`);
  if (code.slice(4) !== '00') path.push(code);
  return path;
}

/** Form control: value is the 6-digit code of the deepest level chosen. */
export function RegionPicker({
  value,
  onChange,
  id,
}: {
  readonly value?: string;
  readonly onChange?: (code: string | undefined) => void;
  readonly id?: string;
}): ReactNode {
  const { t } = useI18n();
  const [loaded, setLoaded] = useState<Option[]>([]);
  useEffect(() => {
    void loadOptions().then(setLoaded);
  }, []);
  return (
    <Cascader
      id={id}
      options={loaded}
      value={pathOf(value)}
      changeOnSelect
      showSearch
      loading={loaded.length === 0}
      placeholder={t('common.regionPlaceholder')}
      onChange={(path: string[] | undefined) => onChange?.(path?.at(-1))}
      style={{ width: '100%' }}
    />
  );
}

let names: Promise<(code: string) => string | undefined> | undefined;

/** A region code shown with its names ("上海市 / 浦东新区 (310115)"), looked up in the same list. */
export function RegionName({ code }: { readonly code: string | null }): ReactNode {
  const [name, setName] = useState<string>();
  useEffect(() => {
    if (code === null) return;
    names ??= import('@tracemark/core').then(
      ({ regionPath }) =>
        (c: string) =>
          regionPath(c)?.join(' / '),
    );
    void names.then((lookup) => setName(lookup(code)));
  }, [code]);
  if (code === null) return '—';
  return name === undefined ? code : `${name} (${code})`;
}
