/**
 * A PostgreSQL array literal (`{a,b,NULL}`) of text or numbers, to pass as one parameter cast to an
 * array type (`$1::text[]`, `$1::bigint[]`). node-postgres turns a JavaScript array into the same
 * literal but quotes every element and runs two regular-expression replaces on each; the scan
 * store's batches pass twenty-odd arrays of ids, digits and short words that need neither, so
 * this quotes only the elements that must be (array_in's rules: empty, the word NULL in any case,
 * or holding a brace, quote, comma, backslash or white space) and escapes only inside those.
 */
export function pgArray(values: readonly (string | number | null)[]): string {
  let out = '{';
  for (let i = 0; i < values.length; i++) {
    if (i > 0) out += ',';
    const v = values[i];
    if (v === null || v === undefined) out += 'NULL';
    else if (typeof v === 'number') out += String(v);
    else if (v !== '' && !NEEDS_QUOTES.test(v) && !/^null$/i.test(v)) out += v;
    else out += `"${v.replace(/[\\"]/g, '\\$&')}"`;
  }
  return `${out}}`;
}

/** Characters that make array_in read an unquoted element differently (JavaScript's white space covers isspace's). */
const NEEDS_QUOTES = /[{}",\\\s]/;
