import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { CodeSpaceCodec, dammCheckDigit, parseCode, type CodeLength } from '@tracemark/codes';
import type { LightMyRequestResponse } from 'fastify';
import { dialects } from '@tracemark/testing';
import { createAesBlockCipher } from '../src/lib/node-aes.js';
import {
  approvedEnterprise,
  Client,
  errorCode,
  harness,
  json,
  operatorClient,
  password,
  registerEnterprise,
  type Harness,
} from './support/harness.js';

interface SpaceBody {
  id: string;
  name: string;
  length: CodeLength;
  prefix: string;
  capacity: number;
  issued: number;
  activated: number;
  status: 'active' | 'retired';
  createdAt: number;
}

interface JobBody {
  id: string;
  spaceId: string;
  productId: string | null;
  packingLevel: 'item' | 'box' | 'case' | 'pallet';
  count: number;
  firstSerial: number;
  withPin: boolean;
  note: string | null;
  activated: number;
  createdAt: number;
}

interface CodeItem {
  position: number;
  code: string;
  url: string;
  pin?: string;
}

interface CodeInfo {
  code: string;
  url: string;
  status: 'issued' | 'active' | 'voided';
  spaceId: string;
  serial: number;
  jobId: string;
  position: number;
  packingLevel: string;
  productId: string | null;
  batchId: string | null;
  activatedAt: number | null;
  parent: string | null;
  children: string[];
  childCount: number;
  replacedBy: string | null;
}

interface AuditPage {
  items: Array<{
    action: string;
    targetType: string;
    targetId: string | null;
    details: Record<string, unknown>;
  }>;
}

const publicUrl = 'https://t.example.cn';

/** Appends the GS1 mod-10 check digit (computed here, independent of the server). */
function withGs1Check(body: string): string {
  let sum = 0;
  for (let i = 0; i < body.length; i++) sum += Number(body[body.length - 1 - i]) * (i % 2 === 0 ? 3 : 1);
  return `${body}${(10 - (sum % 10)) % 10}`;
}

/** A code as people type it from a label: groups split by spaces and dashes. */
const spaced = (code: string): string => `${code.slice(0, 5)} ${code.slice(5, 10)}-${code.slice(10)}`;

/** The same code with one field digit changed (so its check digit is now wrong). */
const typo = (code: string): string => {
  const i = code.length - 3;
  return `${code.slice(0, i)}${(Number(code[i]) + 1) % 10}${code.slice(i + 1)}`;
};

/** A well-formed code of a prefix with a made-up field, its Damm check digit fixed. */
const madeUp = (prefix: string, length: CodeLength, seed: number): string => {
  const field = String(seed * 7_919 + 123_457)
    .padStart(length - prefix.length - 1, '3')
    .slice(0, length - prefix.length - 1);
  const body = `${prefix}${field}`;
  return `${body}${dammCheckDigit(body)}`;
};

for (const dialect of dialects) {
  describe(`trace codes on ${dialect}`, () => {
    let h: Harness;
    let operator: Client;
    let acme: { admin: Client; enterpriseId: string };
    let other: { admin: Client; enterpriseId: string };
    let rice: string;
    let oil: string;
    let gtinProduct: string;
    let gtin14: string;
    let riceA: string;
    let riceB: string;
    let oilBatch: string;
    let gtinBatch: string;
    /** A code issued to the other enterprise. */
    let foreignCode: string;

    const ok = async <T>(res: Promise<{ statusCode: number; body: string }>, status = 200): Promise<T> => {
      const r = await res;
      assert.equal(r.statusCode, status, r.body);
      return JSON.parse(r.body) as T;
    };
    const newSpace = (length: CodeLength, c: Client = acme.admin, name = `${length} 位码段`) =>
      ok<SpaceBody>(c.call('POST', '/api/v1/code-spaces', { name, length }), 201);
    const newJob = (body: Record<string, unknown>, c: Client = acme.admin) =>
      ok<JobBody>(c.call('POST', '/api/v1/code-jobs', body), 201);
    const codesOf = async (jobId: string, offset = 0, count = 100, c: Client = acme.admin) =>
      (
        await ok<{ items: CodeItem[] }>(
          c.call('GET', `/api/v1/code-jobs/${jobId}/codes?offset=${offset}&count=${count}`),
        )
      ).items;
    const codeList = async (jobId: string, count: number) =>
      (await codesOf(jobId, 0, count)).map((i) => i.code);
    const activate = (body: Record<string, unknown>, c: Client = acme.admin) =>
      c.call('POST', '/api/v1/code-activations', body);
    const info = (code: string, c: Client = acme.admin) =>
      ok<CodeInfo>(c.call('GET', `/api/v1/codes/${code}`));
    const jobOf = (jobId: string) => ok<JobBody>(acme.admin.call('GET', `/api/v1/code-jobs/${jobId}`));
    const spaceOf = (spaceId: string) =>
      ok<SpaceBody>(acme.admin.call('GET', `/api/v1/code-spaces/${spaceId}`));
    const line = (path: 'pack' | 'unpack' | 'replace' | 'activate', body: Record<string, unknown>) =>
      acme.admin.call('POST', `/api/v1/line/${path}`, body);
    const rows = async (
      table: 'code_spaces' | 'code_jobs' | 'code_activations' | 'code_packing' | 'code_voids' | 'audit_log',
    ): Promise<number> => {
      const r = await h.db.kysely
        .selectFrom(table)
        .select((eb) => eb.fn.countAll<number | string>().as('n'))
        .executeTakeFirstOrThrow();
      return Number(r.n);
    };
    const counts = async () => ({
      spaces: await rows('code_spaces'),
      jobs: await rows('code_jobs'),
      activations: await rows('code_activations'),
      packing: await rows('code_packing'),
      voids: await rows('code_voids'),
      audit: await rows('audit_log'),
    });
    /** Expects a refusal with the status and error code given. */
    const refused = async (res: Promise<LightMyRequestResponse>, status: number, code: string) => {
      const r = await res;
      assert.equal(r.statusCode, status, r.body);
      assert.equal(errorCode(r), code, r.body);
    };
    const newBatch = (productId: string, lot: string) =>
      ok<{ id: string }>(
        acme.admin.call('POST', '/api/v1/batches', { productId, lot, productionDate: '2026-03-01' }),
        201,
      );

    before(async () => {
      h = await harness(dialect, { PUBLIC_URL: publicUrl });
      operator = await operatorClient(h);
      acme = await approvedEnterprise(h, operator, { username: 'codes-admin', orgBody: 'MA1TRC00' });
      other = await approvedEnterprise(h, operator, { username: 'codes-other', orgBody: 'MA1TRC01' });
      rice = (
        await ok<{ id: string }>(acme.admin.call('POST', '/api/v1/products', { name: '稻花香大米 5kg' }), 201)
      ).id;
      oil = (
        await ok<{ id: string }>(acme.admin.call('POST', '/api/v1/products', { name: '压榨花生油 5L' }), 201)
      ).id;
      const gtin13 = withGs1Check('690123456789');
      const g = await ok<{ id: string; gtin: string }>(
        acme.admin.call('POST', '/api/v1/products', { name: '带条码的酱油', gtin: gtin13 }),
        201,
      );
      gtinProduct = g.id;
      gtin14 = g.gtin;
      assert.equal(gtin14, `0${gtin13}`);
      riceA = (await newBatch(rice, 'RICE-A')).id;
      riceB = (await newBatch(rice, 'RICE-B')).id;
      oilBatch = (await newBatch(oil, 'OIL-1')).id;
      gtinBatch = (await newBatch(gtinProduct, 'SOY-1')).id;
      const theirSpace = await newSpace(17, other.admin);
      const theirJob = await newJob({ spaceId: theirSpace.id, count: 3 }, other.admin);
      [foreignCode = ''] = (await codesOf(theirJob.id, 0, 1, other.admin)).map((i) => i.code);
    });
    after(() => h.close());

    describe('who may issue', () => {
      test('a draft (not approved) enterprise can create neither a space nor a job: 403 TRACE_ENTERPRISE_NOT_APPROVED, nothing written', async () => {
        const draft = await registerEnterprise(h, { username: 'codes-draft', orgBody: 'MA1TRC02' });
        const was = await counts();
        await refused(
          draft.admin.call('POST', '/api/v1/code-spaces', { name: '草稿码段', length: 17 }),
          403,
          'TRACE_ENTERPRISE_NOT_APPROVED',
        );
        const acmeSpace = await newSpace(15);
        const withAcmeSpace = await counts();
        await refused(
          draft.admin.call('POST', '/api/v1/code-jobs', { spaceId: acmeSpace.id, count: 10 }),
          403,
          'TRACE_ENTERPRISE_NOT_APPROVED',
        );
        assert.equal(withAcmeSpace.spaces, was.spaces + 1, 'only acme’s space was added');
        assert.deepEqual(await counts(), withAcmeSpace);
      });

      test('an enterprise operator cannot create a space (403) but can issue and activate codes', async () => {
        const made = await acme.admin.call('POST', '/api/v1/users', {
          username: 'codes-clerk',
          displayName: '产线操作员',
          password,
          role: 'enterprise_operator',
        });
        assert.equal(made.statusCode, 201, made.body);
        const clerk = new Client(h.app);
        await clerk.login('codes-clerk', password);
        const spacesBefore = await rows('code_spaces');
        await refused(
          clerk.call('POST', '/api/v1/code-spaces', { name: 'no', length: 15 }),
          403,
          'TRACE_AUTH_FORBIDDEN',
        );
        assert.equal(await rows('code_spaces'), spacesBefore);
        const space = await newSpace(15);
        const job = await newJob({ spaceId: space.id, count: 5, productId: rice }, clerk);
        assert.equal(job.count, 5);
        const listed = await ok<{ items: SpaceBody[] }>(clerk.call('GET', '/api/v1/code-spaces'));
        assert.ok(listed.items.some((s) => s.id === space.id));
        assert.deepEqual(await ok(activate({ batchId: riceA, jobId: job.id }, clerk)), {
          activated: 5,
          ranges: 1,
        });
      });

      test('an API key issues codes and activates them on the line', async () => {
        const created = await ok<{ key: string }>(
          acme.admin.call('POST', '/api/v1/api-keys', { name: 'MES 3 号线' }),
          201,
        );
        const machine = new Client(h.app);
        machine.bearer = created.key;
        const space = await newSpace(17);
        const job = await newJob({ spaceId: space.id, count: 4, productId: rice }, machine);
        const [first = '', second = ''] = (await codesOf(job.id, 0, 4, machine)).map((i) => i.code);
        assert.deepEqual(await ok(activate({ batchId: riceA, codes: [first] }, machine)), {
          activated: 1,
          ranges: 1,
        });
        assert.deepEqual(
          await ok(machine.call('POST', '/api/v1/line/activate', { code: second, batchId: riceA })),
          { activated: 1, ranges: 1 },
        );
        assert.equal((await info(second)).status, 'active');
      });

      test('another enterprise sees neither the spaces nor the jobs', async () => {
        const space = await newSpace(15);
        const job = await newJob({ spaceId: space.id, count: 2 });
        await refused(
          other.admin.call('GET', `/api/v1/code-spaces/${space.id}`),
          404,
          'TRACE_CODE_SPACE_NOT_FOUND',
        );
        await refused(
          other.admin.call('GET', `/api/v1/code-jobs/${job.id}`),
          404,
          'TRACE_CODE_JOB_NOT_FOUND',
        );
        await refused(
          other.admin.call('GET', `/api/v1/code-jobs/${job.id}/codes`),
          404,
          'TRACE_CODE_JOB_NOT_FOUND',
        );
        await refused(
          other.admin.call('POST', '/api/v1/code-jobs', { spaceId: space.id, count: 1 }),
          404,
          'TRACE_CODE_SPACE_NOT_FOUND',
        );
        const theirs = await ok<{ items: SpaceBody[] }>(other.admin.call('GET', '/api/v1/code-spaces'));
        assert.ok(!theirs.items.some((s) => s.id === space.id));
        const jobs = await ok<{ items: JobBody[] }>(
          other.admin.call('GET', '/api/v1/code-jobs?pageSize=200'),
        );
        assert.ok(!jobs.items.some((j) => j.id === job.id));
      });
    });

    describe('code spaces', () => {
      test('spaces of 15, 17 and 21 digits get distinct prefixes of 5, 5 and 6 digits and hold 10^9, 10^11 and 10^14 codes', async () => {
        const expected: Array<[CodeLength, number, number]> = [
          [15, 5, 1e9],
          [17, 5, 1e11],
          [21, 6, 1e14],
        ];
        for (const [length, prefixDigits, capacity] of expected) {
          const a = await newSpace(length);
          const b = await newSpace(length);
          for (const s of [a, b]) {
            assert.equal(s.length, length);
            assert.match(s.prefix, new RegExp(`^[1-9][0-9]{${prefixDigits - 1}}$`), `${length}: ${s.prefix}`);
            assert.equal(s.capacity, capacity);
            assert.equal(s.issued, 0);
            assert.equal(s.activated, 0);
            assert.equal(s.status, 'active');
          }
          assert.notEqual(a.prefix, b.prefix);
        }
        // Prefixes are unique per length across the whole platform, other enterprises included.
        const all = await h.db.kysely.selectFrom('code_spaces').select(['code_length', 'prefix']).execute();
        const keys = all.map((s) => `${s.code_length}/${s.prefix}`);
        assert.equal(new Set(keys).size, keys.length);
      });

      test('a space key is stored sealed under the master key, never raw, and is never sent', async () => {
        const space = await newSpace(17);
        assert.deepEqual(Object.keys(space).sort(), [
          'activated',
          'capacity',
          'createdAt',
          'id',
          'issued',
          'length',
          'name',
          'prefix',
          'status',
        ]);
        const row = await h.db.kysely
          .selectFrom('code_spaces')
          .selectAll()
          .where('id', '=', space.id)
          .executeTakeFirstOrThrow();
        // No MASTER_KEY in this harness: the key generated into DATA_DIR/master.key is the one used.
        const [fileKeyId] = readFileSync(join(h.t.dataDir, 'master.key'), 'utf8').split(':');
        assert.equal(row.master_key_id, fileKeyId);
        assert.equal(row.master_key_id, h.app.vault.currentKeyId);
        const key = h.app.vault.open(
          { masterKeyId: row.master_key_id, sealed: row.wrapped_key },
          `code-space:${acme.enterpriseId}:${space.id}`,
        );
        assert.equal(key.length, 64);
        const stored = Buffer.from(row.wrapped_key, 'base64');
        assert.equal(
          stored.indexOf(Buffer.from(key.subarray(0, 32))),
          -1,
          'the FF1 key is not stored in clear',
        );
        assert.equal(stored.indexOf(Buffer.from(key.subarray(32))), -1, 'the PIN key is not stored in clear');
        assert.ok(!row.wrapped_key.includes(Buffer.from(key).toString('base64')));
        // Sealed for this space only: it does not open as another enterprise's or space's key.
        assert.throws(() =>
          h.app.vault.open(
            { masterKeyId: row.master_key_id, sealed: row.wrapped_key },
            `code-space:${other.enterpriseId}:${space.id}`,
          ),
        );
        // And it is the key the codes come from.
        const job = await newJob({ spaceId: space.id, count: 3 });
        const codec = new CodeSpaceCodec({
          layout: 17,
          prefix: space.prefix,
          cipher: createAesBlockCipher(key.subarray(0, 32)),
        });
        assert.deepEqual(await codeList(job.id, 3), codec.encodeBatch(job.firstSerial, 3));
        // Each space has its own key.
        const sibling = await newSpace(17);
        const siblingJob = await newJob({ spaceId: sibling.id, count: 3 });
        const siblingCodes = await codeList(siblingJob.id, 3);
        assert.notDeepEqual(
          siblingCodes.map((c) => c.slice(5)),
          codec.encodeBatch(0, 3).map((c) => c.slice(5)),
        );
      });

      test('simultaneous space requests of one length all succeed with distinct prefixes', async () => {
        const results = await Promise.all(
          [acme.admin, other.admin, acme.admin, other.admin].map((c, i) =>
            c.call('POST', '/api/v1/code-spaces', { name: `并发 ${i}`, length: 21 }),
          ),
        );
        assert.deepEqual(
          results.map((r) => r.statusCode),
          [201, 201, 201, 201],
          results.map((r) => r.body).join('\n'),
        );
        assert.equal(new Set(results.map((r) => json<SpaceBody>(r).prefix)).size, 4);
      });

      test('a bad length or name is a 400 and writes nothing', async () => {
        const spacesBefore = await rows('code_spaces');
        for (const body of [
          { name: 'x', length: 16 },
          { name: 'x', length: '17' },
          { name: '', length: 17 },
          { length: 17 },
        ]) {
          const res = await acme.admin.call('POST', '/api/v1/code-spaces', body);
          assert.equal(res.statusCode, 400, JSON.stringify(body));
        }
        assert.equal(await rows('code_spaces'), spacesBefore);
      });
    });

    describe('generation jobs', () => {
      test('a job reserves consecutive serials: the second job starts where the first ended', async () => {
        const space = await newSpace(15);
        const first = await newJob({ spaceId: space.id, count: 1000, productId: rice, note: '  首批  ' });
        assert.equal(first.firstSerial, 0);
        assert.equal(first.count, 1000);
        assert.equal(first.packingLevel, 'item');
        assert.equal(first.withPin, false);
        assert.equal(first.productId, rice);
        assert.equal(first.note, '首批');
        assert.equal(first.activated, 0);
        const second = await newJob({ spaceId: space.id, count: 250, packingLevel: 'box' });
        assert.equal(second.firstSerial, 1000);
        assert.equal(second.packingLevel, 'box');
        const third = await newJob({ spaceId: space.id, count: 1 });
        assert.equal(third.firstSerial, 1250);
        assert.equal((await spaceOf(space.id)).issued, 1251);
        assert.deepEqual(await jobOf(first.id), first);
        const listed = await ok<{ items: JobBody[]; total: number }>(
          acme.admin.call('GET', `/api/v1/code-jobs?spaceId=${space.id}`),
        );
        assert.equal(listed.total, 3);
        assert.deepEqual(listed.items.map((j) => j.id).sort(), [first.id, second.id, third.id].sort());
        // The last code of one job and the first of the next are different codes of neighbouring serials.
        const [lastOfFirst] = await codesOf(first.id, 999, 1);
        const [firstOfSecond] = await codesOf(second.id, 0, 1);
        assert.equal((await info(lastOfFirst?.code ?? '')).serial, 999);
        assert.equal((await info(firstOfSecond?.code ?? '')).serial, 1000);
      });

      test('simultaneous jobs on one space get disjoint, consecutive serial ranges', async () => {
        const space = await newSpace(17);
        const results = await Promise.all(
          [10, 20, 30, 40, 50].map((count) =>
            acme.admin.call('POST', '/api/v1/code-jobs', { spaceId: space.id, count }),
          ),
        );
        assert.deepEqual(
          results.map((r) => r.statusCode),
          [201, 201, 201, 201, 201],
          results.map((r) => r.body).join('\n'),
        );
        const ranges = results.map((r) => json<JobBody>(r)).sort((a, b) => a.firstSerial - b.firstSerial);
        let next = 0;
        for (const j of ranges) {
          assert.equal(j.firstSerial, next);
          next += j.count;
        }
        assert.equal((await spaceOf(space.id)).issued, 150);
      });

      test('a count of 0 or 100,000,001 is a 400 and writes nothing', async () => {
        const space = await newSpace(15);
        const was = await counts();
        for (const count of [0, 100_000_001, -1, 1.5]) {
          const res = await acme.admin.call('POST', '/api/v1/code-jobs', { spaceId: space.id, count });
          assert.equal(res.statusCode, 400, `${count}: ${res.body}`);
        }
        assert.deepEqual(await counts(), was);
        assert.equal((await spaceOf(space.id)).issued, 0);
      });

      test('a job of 100,000,000 codes adds exactly one job row and no per-code rows', async () => {
        const space = await newSpace(15);
        const was = await counts();
        const started = Date.now();
        const job = await newJob({ spaceId: space.id, count: 100_000_000, productId: rice });
        assert.ok(Date.now() - started < 5_000, 'issuing is bookkeeping, not generating');
        assert.deepEqual(await counts(), { ...was, jobs: was.jobs + 1, audit: was.audit + 1 });
        assert.equal((await spaceOf(space.id)).issued, 100_000_000);
        // Any position can be read straight away, the last one included.
        const tail = await codesOf(job.id, 99_999_995, 10);
        assert.deepEqual(
          tail.map((i) => i.position),
          [99_999_996, 99_999_997, 99_999_998, 99_999_999, 100_000_000],
        );
        const last = await info(tail[4]?.code ?? '');
        assert.equal(last.position, 100_000_000);
        assert.equal(last.serial, 99_999_999);
        assert.equal(last.status, 'issued');
        // Activating the whole job is one range row too.
        assert.deepEqual(await ok(activate({ batchId: riceA, jobId: job.id })), {
          activated: 100_000_000,
          ranges: 1,
        });
        assert.equal(await rows('code_activations'), was.activations + 1);
        assert.equal((await jobOf(job.id)).activated, 100_000_000);
        assert.equal((await info(tail[4]?.code ?? '')).status, 'active');
      });

      test('a space that runs full refuses a job (409 TRACE_CODE_SPACE_FULL) but issues its last serials', async () => {
        const space = await newSpace(15);
        await h.db.kysely
          .updateTable('code_spaces')
          .set({ next_serial: space.capacity - 5 })
          .where('id', '=', space.id)
          .execute();
        const was = await counts();
        await refused(
          acme.admin.call('POST', '/api/v1/code-jobs', { spaceId: space.id, count: 10 }),
          409,
          'TRACE_CODE_SPACE_FULL',
        );
        assert.deepEqual(await counts(), was);
        assert.equal((await spaceOf(space.id)).issued, space.capacity - 5);
        const lastFive = await newJob({ spaceId: space.id, count: 5 });
        assert.equal(lastFive.firstSerial, space.capacity - 5);
        await refused(
          acme.admin.call('POST', '/api/v1/code-jobs', { spaceId: space.id, count: 1 }),
          409,
          'TRACE_CODE_SPACE_FULL',
        );
        const codes = await codesOf(lastFive.id, 0, 5);
        assert.equal(new Set(codes.map((c) => c.code)).size, 5);
        assert.equal((await info(codes[4]?.code ?? '')).serial, space.capacity - 1);
      });

      test('an unknown space or an unknown or foreign product is a 404 and writes nothing', async () => {
        const space = await newSpace(15);
        const theirProduct = await ok<{ id: string }>(
          other.admin.call('POST', '/api/v1/products', { name: '别家的商品' }),
          201,
        );
        const was = await counts();
        await refused(
          acme.admin.call('POST', '/api/v1/code-jobs', {
            spaceId: '01a00000-0000-7000-8000-000000000000',
            count: 1,
          }),
          404,
          'TRACE_CODE_SPACE_NOT_FOUND',
        );
        await refused(
          acme.admin.call('POST', '/api/v1/code-jobs', {
            spaceId: space.id,
            count: 1,
            productId: theirProduct.id,
          }),
          404,
          'TRACE_PRODUCT_NOT_FOUND',
        );
        assert.deepEqual(await counts(), was);
      });
    });

    describe('listing a job’s codes', () => {
      test('codes have the layout’s length, pass the Damm check, carry the space prefix and are all distinct', async () => {
        for (const length of [15, 17, 21] as const) {
          const space = await newSpace(length);
          await newJob({ spaceId: space.id, count: 37 });
          const job = await newJob({ spaceId: space.id, count: 5000 });
          const items = await codesOf(job.id, 0, 5000);
          assert.equal(items.length, 5000);
          assert.deepEqual(
            items.map((i) => i.position),
            Array.from({ length: 5000 }, (_, i) => i + 1),
          );
          for (const { code } of items) {
            assert.equal(code.length, length, code);
            const parsed = parseCode(code);
            assert.equal(parsed.type, 'parsed', code);
            assert.equal(parsed.prefix, space.prefix);
          }
          assert.equal(new Set(items.map((i) => i.code)).size, 5000);
          // Not a counter: consecutive serials give codes that do not follow each other.
          const fields = items.slice(0, 50).map((i) => Number(i.code.slice(space.prefix.length, -1)));
          assert.ok(fields.some((f, i) => i > 0 && Math.abs(f - (fields[i - 1] ?? 0)) > 1000));
        }
      });

      test('slices line up: offset 5 count 5 are items 6 to 10 of the full list; beyond the end is empty', async () => {
        const space = await newSpace(17);
        const job = await newJob({ spaceId: space.id, count: 20 });
        const all = await codesOf(job.id, 0, 20);
        assert.deepEqual(await codesOf(job.id, 5, 5), all.slice(5, 10));
        assert.deepEqual(await codesOf(job.id, 18, 10), all.slice(18));
        assert.deepEqual(await codesOf(job.id, 20, 10), []);
        assert.deepEqual(await codesOf(job.id), all, 'the default is the first 100');
        assert.equal(
          (await acme.admin.call('GET', `/api/v1/code-jobs/${job.id}/codes?count=10001`)).statusCode,
          400,
        );
        assert.equal(
          (await acme.admin.call('GET', `/api/v1/code-jobs/${job.id}/codes?offset=-1`)).statusCode,
          400,
        );
      });

      test('PINs come only with withPin, 8 digits each', async () => {
        const space = await newSpace(17);
        const plain = await newJob({ spaceId: space.id, count: 50 });
        const scratch = await newJob({ spaceId: space.id, count: 50, withPin: true });
        assert.equal(scratch.withPin, true);
        assert.ok((await codesOf(plain.id, 0, 50)).every((i) => !('pin' in i)));
        const items = await codesOf(scratch.id, 0, 50);
        for (const i of items) assert.match(i.pin ?? '', /^[0-9]{8}$/, i.code);
        assert.ok(new Set(items.map((i) => i.pin)).size > 45, 'PINs differ from code to code');
        // The same position gives the same PIN every time it is read.
        assert.deepEqual(await codesOf(scratch.id, 10, 3), items.slice(10, 13));
      });

      test('URLs: the short link without a GTIN, the GS1 Digital Link with one, the short link for 21-digit codes', async () => {
        const cases: Array<[CodeLength, string | undefined, (code: string) => string]> = [
          [17, undefined, (c) => `${publicUrl}/c/${c}`],
          [17, gtinProduct, (c) => `${publicUrl}/01/${gtin14}/21/${c}`],
          [15, gtinProduct, (c) => `${publicUrl}/01/${gtin14}/21/${c}`],
          [15, rice, (c) => `${publicUrl}/c/${c}`],
          [21, gtinProduct, (c) => `${publicUrl}/c/${c}`],
        ];
        for (const [length, productId, url] of cases) {
          const space = await newSpace(length);
          const job = await newJob({
            spaceId: space.id,
            count: 3,
            ...(productId !== undefined ? { productId } : {}),
          });
          const items = await codesOf(job.id, 0, 3);
          for (const i of items) assert.equal(i.url, url(i.code), `${length} ${productId ?? 'no product'}`);
          // The URL belongs to the code, whatever its state.
          if (productId === gtinProduct) await ok(activate({ batchId: gtinBatch, jobId: job.id }));
          assert.equal((await info(items[0]?.code ?? '')).url, url(items[0]?.code ?? ''));
        }
      });
    });

    describe('activation', () => {
      test('a whole job is activated for a batch in one range; job and space figures show it', async () => {
        const space = await newSpace(17);
        const job = await newJob({ spaceId: space.id, count: 300, productId: rice });
        const activationsBefore = await rows('code_activations');
        assert.deepEqual(await ok(activate({ batchId: riceA, jobId: job.id })), {
          activated: 300,
          ranges: 1,
        });
        assert.equal(await rows('code_activations'), activationsBefore + 1);
        assert.equal((await jobOf(job.id)).activated, 300);
        assert.equal((await spaceOf(space.id)).activated, 300);
        const listed = await ok<{ items: JobBody[] }>(
          acme.admin.call('GET', `/api/v1/code-jobs?spaceId=${space.id}`),
        );
        assert.equal(listed.items[0]?.activated, 300);
        const [first, , third] = await codesOf(job.id, 0, 3);
        const i = await info(third?.code ?? '');
        assert.equal(i.status, 'active');
        assert.equal(i.batchId, riceA);
        assert.equal(i.productId, rice);
        assert.equal(i.jobId, job.id);
        assert.equal(i.position, 3);
        assert.ok(typeof i.activatedAt === 'number');
        assert.equal((await info(first?.code ?? '')).batchId, riceA);
      });

      test('a range from..to of a job activates those positions only', async () => {
        const space = await newSpace(15);
        const job = await newJob({ spaceId: space.id, count: 20, productId: rice });
        const items = await codesOf(job.id, 0, 20);
        assert.deepEqual(await ok(activate({ batchId: riceA, jobId: job.id, from: 3, to: 7 })), {
          activated: 5,
          ranges: 1,
        });
        const status = await Promise.all(items.map(async (c) => (await info(c.code)).status));
        assert.deepEqual(
          status.map((s, i) => (s === 'active' ? i + 1 : 0)).filter((p) => p > 0),
          [3, 4, 5, 6, 7],
        );
        assert.deepEqual(await ok(activate({ batchId: riceB, jobId: job.id, from: 8, to: 8 })), {
          activated: 1,
          ranges: 1,
        });
        assert.equal((await info(items[7]?.code ?? '')).batchId, riceB);
        assert.equal((await jobOf(job.id)).activated, 6);
      });

      test('a list of scanned codes, with spaces and dashes in them, is activated; neighbours merge into ranges', async () => {
        const space = await newSpace(17);
        const job = await newJob({ spaceId: space.id, count: 20, productId: rice });
        const items = await codesOf(job.id, 0, 20);
        const pick = [1, 2, 3, 10].map((p) => items[p - 1]?.code ?? '');
        const res = await ok<{ activated: number; ranges: number }>(
          activate({
            batchId: riceA,
            codes: [spaced(pick[2] ?? ''), pick[0], `${pick[3]}`, spaced(pick[1] ?? '')],
          }),
        );
        assert.deepEqual(res, { activated: 4, ranges: 2 });
        for (const p of [1, 2, 3, 10])
          assert.equal((await info(items[p - 1]?.code ?? '')).status, 'active', `position ${p}`);
        for (const p of [4, 9, 11])
          assert.equal((await info(items[p - 1]?.code ?? '')).status, 'issued', `position ${p}`);
        // GET takes the digits only.
        assert.equal(
          (await acme.admin.call('GET', `/api/v1/codes/${encodeURIComponent(spaced(pick[0] ?? ''))}`))
            .statusCode,
          400,
        );
      });

      test('re-activating an active code is a 409 TRACE_CODE_ALREADY_ACTIVE and changes nothing', async () => {
        const space = await newSpace(15);
        const job = await newJob({ spaceId: space.id, count: 10, productId: rice });
        const items = await codesOf(job.id, 0, 10);
        await ok(activate({ batchId: riceA, jobId: job.id, from: 4, to: 5 }));
        const was = await counts();
        const attempts: Array<Record<string, unknown>> = [
          { batchId: riceB, jobId: job.id },
          { batchId: riceB, jobId: job.id, from: 1, to: 4 },
          { batchId: riceB, jobId: job.id, from: 5, to: 9 },
          { batchId: riceB, codes: [items[0]?.code, items[4]?.code] },
          { batchId: riceA, codes: [items[3]?.code] },
        ];
        for (const body of attempts) await refused(activate(body), 409, 'TRACE_CODE_ALREADY_ACTIVE');
        await refused(
          line('activate', { code: items[4]?.code, batchId: riceA }),
          409,
          'TRACE_CODE_ALREADY_ACTIVE',
        );
        assert.deepEqual(await counts(), was);
        assert.equal((await jobOf(job.id)).activated, 2);
        assert.equal(
          (await info(items[0]?.code ?? '')).status,
          'issued',
          'the fresh code of the refused list stays inactive',
        );
        assert.equal((await info(items[3]?.code ?? '')).batchId, riceA);
      });

      test('simultaneous activations of the same codes: one wins, the others get 409 TRACE_CODE_ALREADY_ACTIVE', async () => {
        const space = await newSpace(15);
        const job = await newJob({ spaceId: space.id, count: 10, productId: rice });
        const [code = ''] = await codeList(job.id, 1);
        const was = await rows('code_activations');
        const results = await Promise.all([
          activate({ batchId: riceA, jobId: job.id }),
          activate({ batchId: riceB, jobId: job.id, from: 1, to: 5 }),
          activate({ batchId: riceB, codes: [code] }),
          line('activate', { code, batchId: riceA }),
        ]);
        assert.deepEqual(
          results.map((r) => r.statusCode).sort(),
          [200, 409, 409, 409],
          results.map((r) => r.body).join('\n'),
        );
        assert.ok(
          results
            .filter((r) => r.statusCode === 409)
            .every((r) => errorCode(r) === 'TRACE_CODE_ALREADY_ACTIVE'),
        );
        assert.equal(await rows('code_activations'), was + 1);
        const activated = (await jobOf(job.id)).activated;
        assert.ok(activated === 10 || activated === 5 || activated === 1, String(activated));
      });

      test('a list naming the same code twice activates it once', async () => {
        const space = await newSpace(17);
        const job = await newJob({ spaceId: space.id, count: 3, productId: rice });
        const [code = ''] = await codeList(job.id, 1);
        assert.deepEqual(await ok(activate({ batchId: riceA, codes: [code, spaced(code)] })), {
          activated: 1,
          ranges: 1,
        });
        assert.equal((await jobOf(job.id)).activated, 1);
      });

      test('a batch of another product than the job’s is a 409 TRACE_CODE_PRODUCT_MISMATCH; a job without a product takes any batch', async () => {
        const space = await newSpace(17);
        const riceJob = await newJob({ spaceId: space.id, count: 5, productId: rice });
        const [code] = await codesOf(riceJob.id, 0, 1);
        const was = await counts();
        await refused(activate({ batchId: oilBatch, jobId: riceJob.id }), 409, 'TRACE_CODE_PRODUCT_MISMATCH');
        await refused(
          activate({ batchId: oilBatch, jobId: riceJob.id, from: 1, to: 2 }),
          409,
          'TRACE_CODE_PRODUCT_MISMATCH',
        );
        await refused(
          activate({ batchId: oilBatch, codes: [code?.code] }),
          409,
          'TRACE_CODE_PRODUCT_MISMATCH',
        );
        assert.deepEqual(await counts(), was);
        const anyJob = await newJob({ spaceId: space.id, count: 2 });
        assert.deepEqual(await ok(activate({ batchId: oilBatch, jobId: anyJob.id })), {
          activated: 2,
          ranges: 1,
        });
      });

      test('a bad check digit is a 400 TRACE_CODE_INVALID; a well-formed code of another enterprise or never issued is a 404', async () => {
        const space = await newSpace(17);
        const job = await newJob({ spaceId: space.id, count: 5, productId: rice });
        const [good = ''] = await codeList(job.id, 1);
        const was = await counts();
        await refused(activate({ batchId: riceA, codes: [typo(good)] }), 400, 'TRACE_CODE_INVALID');
        await refused(acme.admin.call('GET', `/api/v1/codes/${typo(good)}`), 400, 'TRACE_CODE_INVALID');
        await refused(acme.admin.call('GET', `/api/v1/codes/${good}0`), 400, 'TRACE_CODE_INVALID');
        // The other enterprise's code: well formed, theirs.
        assert.equal(parseCode(foreignCode).type, 'parsed');
        await refused(activate({ batchId: riceA, codes: [foreignCode] }), 404, 'TRACE_CODE_NOT_FOUND');
        await refused(acme.admin.call('GET', `/api/v1/codes/${foreignCode}`), 404, 'TRACE_CODE_NOT_FOUND');
        // A made-up code of acme's own prefix: right check digit, serial never issued.
        const guessed = madeUp(space.prefix, 17, 42);
        assert.equal(parseCode(guessed).type, 'parsed');
        await refused(activate({ batchId: riceA, codes: [guessed] }), 404, 'TRACE_CODE_NOT_FOUND');
        await refused(acme.admin.call('GET', `/api/v1/codes/${guessed}`), 404, 'TRACE_CODE_NOT_FOUND');
        // A prefix no space has.
        await refused(
          acme.admin.call('GET', `/api/v1/codes/${madeUp('99999', 17, 1)}`),
          404,
          'TRACE_CODE_NOT_FOUND',
        );
        // One bad code spoils the list: the good one stays inactive.
        await refused(activate({ batchId: riceA, codes: [good, guessed] }), 404, 'TRACE_CODE_NOT_FOUND');
        assert.deepEqual(await counts(), was);
        assert.equal((await info(good)).status, 'issued');
      });

      test('a refused list names every bad code in details (row, field, code) and activates none', async () => {
        const space = await newSpace(17);
        const job = await newJob({ spaceId: space.id, count: 6, productId: rice });
        const oilJob = await newJob({ spaceId: space.id, count: 1, productId: oil });
        const codes = await codeList(job.id, 6);
        const [oilCode = ''] = await codeList(oilJob.id, 1);
        await ok(activate({ batchId: riceA, codes: [codes[5]] }));
        const was = await counts();
        const list = [codes[0], typo(codes[1] ?? ''), codes[2], foreignCode, codes[5], oilCode];
        const r = await activate({ batchId: riceA, codes: list });
        assert.equal(r.statusCode, 400, r.body);
        const body = json<{
          error: {
            code: string;
            details: Array<{ field: string; row: number; code: string; message: string }>;
          };
        }>(r);
        assert.equal(body.error.code, 'TRACE_CODE_INVALID', 'the first problem decides the code');
        assert.deepEqual(
          body.error.details.map((d) => [d.field, d.row, d.code]),
          [
            ['body.codes.1', 2, 'TRACE_CODE_INVALID'],
            ['body.codes.3', 4, 'TRACE_CODE_NOT_FOUND'],
            ['body.codes.4', 5, 'TRACE_CODE_ALREADY_ACTIVE'],
            ['body.codes.5', 6, 'TRACE_CODE_PRODUCT_MISMATCH'],
          ],
        );
        assert.match(body.error.details[2]?.message ?? '', new RegExp(codes[5] ?? 'x'));
        assert.deepEqual(await counts(), was, 'all or nothing');
        assert.equal((await info(codes[0] ?? '')).status, 'issued');
        // One bad code alone: its own message, one detail.
        const one = await activate({ batchId: riceA, codes: [codes[0], codes[5]] });
        assert.equal(one.statusCode, 409);
        const d = json<{ error: { message: string; details: unknown[] } }>(one).error;
        assert.equal(d.details.length, 1);
        assert.match(d.message, /already active/);
        // The good ones then go through.
        assert.deepEqual(await ok(activate({ batchId: riceA, codes: codes.slice(0, 3) })), {
          activated: 3,
          ranges: 1,
        });
      });

      test('the code of the next serial is unknown until a job issues it', async () => {
        const space = await newSpace(15);
        const job = await newJob({ spaceId: space.id, count: 3 });
        const row = await h.db.kysely
          .selectFrom('code_spaces')
          .selectAll()
          .where('id', '=', space.id)
          .executeTakeFirstOrThrow();
        const key = h.app.vault.open(
          { masterKeyId: row.master_key_id, sealed: row.wrapped_key },
          `code-space:${acme.enterpriseId}:${space.id}`,
        );
        const codec = new CodeSpaceCodec({
          layout: 15,
          prefix: space.prefix,
          cipher: createAesBlockCipher(key.subarray(0, 32)),
        });
        const next = codec.encode(3);
        await refused(acme.admin.call('GET', `/api/v1/codes/${next}`), 404, 'TRACE_CODE_NOT_FOUND');
        await refused(activate({ batchId: riceA, codes: [next] }), 404, 'TRACE_CODE_NOT_FOUND');
        await refused(
          activate({ batchId: riceA, jobId: job.id, from: 1, to: 4 }),
          400,
          'TRACE_CODE_RANGE_INVALID',
        );
        const second = await newJob({ spaceId: space.id, count: 1 });
        const found = await info(next);
        assert.equal(found.jobId, second.id);
        assert.equal(found.position, 1);
        assert.equal(found.status, 'issued');
      });

      test('a range outside the job is a 400 TRACE_CODE_RANGE_INVALID; unknown jobs and batches are 404s; nothing is written', async () => {
        const space = await newSpace(15);
        const job = await newJob({ spaceId: space.id, count: 10, productId: rice });
        const theirBatch = await ok<{ id: string }>(
          other.admin.call('POST', '/api/v1/batches', {
            productId: (
              await ok<{ id: string }>(other.admin.call('POST', '/api/v1/products', { name: '别家米' }), 201)
            ).id,
            lot: 'THEIRS',
            productionDate: '2026-03-01',
          }),
          201,
        );
        const theirSpace = await newSpace(15, other.admin);
        const theirJob = await newJob({ spaceId: theirSpace.id, count: 2 }, other.admin);
        const was = await counts();
        for (const [from, to] of [
          [1, 11],
          [11, 11],
          [7, 6],
        ])
          await refused(
            activate({ batchId: riceA, jobId: job.id, from, to }),
            400,
            'TRACE_CODE_RANGE_INVALID',
          );
        await refused(activate({ batchId: riceA, jobId: job.id, from: 2 }), 400, 'TRACE_CODE_RANGE_INVALID');
        await refused(activate({ batchId: riceA, from: 1, to: 2 }), 400, 'TRACE_CODE_RANGE_INVALID');
        assert.equal((await activate({ batchId: riceA, jobId: job.id, from: 0, to: 2 })).statusCode, 400);
        assert.equal((await activate({ batchId: riceA, codes: [] })).statusCode, 400);
        await refused(activate({ batchId: riceA, jobId: theirJob.id }), 404, 'TRACE_CODE_JOB_NOT_FOUND');
        await refused(activate({ batchId: theirBatch.id, jobId: job.id }), 404, 'TRACE_BATCH_NOT_FOUND');
        assert.deepEqual(await counts(), was);
        assert.equal((await jobOf(job.id)).activated, 0);
      });
    });

    describe('line-side packing', () => {
      /** Item, box and case codes of rice; items 1-8 for batch A, 9-10 for batch B, 11-12 inactive. */
      async function line3(): Promise<{ items: string[]; boxes: string[]; cases: string[] }> {
        const space = await newSpace(17);
        const itemJob = await newJob({ spaceId: space.id, count: 12, productId: rice });
        const boxJob = await newJob({ spaceId: space.id, count: 4, productId: rice, packingLevel: 'box' });
        const caseJob = await newJob({ spaceId: space.id, count: 2, productId: rice, packingLevel: 'case' });
        await ok(activate({ batchId: riceA, jobId: itemJob.id, from: 1, to: 8 }));
        await ok(activate({ batchId: riceB, jobId: itemJob.id, from: 9, to: 10 }));
        return {
          items: await codeList(itemJob.id, 12),
          boxes: await codeList(boxJob.id, 4),
          cases: await codeList(caseJob.id, 2),
        };
      }
      const item = (codes: string[], position: number): string => codes[position - 1] ?? '';

      test('items pack into a box and boxes into a case; an inactive parent takes the children’s batch; GET shows parent and children', async () => {
        const { items, boxes, cases } = await line3();
        const [box1 = '', box2 = ''] = boxes;
        const [case1 = ''] = cases;
        assert.equal((await info(box1)).status, 'issued');
        assert.deepEqual(await ok(line('pack', { parent: box1, children: items.slice(0, 4) })), {
          parent: box1,
          packed: 4,
        });
        assert.deepEqual(
          await ok(
            line('pack', { parent: spaced(box2), children: [spaced(item(items, 5)), item(items, 6)] }),
          ),
          {
            parent: box2,
            packed: 2,
          },
        );
        const b1 = await info(box1);
        assert.equal(b1.status, 'active');
        assert.equal(b1.batchId, riceA);
        assert.deepEqual(b1.children, items.slice(0, 4));
        assert.equal(b1.childCount, 4);
        assert.equal(b1.parent, null);
        assert.equal((await info(item(items, 2))).parent, box1);

        assert.deepEqual(await ok(line('pack', { parent: case1, children: [box1, box2] })), {
          parent: case1,
          packed: 2,
        });
        const c1 = await info(case1);
        assert.equal(c1.status, 'active');
        assert.equal(c1.batchId, riceA);
        assert.equal(c1.packingLevel, 'case');
        assert.deepEqual(c1.children, [box1, box2]);
        assert.equal((await info(box1)).parent, case1);
        assert.equal((await info(item(items, 1))).parent, box1, 'items stay in their box');
      });

      test('packing into a code of the same or a lower level is a 409 TRACE_CODE_PACKING_LEVEL, and a case cannot go into a box it contains', async () => {
        const { items, boxes, cases } = await line3();
        const [box1 = ''] = boxes;
        const [case1 = ''] = cases;
        await ok(line('pack', { parent: box1, children: [item(items, 1)] }));
        await ok(line('pack', { parent: case1, children: [box1] }));
        const was = await counts();
        await refused(
          line('pack', { parent: item(items, 2), children: [item(items, 3)] }),
          409,
          'TRACE_CODE_PACKING_LEVEL',
        );
        await refused(line('pack', { parent: box1, children: [boxes[1]] }), 409, 'TRACE_CODE_NOT_ACTIVE');
        const caseIntoBox = await line('pack', { parent: box1, children: [case1] });
        assert.equal(caseIntoBox.statusCode, 409, caseIntoBox.body);
        assert.ok(['TRACE_CODE_PACKING_LEVEL', 'TRACE_CODE_PACK_CYCLE'].includes(errorCode(caseIntoBox)));
        await refused(line('pack', { parent: box1, children: [box1] }), 409, 'TRACE_CODE_PACKING_LEVEL');
        assert.deepEqual(await counts(), was);
        assert.equal((await info(case1)).parent, null);
      });

      test('an inactive child cannot be packed (409 TRACE_CODE_NOT_ACTIVE) and nothing of the request is packed', async () => {
        const { items, boxes } = await line3();
        const was = await counts();
        await refused(
          line('pack', { parent: boxes[0], children: [item(items, 1), item(items, 11)] }),
          409,
          'TRACE_CODE_NOT_ACTIVE',
        );
        assert.deepEqual(await counts(), was);
        assert.equal((await info(item(items, 1))).parent, null);
        assert.equal((await info(boxes[0] ?? '')).status, 'issued');
      });

      test('children of two batches into an inactive box is a 409 TRACE_CODE_MIXED_BATCHES; children of one batch give it theirs', async () => {
        const { items, boxes } = await line3();
        const [box1 = '', box2 = ''] = boxes;
        const was = await counts();
        await refused(
          line('pack', { parent: box1, children: [item(items, 7), item(items, 9)] }),
          409,
          'TRACE_CODE_MIXED_BATCHES',
        );
        assert.deepEqual(await counts(), was);
        assert.equal((await info(box1)).status, 'issued');
        assert.equal((await info(item(items, 7))).parent, null);
        // Children of one batch go into the inactive box, which takes their batch.
        assert.deepEqual(
          await ok(line('pack', { parent: box2, children: [item(items, 9), item(items, 10)] })),
          {
            parent: box2,
            packed: 2,
          },
        );
        assert.equal((await info(box2)).batchId, riceB);
      });

      test('an inactive box of another product’s job is not activated for the children’s batch (409 TRACE_CODE_PRODUCT_MISMATCH)', async () => {
        const { items } = await line3();
        const space = await newSpace(17);
        const oilBoxes = await newJob({ spaceId: space.id, count: 1, productId: oil, packingLevel: 'box' });
        const [oilBox = ''] = await codeList(oilBoxes.id, 1);
        const was = await counts();
        await refused(
          line('pack', { parent: oilBox, children: [item(items, 1)] }),
          409,
          'TRACE_CODE_PRODUCT_MISMATCH',
        );
        assert.deepEqual(await counts(), was);
        assert.equal((await info(oilBox)).status, 'issued');
      });

      test('moving a child to another box re-parents it; unpacking takes out the listed children or all', async () => {
        const { items, boxes } = await line3();
        const [box1 = '', box2 = ''] = boxes;
        await ok(line('pack', { parent: box1, children: items.slice(0, 4) }));
        await ok(line('pack', { parent: box2, children: [item(items, 5), item(items, 6)] }));
        await ok(line('pack', { parent: box2, children: [item(items, 4)] }));
        assert.equal((await info(item(items, 4))).parent, box2);
        assert.deepEqual((await info(box1)).children, items.slice(0, 3));
        assert.deepEqual((await info(box2)).children, items.slice(3, 6));

        await refused(
          line('unpack', { parent: box1, children: [item(items, 5)] }),
          409,
          'TRACE_CODE_NOT_PACKED',
        );
        assert.deepEqual(await ok(line('unpack', { parent: box2, children: [item(items, 5)] })), {
          parent: box2,
          unpacked: 1,
        });
        assert.equal((await info(item(items, 5))).parent, null);
        assert.deepEqual((await info(box2)).children, [item(items, 4), item(items, 6)]);
        assert.deepEqual(await ok(line('unpack', { parent: box2 })), { parent: box2, unpacked: 2 });
        const b2 = await info(box2);
        assert.deepEqual(b2.children, []);
        assert.equal(b2.childCount, 0);
        assert.equal(b2.status, 'active', 'an emptied box stays active');
        assert.equal((await info(item(items, 4))).parent, null);
        assert.deepEqual((await info(box1)).children, items.slice(0, 3), 'the other box is untouched');
      });

      test('replacing a damaged item label: the new code is active for the same batch in the same box, the old one is voided', async () => {
        const { items, boxes } = await line3();
        const [box1 = ''] = boxes;
        await ok(line('pack', { parent: box1, children: items.slice(0, 3) }));
        const damaged = item(items, 2);
        const fresh = item(items, 12);
        assert.deepEqual(await ok(line('replace', { old: spaced(damaged), new: fresh })), {
          old: damaged,
          new: fresh,
        });
        const n = await info(fresh);
        assert.equal(n.status, 'active');
        assert.equal(n.batchId, riceA);
        assert.equal(n.parent, box1);
        const o = await info(damaged);
        assert.equal(o.status, 'voided');
        assert.equal(o.replacedBy, fresh);
        assert.equal(o.parent, null);
        assert.deepEqual((await info(box1)).children, [item(items, 1), item(items, 3), fresh]);
        // A voided code is out of use: no activation, packing or second replacement.
        await refused(activate({ batchId: riceA, codes: [damaged] }), 409, 'TRACE_CODE_VOIDED');
        await refused(line('pack', { parent: box1, children: [damaged] }), 409, 'TRACE_CODE_VOIDED');
        await refused(line('replace', { old: damaged, new: item(items, 11) }), 409, 'TRACE_CODE_VOIDED');
      });

      test('simultaneous packs into one inactive box activate it once and pack every child', async () => {
        const { items, boxes } = await line3();
        const [box1 = ''] = boxes;
        const was = await rows('code_activations');
        const results = await Promise.all([
          line('pack', { parent: box1, children: items.slice(0, 2) }),
          line('pack', { parent: box1, children: items.slice(2, 4) }),
          line('pack', { parent: box1, children: items.slice(4, 6) }),
        ]);
        assert.deepEqual(
          results.map((r) => r.statusCode),
          [200, 200, 200],
          results.map((r) => r.body).join('\n'),
        );
        assert.equal(await rows('code_activations'), was + 1, 'one activation of the box');
        const b = await info(box1);
        assert.equal(b.batchId, riceA);
        assert.deepEqual(b.children, items.slice(0, 6));
      });

      test('one label replaced twice at once, or two labels by one new code at once: one replacement wins, the other is a 409', async () => {
        const { items } = await line3();
        const was = await counts();
        const sameOld = await Promise.all([
          line('replace', { old: item(items, 1), new: item(items, 11) }),
          line('replace', { old: item(items, 1), new: item(items, 12) }),
        ]);
        assert.deepEqual(
          sameOld.map((r) => r.statusCode).sort(),
          [200, 409],
          sameOld.map((r) => r.body).join('\n'),
        );
        assert.equal(errorCode(sameOld.find((r) => r.statusCode === 409) ?? sameOld[0]), 'TRACE_CODE_VOIDED');
        const winner = json<{ new: string }>(sameOld.find((r) => r.statusCode === 200) ?? sameOld[0]).new;
        const loser = winner === item(items, 11) ? item(items, 12) : item(items, 11);
        assert.equal((await info(loser)).status, 'issued');
        assert.equal((await info(item(items, 1))).replacedBy, winner);

        const sameNew = await Promise.all([
          line('replace', { old: item(items, 2), new: loser }),
          line('replace', { old: item(items, 3), new: loser }),
        ]);
        assert.deepEqual(
          sameNew.map((r) => r.statusCode).sort(),
          [200, 409],
          sameNew.map((r) => r.body).join('\n'),
        );
        assert.equal(
          errorCode(sameNew.find((r) => r.statusCode === 409) ?? sameNew[0]),
          'TRACE_CODE_ALREADY_ACTIVE',
        );
        const statuses = [(await info(item(items, 2))).status, (await info(item(items, 3))).status].sort();
        assert.deepEqual(statuses, ['active', 'voided']);
        assert.deepEqual(await counts(), {
          ...was,
          activations: was.activations + 2,
          voids: was.voids + 2,
          audit: was.audit + 2,
        });
      });

      test('replacing a box label moves its contents to the new box code', async () => {
        const { items, boxes, cases } = await line3();
        const [box1 = '', , , box4 = ''] = boxes;
        await ok(line('pack', { parent: box1, children: items.slice(0, 2) }));
        await ok(line('pack', { parent: cases[0], children: [box1] }));
        await ok(line('replace', { old: box1, new: box4 }));
        const n = await info(box4);
        assert.deepEqual(n.children, items.slice(0, 2));
        assert.equal(n.parent, cases[0]);
        assert.equal((await info(item(items, 1))).parent, box4);
        assert.deepEqual((await info(cases[0] ?? '')).children, [box4]);
        assert.deepEqual((await info(box1)).children, []);
      });

      test('a replacement writes EPCIS events: the new code commissioned with the old one in its ILMD, containment moved', async () => {
        const { items, boxes, cases } = await line3();
        const [box1 = '', box2 = ''] = boxes;
        const [case1 = ''] = cases;
        await ok(line('pack', { parent: box1, children: items.slice(0, 2) }));
        await ok(line('pack', { parent: case1, children: [box1] }));
        const epc = (code: string) => `${publicUrl}/c/${code}`;
        await new Promise((resolve) => setTimeout(resolve, 5));
        const since = Date.now();
        await ok(line('replace', { old: box1, new: box2 }));
        const events = await h.db.kysely
          .selectFrom('epcis_events')
          .select(['type', 'action', 'biz_step', 'disposition', 'body'])
          .where('tenant_id', '=', acme.enterpriseId)
          .where('record_time', '>=', since)
          .execute();
        const bodies = events.map((e) => ({ ...e, body: JSON.parse(e.body) as Record<string, unknown> }));
        const commissioning = bodies.find((e) => e.type === 'ObjectEvent');
        assert.ok(commissioning !== undefined, JSON.stringify(bodies));
        assert.equal(commissioning.action, 'ADD');
        assert.equal(commissioning.biz_step, 'commissioning');
        assert.equal(commissioning.disposition, 'active');
        assert.deepEqual(commissioning.body['epcList'], [epc(box2)]);
        const ilmd = commissioning.body['ilmd'] as Record<string, unknown>;
        assert.equal(ilmd['tm:replaces'], epc(box1));
        assert.equal(ilmd['tm:replacesCode'], box1);
        assert.equal(commissioning.body['tm:batchId'], riceA);
        const aggregations = bodies
          .filter((e) => e.type === 'AggregationEvent')
          .map((e) => JSON.stringify([e.action, e.body['parentID'], e.body['childEPCs']]))
          .sort();
        const expected = [
          ['DELETE', epc(case1), [epc(box1)]],
          ['ADD', epc(case1), [epc(box2)]],
          ['DELETE', epc(box1), items.slice(0, 2).map(epc)],
          ['ADD', epc(box2), items.slice(0, 2).map(epc)],
        ];
        assert.deepEqual(aggregations, expected.map((a) => JSON.stringify(a)).sort());
        // Trace follows: the items are in the new box, the new box in the case; the old box is out.
        const parents = await h.db.kysely
          .selectFrom('trace_parent')
          .select(['child', 'parent'])
          .where('tenant_id', '=', acme.enterpriseId)
          .where('child', 'in', [epc(box1), epc(box2), ...items.slice(0, 2).map(epc)])
          .execute();
        const parentOf = new Map(parents.map((p) => [p.child, p.parent]));
        assert.equal(parentOf.get(epc(box2)), epc(case1));
        assert.equal(parentOf.get(epc(box1)) ?? null, null);
        for (const i of items.slice(0, 2)) assert.equal(parentOf.get(epc(i)), epc(box2));
        // A lone item label: one commissioning event, no aggregation.
        await new Promise((resolve) => setTimeout(resolve, 5));
        const lone = Date.now();
        await ok(line('replace', { old: item(items, 5), new: item(items, 11) }));
        const more = await h.db.kysely
          .selectFrom('epcis_events')
          .select(['type', 'biz_step'])
          .where('tenant_id', '=', acme.enterpriseId)
          .where('record_time', '>=', lone)
          .execute();
        assert.deepEqual(
          more.map((e) => [e.type, e.biz_step]),
          [['ObjectEvent', 'commissioning']],
        );
      });

      test('replacing with an active code, a code of another level or of another product is a 409 and changes nothing', async () => {
        const { items, boxes } = await line3();
        const space = await newSpace(17);
        const oilItems = await newJob({ spaceId: space.id, count: 1, productId: oil });
        const [oilItem = ''] = await codeList(oilItems.id, 1);
        const was = await counts();
        await refused(
          line('replace', { old: item(items, 1), new: item(items, 2) }),
          409,
          'TRACE_CODE_ALREADY_ACTIVE',
        );
        await refused(
          line('replace', { old: item(items, 1), new: boxes[0] }),
          409,
          'TRACE_CODE_PACKING_LEVEL',
        );
        await refused(
          line('replace', { old: item(items, 11), new: item(items, 12) }),
          409,
          'TRACE_CODE_NOT_ACTIVE',
        );
        await refused(
          line('replace', { old: item(items, 1), new: oilItem }),
          409,
          'TRACE_CODE_PRODUCT_MISMATCH',
        );
        await refused(
          line('replace', { old: item(items, 1), new: foreignCode }),
          404,
          'TRACE_CODE_NOT_FOUND',
        );
        assert.deepEqual(await counts(), was);
        assert.equal((await info(item(items, 1))).status, 'active');
        assert.equal((await info(oilItem)).status, 'issued');
      });
    });

    test('labels.pdf shows inline for a preview of a few labels, and downloads by default', async () => {
      const space = await newSpace(17);
      const job = await newJob({ spaceId: space.id, count: 10, productId: rice });
      const preview = await acme.admin.call(
        'GET',
        `/api/v1/code-jobs/${job.id}/labels.pdf?count=4&layout=sidebar&colour=blue&sheet=roll&width=30&height=45&disposition=inline`,
      );
      assert.equal(preview.statusCode, 200, preview.body);
      assert.match(String(preview.headers['content-disposition']), /^inline; filename="labels-.*-1-4\.pdf"$/);
      assert.equal(preview.rawPayload.subarray(0, 5).toString(), '%PDF-');
      const download = await acme.admin.call('GET', `/api/v1/code-jobs/${job.id}/labels.pdf?count=2`);
      assert.match(String(download.headers['content-disposition']), /^attachment;/);
      const bad = await acme.admin.call('GET', `/api/v1/code-jobs/${job.id}/labels.pdf?disposition=open`);
      assert.equal(bad.statusCode, 400);
    });

    test('the audit log records spaces, jobs, activations, packing and replacements', async () => {
      const space = await newSpace(17);
      const job = await newJob({ spaceId: space.id, count: 6, productId: rice });
      const boxJob = await newJob({ spaceId: space.id, count: 1, productId: rice, packingLevel: 'box' });
      const batch = await newBatch(rice, 'AUDITED');
      const codes = await codeList(job.id, 6);
      const [box = ''] = await codeList(boxJob.id, 1);
      await ok(activate({ batchId: batch.id, jobId: job.id, from: 1, to: 5 }));
      await ok(line('pack', { parent: box, children: codes.slice(0, 2) }));
      await ok(line('replace', { old: codes[0], new: codes[5] }));
      const page = await ok<AuditPage>(acme.admin.call('GET', '/api/v1/audit-log?pageSize=200'));
      const find = (action: string, targetId: string) => {
        const e = page.items.find((x) => x.action === action && x.targetId === targetId);
        assert.ok(e !== undefined, `no ${action} of ${targetId}`);
        return e;
      };
      assert.equal(find('code_space.created', space.id).details['length'], 17);
      assert.equal(find('code_space.created', space.id).details['prefix'], space.prefix);
      assert.equal(find('code_job.created', job.id).details['count'], 6);
      assert.equal(find('codes.activated', batch.id).details['codes'], 5);
      assert.deepEqual(find('codes.packed', box).details['children'], codes.slice(0, 2));
      assert.equal(find('codes.replaced', codes[0] ?? '').details['replacedBy'], codes[5]);
      // Keys never reach the log.
      const raw = await h.db.kysely.selectFrom('audit_log').select('details').execute();
      const wrapped = await h.db.kysely
        .selectFrom('code_spaces')
        .select('wrapped_key')
        .where('id', '=', space.id)
        .executeTakeFirstOrThrow();
      assert.ok(!raw.some((r) => r.details.includes(wrapped.wrapped_key)));
    });
  });
}
