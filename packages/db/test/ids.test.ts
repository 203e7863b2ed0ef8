/** Row ids: UUIDv7, time-ordered and random, and the time floor that selects by them. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { idFloor, isUuid, newId } from '@tracemark/db';

test('newId is a version 7 UUID carrying its millisecond, with the RFC 9562 variant', () => {
  const at = Date.UTC(2026, 10, 27, 23, 30);
  const id = newId(at);
  assert.ok(isUuid(id), id);
  assert.equal(id.slice(0, 13).replace('-', ''), at.toString(16).padStart(12, '0'));
  assert.equal(id[14], '7', 'version nibble');
  assert.ok('89ab'.includes(id[19] ?? ''), 'variant bits 10');
});

test('ids of later milliseconds sort after earlier ones and at or above their idFloor; ids never repeat', () => {
  const ids = Array.from({ length: 2000 }, (_, i) => newId(1_700_000_000_000 + Math.floor(i / 10)));
  assert.equal(new Set(ids).size, ids.length);
  for (let i = 10; i < ids.length; i += 10) {
    assert.ok(ids[i]! > ids[i - 1]!, 'a later millisecond sorts after');
    assert.ok(ids[i]! >= idFloor(1_700_000_000_000 + i / 10));
    assert.ok(ids[i - 1]! < idFloor(1_700_000_000_000 + i / 10));
  }
});
