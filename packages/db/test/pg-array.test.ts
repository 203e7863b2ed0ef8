/**
 * Array literals for PostgreSQL parameters: whatever the text, PostgreSQL reads back exactly the
 * values written (checked by PostgreSQL itself, not by a parser of ours).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import pg from 'pg';
import { createTestDatabase } from '@tracemark/testing';
import { pgArray } from '../src/dialect/pg-array.js';

test('pgArray: PostgreSQL reads back every value as written, awkward text, NULLs and numbers included', async () => {
  const t = await createTestDatabase('postgres');
  const pool = new pg.Pool({ connectionString: t.url, max: 1 });
  try {
    const texts = [
      '0190c0de-0000-7000-8000-000000000001',
      '31004287519036621',
      'query_limit,distant_regions',
      '',
      'NULL',
      'null',
      null,
      'a "quoted" word',
      'back\\slash',
      '{braces}',
      ' leading and trailing ',
      'tab\there',
      'line\nbreak',
      '上海市 浦东新区',
      'ends with backslash\\',
    ];
    const readText = await pool.query<{ a: (string | null)[] }>('SELECT $1::text[] AS a', [pgArray(texts)]);
    assert.deepEqual(readText.rows[0]?.a, texts);

    const numbers = [0, 1, 9_999_999, 1_795_839_017_991, null];
    const readNumbers = await pool.query<{ a: (string | null)[] }>('SELECT $1::bigint[]::text[] AS a', [
      pgArray(numbers),
    ]);
    assert.deepEqual(
      readNumbers.rows[0]?.a,
      numbers.map((n) => (n === null ? null : String(n))),
    );
    const empty = await pool.query<{ n: number | null }>('SELECT cardinality($1::text[]) AS n', [
      pgArray([]),
    ]);
    assert.equal(empty.rows[0]?.n, 0);
  } finally {
    await pool.end();
    await t.dispose();
  }
});
