/**
 * Which side-menu entry a page belongs to. A page without an entry of its own (a detail page)
 * highlights the entry of the longest path it lies under (`enterprises/:id` → 企业管理), unless
 * the link that opened it named the entry it came from: the application opened from the review
 * queue stays under 入驻审核. The name travels in the history entry, so it survives a reload.
 */

/** Navigation state naming the menu entry a page was opened from: `<Link state={fromMenu('reviews')}>`. */
export function fromMenu(key: string): { readonly menu: string } {
  return { menu: key };
}

/** The menu key to highlight for `pathname` (without the `/console` base) among `keys`. */
export function selectedMenuKey(
  pathname: string,
  state: unknown,
  keys: readonly string[],
): string | undefined {
  const path = pathname.replace(/^\/+|\/+$/g, '');
  if (keys.includes(path)) return path;
  const named = state !== null && typeof state === 'object' && 'menu' in state ? state.menu : undefined;
  if (typeof named === 'string' && keys.includes(named)) return named;
  return keys
    .filter((k) => path.startsWith(`${k}/`))
    .reduce<string | undefined>(
      (best, k) => (best === undefined || k.length > best.length ? k : best),
      undefined,
    );
}
