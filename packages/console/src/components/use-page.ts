import { useCallback, useEffect, useState } from 'react';
import { App } from 'antd';
import { useI18n } from '../i18n/index.js';
import { errorText } from '../api/errors.js';

/** A page of a list as the API answers it. */
export interface PageOf<T> {
  readonly items: readonly T[];
  readonly total: number;
  readonly page: number;
  readonly pageSize: number;
}

/**
 * Loads a server-paged list for `query` and reloads when it changes or on `reload()`; errors
 * show as a message. Tables page and sort on the server through `query`.
 */
export function usePage<T, Q>(
  load: (query: Q) => Promise<PageOf<T>>,
  query: Q,
): { readonly page: PageOf<T> | undefined; readonly loading: boolean; readonly reload: () => void } {
  const { t } = useI18n();
  const { message } = App.useApp();
  const [page, setPage] = useState<PageOf<T>>();
  const [loading, setLoading] = useState(true);
  const [tick, setTick] = useState(0);
  const key = JSON.stringify(query);
  useEffect(() => {
    let live = true;
    setLoading(true);
    load(JSON.parse(key) as Q)
      .then((p) => {
        if (live) setPage(p);
      })
      .catch((e: unknown) => {
        if (live) void message.error(errorText(t, e));
      })
      .finally(() => {
        if (live) setLoading(false);
      });
    return () => {
      live = false;
    };
    // `load` is a fresh arrow each render; the query's text decides when to reload.
  }, [key, tick]);
  const reload = useCallback(() => setTick((n) => n + 1), []);
  return { page, loading, reload };
}
