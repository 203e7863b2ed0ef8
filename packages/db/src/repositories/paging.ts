import { sql, type RawBuilder } from 'kysely';

/** A page request: 1-based page number and page size (already validated at the edge). */
export interface PageRequest {
  readonly page: number;
  readonly pageSize: number;
}

/** One page of a list, with the total so a table can show its pager. */
export interface Page<T> {
  readonly items: readonly T[];
  readonly total: number;
  readonly page: number;
  readonly pageSize: number;
}

/** Offset of the first row of a page. */
export function pageOffset(p: PageRequest): number {
  return (p.page - 1) * p.pageSize;
}

/** Escapes `%`, `_` and `\` so user text is matched literally inside a LIKE pattern. */
export function likePattern(text: string): string {
  return `%${text.toLowerCase().replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}

/**
 * A case-insensitive "contains" test on one column that behaves the same on SQLite and
 * PostgreSQL (SQLite's LIKE has no default escape character, so name one).
 */
export function containsText(column: string, text: string): RawBuilder<boolean> {
  return sql<boolean>`lower(${sql.ref(column)}) like ${likePattern(text)} escape '\\'`;
}
