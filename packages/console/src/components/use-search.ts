import { useEffect, useState } from 'react';

/** Loads options for the text typed, a quarter second after the last key. */
export function useSearch<T>(load: (q: string) => Promise<readonly T[]>): {
  readonly items: readonly T[];
  readonly setQ: (q: string) => void;
  readonly loading: boolean;
} {
  const [q, setQ] = useState('');
  const [items, setItems] = useState<readonly T[]>([]);
  const [loading, setLoading] = useState(false);
  useEffect(() => {
    let live = true;
    setLoading(true);
    const timer = setTimeout(() => {
      load(q)
        .then((r) => {
          if (live) setItems(r);
        })
        .catch(() => undefined)
        .finally(() => {
          if (live) setLoading(false);
        });
    }, 250);
    return () => {
      live = false;
      clearTimeout(timer);
    };
  }, [q]);
  return { items, setQ, loading };
}

/** The query of a picker's search: the first page, with the text typed when there is any. */
export function firstPage(q: string, pageSize = 50): { page: number; pageSize: number; q?: string } {
  return { page: 1, pageSize, ...(q === '' ? {} : { q }) };
}
