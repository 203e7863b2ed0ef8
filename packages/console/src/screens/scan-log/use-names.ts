/**
 * Names of products and lots of batches for the ids a list shows: each id is fetched once per
 * screen (lists carry ids only) and kept while the screen is open.
 */
import { useEffect, useRef, useState } from 'react';
import { api, data } from '../../api/client.js';

/** What an id stands for: a product's name, a batch's lot. */
export interface Names {
  readonly product: (id: string | null) => string | undefined;
  readonly batch: (id: string | null) => string | undefined;
}

/** Looks up the products and batches named in `rows`. */
export function useNames(
  rows: readonly { readonly productId: string | null; readonly batchId: string | null }[],
): Names {
  const products = useRef(new Map<string, Promise<void>>());
  const batches = useRef(new Map<string, Promise<void>>());
  const [known, setKnown] = useState<Readonly<Record<string, string>>>({});
  const mounted = useRef(true);
  useEffect(() => {
    mounted.current = true;
    return () => {
      mounted.current = false;
    };
  }, []);
  useEffect(() => {
    // A lookup outlives the rows that asked for it: its answer serves later rows too.
    const remember = (key: string, value: string): void => {
      if (mounted.current) setKnown((k) => ({ ...k, [key]: value }));
    };
    for (const r of rows) {
      const p = r.productId;
      if (p !== null && !products.current.has(p)) {
        products.current.set(
          p,
          data(api.GET('/api/v1/products/{productId}', { params: { path: { productId: p } } }))
            .then((x) => remember(`p:${p}`, x.name))
            .catch(() => undefined),
        );
      }
      const b = r.batchId;
      if (b !== null && !batches.current.has(b)) {
        batches.current.set(
          b,
          data(api.GET('/api/v1/batches/{batchId}', { params: { path: { batchId: b } } }))
            .then((x) => remember(`b:${b}`, x.lot))
            .catch(() => undefined),
        );
      }
    }
  }, [rows]);
  return {
    product: (id) => (id === null ? undefined : known[`p:${id}`]),
    batch: (id) => (id === null ? undefined : known[`b:${id}`]),
  };
}
