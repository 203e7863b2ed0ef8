import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import type { CodeSpaceRow } from '@tracemark/db';
import { KeyVault } from '../src/lib/key-vault.js';
import { CodeEngines, spaceKeyBytes, spaceKeyContext } from '../src/modules/codes/code-engine.js';

const vault = new KeyVault([{ id: 'k1', key: new Uint8Array(randomBytes(32)) }]);

/** A space row with its own sealed key. */
function space(tenantId: string, id: string, prefix: string): CodeSpaceRow {
  const sealed = vault.seal(new Uint8Array(randomBytes(spaceKeyBytes)), spaceKeyContext(tenantId, id));
  return {
    tenant_id: tenantId,
    id,
    name: id,
    code_length: 17,
    prefix,
    capacity: 10 ** 11,
    next_serial: 0,
    wrapped_key: sealed.sealed,
    master_key_id: sealed.masterKeyId,
    status: 'active',
    created_by: 'test',
    created_at: 0,
  };
}

describe('code engines', () => {
  test('a space opens its key once; its engine encodes and decodes its codes', () => {
    const engines = new CodeEngines(vault);
    const a = space('t1', 'space-a', '31004');
    const engine = engines.for(a);
    assert.equal(engines.for(a), engine, 'the same engine on the next use');
    const code = engine.codec.encode(12_345);
    const decoded = engine.codec.decode(code);
    assert.equal(decoded.type === 'decoded' ? decoded.serial : undefined, 12_345);
  });

  test('past the limit the least recently used engine goes, the ones in use stay', () => {
    const engines = new CodeEngines(vault, 2);
    const [a, b, c] = [space('t1', 'a', '31001'), space('t1', 'b', '31002'), space('t2', 'c', '31003')];
    const ea = engines.for(a);
    const eb = engines.for(b);
    assert.equal(engines.for(a), ea, 'a used again: b is now the least recent');
    engines.for(c);
    assert.equal(engines.for(a), ea, 'a stayed');
    assert.notEqual(engines.for(b), eb, 'b was dropped and opened anew');
  });

  test("a row of another enterprise with a known space id gets no other enterprise's engine", () => {
    const engines = new CodeEngines(vault);
    const own = engines.for(space('t1', 'same-id', '31010'));
    const other = space('t2', 'same-id', '31011');
    const theirs = engines.for(other);
    assert.notEqual(theirs, own);
    assert.equal(theirs.space.tenant_id, 't2');
  });
});
