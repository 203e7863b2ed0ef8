import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { addDays, todayInChina } from '@tracemark/core';
import { dialects } from '@tracemark/testing';
import {
  approvedEnterprise,
  Client,
  errorCode,
  files,
  harness,
  json,
  makeUscc,
  operatorClient,
  password,
  registerEnterprise,
  regulatorClient,
  storedFile,
  storedFiles,
  type Harness,
} from './support/harness.js';

interface EnterpriseBody {
  id: string;
  name: string;
  uscc: string;
  legalRepresentative: string;
  address: string;
  regionCode: string;
  regionPath: string[];
  contactName: string;
  contactPhone: string;
  status: string;
  reviewReason: string | null;
  submittedAt: number | null;
  reviewedAt: number | null;
}

interface DocumentBody {
  id: string;
  enterpriseId: string;
  kind: string;
  number: string;
  expiresOn: string | null;
  status: string;
  file: { id: string; mediaType: string; size: number; name: string; sha256: string };
}

interface ExpiringBody extends DocumentBody {
  enterprise: { id: string; name: string; status: string };
  daysLeft: number;
}

interface ErrorBody {
  error: { code: string; details?: Array<{ field: string }> };
}

const sha256 = (data: Buffer): string => createHash('sha256').update(data).digest('hex');

/** A registration body; `enterprise` and `admin` fields override the defaults. */
function registration(
  username: string,
  enterprise: Record<string, unknown> = {},
  admin: Record<string, unknown> = {},
) {
  return {
    enterprise: {
      name: `企业 ${username}`,
      uscc: makeUscc('310115', 'MA1REG00'),
      legalRepresentative: '张三',
      address: '上海市浦东新区某路 1 号',
      regionCode: '310115',
      contactName: '李四',
      contactPhone: '13800000000',
      ...enterprise,
    },
    admin: { username, displayName: username, password, ...admin },
  };
}

/** Row counts of the tables a registration or an upload writes. */
async function rowCounts(h: Harness) {
  const k = h.db.kysely;
  const n = (r: { n: number | string | bigint }) => Number(r.n);
  return {
    enterprises: n(
      await k
        .selectFrom('enterprises')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .executeTakeFirstOrThrow(),
    ),
    users: n(
      await k
        .selectFrom('users')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .executeTakeFirstOrThrow(),
    ),
    sessions: n(
      await k
        .selectFrom('sessions')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .executeTakeFirstOrThrow(),
    ),
    audit: n(
      await k
        .selectFrom('audit_log')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .executeTakeFirstOrThrow(),
    ),
    documents: n(
      await k
        .selectFrom('enterprise_documents')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .executeTakeFirstOrThrow(),
    ),
    files: n(
      await k
        .selectFrom('files')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .executeTakeFirstOrThrow(),
    ),
  };
}

/** Uploads a qualification document as the enterprise's administrator. */
function uploadDocument(
  admin: Client,
  enterpriseId: string,
  fields: Record<string, string>,
  file: { name: string; type: string; data: Buffer } | null = {
    name: 'doc.pdf',
    type: 'application/pdf',
    data: files.pdf,
  },
) {
  return admin.upload(
    'POST',
    `/api/v1/enterprises/${enterpriseId}/documents`,
    { kind: 'business_licence', number: 'N-1', ...fields },
    file ?? undefined,
  );
}

for (const dialect of dialects) {
  describe(`enterprise onboarding on ${dialect}`, () => {
    let h: Harness;
    let operator: Client;
    before(async () => {
      h = await harness(dialect, { UPLOAD_MAX_MB: '1' });
      operator = await operatorClient(h);
    });
    after(() => h.close());

    describe('registration', () => {
      test('a credit code with a wrong check character is a 400 and writes no enterprise, user or session', async () => {
        const good = makeUscc('310115', 'MA1BAD00');
        const bad = `${good.slice(0, 17)}${good.endsWith('0') ? '1' : '0'}`;
        const before = await rowCounts(h);
        const res = await new Client(h.app).call(
          'POST',
          '/api/v1/registrations',
          registration('badcheck', { uscc: bad }),
        );
        assert.equal(res.statusCode, 400);
        assert.equal(errorCode(res), 'TRACE_ENTERPRISE_USCC_INVALID');
        assert.equal(
          res.cookies.find((c) => c.name === 'tm_session'),
          undefined,
        );
        assert.deepEqual(await rowCounts(h), before);
        assert.equal(
          await h.db.kysely.selectFrom('enterprises').select('id').where('uscc', '=', bad).executeTakeFirst(),
          undefined,
        );
        assert.equal(
          await h.db.kysely
            .selectFrom('users')
            .select('id')
            .where('username', '=', 'badcheck')
            .executeTakeFirst(),
          undefined,
        );
      });

      test('a region code that is not a GB/T 2260 division is a 400 and writes nothing', async () => {
        const before = await rowCounts(h);
        const res = await new Client(h.app).call(
          'POST',
          '/api/v1/registrations',
          registration('badregion', { uscc: makeUscc('310115', 'MA1RGN00'), regionCode: '999999' }),
        );
        assert.equal(res.statusCode, 400);
        assert.equal(errorCode(res), 'TRACE_ENTERPRISE_REGION_INVALID');
        assert.deepEqual(await rowCounts(h), before);
      });

      test('a weak administrator password is a 400 and writes nothing', async () => {
        const before = await rowCounts(h);
        const res = await new Client(h.app).call(
          'POST',
          '/api/v1/registrations',
          registration('weakpw', { uscc: makeUscc('310115', 'MA1WEAK0') }, { password: 'short1' }),
        );
        assert.equal(res.statusCode, 400);
        assert.equal(errorCode(res), 'TRACE_AUTH_WEAK_PASSWORD');
        assert.deepEqual(await rowCounts(h), before);
      });

      test('a new enterprise starts as a draft with its administrator logged in; its credit code cannot register twice', async () => {
        const uscc = makeUscc('310115', 'MA1DUP00');
        const admin = new Client(h.app);
        const res = await admin.call('POST', '/api/v1/registrations', registration('dupfirst', { uscc }));
        assert.equal(res.statusCode, 201, res.body);
        const body = json<{
          enterprise: EnterpriseBody;
          user: { username: string; role: string };
          csrfToken: string;
        }>(res);
        assert.equal(body.enterprise.status, 'draft');
        assert.equal(body.enterprise.uscc, uscc);
        assert.deepEqual(body.enterprise.regionPath, ['上海市', '浦东新区']);
        assert.equal(body.user.role, 'enterprise_admin');
        assert.ok(admin.cookie !== '' && admin.csrf !== '');

        const me = await admin.call('GET', '/api/v1/auth/me');
        assert.equal(me.statusCode, 200);
        assert.equal(
          json<{ enterprise: { id: string; status: string } }>(me).enterprise.id,
          body.enterprise.id,
        );
        // The session is good for changes too (the CSRF token came with the registration).
        const edit = await admin.call('PATCH', `/api/v1/enterprises/${body.enterprise.id}`, {
          contactName: '王五',
        });
        assert.equal(edit.statusCode, 200, edit.body);

        const before = await rowCounts(h);
        const again = await new Client(h.app).call(
          'POST',
          '/api/v1/registrations',
          registration('dupsecond', { uscc: uscc.toLowerCase() }),
        );
        assert.equal(again.statusCode, 409);
        assert.equal(errorCode(again), 'TRACE_ENTERPRISE_USCC_TAKEN');
        assert.deepEqual(await rowCounts(h), before);

        const sameUser = await new Client(h.app).call(
          'POST',
          '/api/v1/registrations',
          registration('dupfirst', { uscc: makeUscc('310115', 'MA1DUP01') }),
        );
        assert.equal(sameUser.statusCode, 409);
        assert.equal(errorCode(sameUser), 'TRACE_USER_USERNAME_TAKEN');
        assert.deepEqual(await rowCounts(h), before);
      });

      test('simultaneous registrations of one credit code: one succeeds, the others get 409, never 500', async () => {
        const uscc = makeUscc('310115', 'MA1RACE0');
        // Each from its own address, so the registration rate limit stays out of the way.
        const results = await Promise.all(
          ['racea', 'raceb', 'racec'].map((u, i) =>
            h.app.inject({
              method: 'POST',
              url: '/api/v1/registrations',
              payload: registration(u, { uscc }),
              remoteAddress: `10.0.0.${i + 1}`,
            }),
          ),
        );
        assert.deepEqual(
          results.map((r) => r.statusCode).sort(),
          [201, 409, 409],
          results.map((r) => r.body).join('\n'),
        );
        assert.ok(
          results
            .filter((r) => r.statusCode === 409)
            .every((r) => errorCode(r) === 'TRACE_ENTERPRISE_USCC_TAKEN'),
        );
        const rows = await h.db.kysely
          .selectFrom('enterprises')
          .select('id')
          .where('uscc', '=', uscc)
          .execute();
        assert.equal(rows.length, 1);
      });
    });

    describe('qualification documents', () => {
      let admin: Client;
      let enterpriseId: string;
      const docsUrl = () => `/api/v1/enterprises/${enterpriseId}/documents`;
      before(async () => {
        ({ admin, enterpriseId } = await registerEnterprise(h, { username: 'docs', orgBody: 'MA1DCC00' }));
      });

      test('submitting without a business licence is a 409 TRACE_ENTERPRISE_DOCUMENTS_MISSING', async () => {
        const res = await admin.call('POST', `/api/v1/enterprises/${enterpriseId}/submit`);
        assert.equal(res.statusCode, 409);
        assert.equal(errorCode(res), 'TRACE_ENTERPRISE_DOCUMENTS_MISSING');
        const e = json<EnterpriseBody>(await admin.call('GET', `/api/v1/enterprises/${enterpriseId}`));
        assert.equal(e.status, 'draft');
      });

      test('PDF, JPEG and PNG documents are stored under DATA_DIR with their sha256, typed by content', async () => {
        const cases = [
          {
            kind: 'business_licence',
            file: { name: '营业执照.pdf', type: 'application/pdf', data: files.pdf },
            mediaType: 'application/pdf',
          },
          {
            kind: 'trademark',
            file: { name: 'tm.jpg', type: 'image/jpeg', data: files.jpeg },
            mediaType: 'image/jpeg',
          },
          // The declared type and name say PDF; the bytes say PNG, and the bytes win.
          {
            kind: 'production_licence',
            file: { name: 'licence.pdf', type: 'application/pdf', data: files.png },
            mediaType: 'image/png',
          },
        ];
        for (const c of cases) {
          const res = await uploadDocument(
            admin,
            enterpriseId,
            { kind: c.kind, number: `NO-${c.kind}`, expiresOn: '2040-06-30', title: `T ${c.kind}` },
            c.file,
          );
          assert.equal(res.statusCode, 201, res.body);
          const doc = json<DocumentBody>(res);
          assert.equal(doc.kind, c.kind);
          assert.equal(doc.status, 'pending');
          assert.equal(doc.expiresOn, '2040-06-30');
          assert.equal(doc.file.mediaType, c.mediaType);
          assert.equal(doc.file.size, c.file.data.length);
          assert.equal(doc.file.name, c.file.name);
          assert.equal(doc.file.sha256, sha256(c.file.data));
          assert.deepEqual(storedFile(h, enterpriseId, doc.file.id), c.file.data);
        }
        const list = json<{ items: DocumentBody[] }>(await admin.call('GET', docsUrl()));
        assert.deepEqual(list.items.map((d) => d.kind).sort(), [
          'business_licence',
          'production_licence',
          'trademark',
        ]);
      });

      test('an EXE renamed .pdf is a 415 TRACE_FILE_TYPE and leaves no file and no row', async () => {
        const disk = storedFiles(h);
        const rows = await rowCounts(h);
        const res = await uploadDocument(
          admin,
          enterpriseId,
          { kind: 'other' },
          { name: 'invoice.pdf', type: 'application/pdf', data: files.exe },
        );
        assert.equal(res.statusCode, 415);
        assert.equal(errorCode(res), 'TRACE_FILE_TYPE');
        assert.deepEqual(storedFiles(h), disk);
        assert.deepEqual(await rowCounts(h), rows);
      });

      test('a file over UPLOAD_MAX_MB is a 413 TRACE_FILE_TOO_LARGE and leaves nothing behind', async () => {
        const disk = storedFiles(h);
        const rows = await rowCounts(h);
        const big = Buffer.concat([Buffer.from('%PDF-1.4\n'), Buffer.alloc(1.5 * 1024 * 1024, 0x20)]);
        const res = await uploadDocument(
          admin,
          enterpriseId,
          { kind: 'other' },
          { name: 'big.pdf', type: 'application/pdf', data: big },
        );
        assert.equal(res.statusCode, 413);
        assert.equal(errorCode(res), 'TRACE_FILE_TOO_LARGE');
        assert.deepEqual(storedFiles(h), disk);
        assert.deepEqual(await rowCounts(h), rows);
      });

      test('an upload without a file part is a 400 TRACE_FILE_MISSING', async () => {
        const rows = await rowCounts(h);
        const res = await uploadDocument(admin, enterpriseId, { kind: 'other' }, null);
        assert.equal(res.statusCode, 400);
        assert.equal(errorCode(res), 'TRACE_FILE_MISSING');
        assert.deepEqual(await rowCounts(h), rows);
      });

      test('a JSON body instead of multipart is a 415', async () => {
        const res = await admin.call('POST', docsUrl(), { kind: 'other', number: 'x' });
        assert.equal(res.statusCode, 415);
        assert.equal(errorCode(res), 'TRACE_HTTP_UNSUPPORTED_MEDIA_TYPE');
      });

      test('an expiry that is not a real date is a 400 and leaves nothing behind', async () => {
        const disk = storedFiles(h);
        const rows = await rowCounts(h);
        const impossible = await uploadDocument(admin, enterpriseId, {
          kind: 'other',
          expiresOn: '2026-02-30',
        });
        assert.equal(impossible.statusCode, 400);
        assert.equal(errorCode(impossible), 'TRACE_DOCUMENT_DATE_INVALID');
        const malformed = await uploadDocument(admin, enterpriseId, {
          kind: 'other',
          expiresOn: '30/06/2040',
        });
        assert.equal(malformed.statusCode, 400);
        const body = json<ErrorBody>(malformed);
        assert.equal(body.error.code, 'TRACE_HTTP_VALIDATION');
        assert.ok(
          body.error.details?.some((d) => d.field === 'body.expiresOn'),
          JSON.stringify(body),
        );
        assert.deepEqual(storedFiles(h), disk);
        assert.deepEqual(await rowCounts(h), rows);
      });

      test('an unknown document kind or a missing number is a 400 naming the field, and leaves nothing', async () => {
        const disk = storedFiles(h);
        const res = await admin.upload(
          'POST',
          docsUrl(),
          { kind: 'passport' },
          { name: 'a.pdf', type: 'application/pdf', data: files.pdf },
        );
        assert.equal(res.statusCode, 400);
        const fields = (json<ErrorBody>(res).error.details ?? []).map((d) => d.field);
        assert.ok(fields.includes('body.kind'), fields.join());
        assert.ok(fields.includes('body.number'), fields.join());
        assert.deepEqual(storedFiles(h), disk);
      });

      test('another enterprise cannot upload to, list or download these documents', async () => {
        const other = await registerEnterprise(h, { username: 'docsother', orgBody: 'MA1DTH00' });
        const up = await uploadDocument(other.admin, enterpriseId, {});
        assert.equal(up.statusCode, 404);
        assert.equal(errorCode(up), 'TRACE_ENTERPRISE_NOT_FOUND');
        assert.equal((await other.admin.call('GET', docsUrl())).statusCode, 404);
        const mine = json<{ items: DocumentBody[] }>(await admin.call('GET', docsUrl())).items[0]!;
        assert.equal((await other.admin.call('GET', `${docsUrl()}/${mine.id}/file`)).statusCode, 404);
        assert.equal((await other.admin.call('GET', `/api/v1/files/${mine.file.id}`)).statusCode, 404);
      });

      test('a pending document can be deleted, and its file goes from disk', async () => {
        const res = await uploadDocument(admin, enterpriseId, { kind: 'other', number: 'DEL-1' });
        const doc = json<DocumentBody>(res);
        assert.ok(storedFile(h, enterpriseId, doc.file.id) !== undefined);
        const del = await admin.call('DELETE', `${docsUrl()}/${doc.id}`);
        assert.equal(del.statusCode, 204);
        assert.equal(storedFile(h, enterpriseId, doc.file.id), undefined);
        const list = json<{ items: DocumentBody[] }>(await admin.call('GET', docsUrl()));
        assert.ok(!list.items.some((d) => d.id === doc.id));
        assert.equal(
          await h.db.kysely.selectFrom('files').select('id').where('id', '=', doc.file.id).executeTakeFirst(),
          undefined,
        );
        assert.equal((await admin.call('DELETE', `${docsUrl()}/${doc.id}`)).statusCode, 404);
      });
    });

    describe('review', () => {
      test('draft → pending → rejected with a reason → edited and resubmitted → approved, verifying the documents', async () => {
        const { admin, enterpriseId, uscc } = await registerEnterprise(h, {
          username: 'review',
          orgBody: 'MA1REW00',
          name: '审核企业',
        });
        const url = `/api/v1/enterprises/${enterpriseId}`;
        const licence = json<DocumentBody>(
          await uploadDocument(admin, enterpriseId, { number: uscc, expiresOn: '2040-01-01' }),
        );

        const submitted = await admin.call('POST', `${url}/submit`);
        assert.equal(submitted.statusCode, 200, submitted.body);
        assert.equal(json<EnterpriseBody>(submitted).status, 'pending_review');
        assert.equal(typeof json<EnterpriseBody>(submitted).submittedAt, 'number');
        assert.equal(errorCode(await admin.call('POST', `${url}/submit`)), 'TRACE_ENTERPRISE_STATE');

        const pending = json<{ items: EnterpriseBody[]; total: number }>(
          await operator.call('GET', '/api/v1/enterprises?status=pending_review'),
        );
        assert.ok(pending.items.some((e) => e.id === enterpriseId));
        assert.ok(pending.items.every((e) => e.status === 'pending_review'));
        const drafts = json<{ items: EnterpriseBody[] }>(
          await operator.call('GET', '/api/v1/enterprises?status=draft&pageSize=200'),
        );
        assert.ok(!drafts.items.some((e) => e.id === enterpriseId));

        const docs = json<{ items: DocumentBody[] }>(await operator.call('GET', `${url}/documents`));
        assert.deepEqual(
          docs.items.map((d) => d.id),
          [licence.id],
        );
        const download = await operator.call('GET', `${url}/documents/${licence.id}/file`);
        assert.equal(download.statusCode, 200);
        assert.equal(download.headers['content-type'], 'application/pdf');
        assert.deepEqual(download.rawPayload, files.pdf);

        const noReason = await operator.call('POST', `${url}/reject`, {});
        assert.equal(noReason.statusCode, 400);
        const rejected = await operator.call('POST', `${url}/reject`, { reason: '营业执照复印件未加盖公章' });
        assert.equal(rejected.statusCode, 200, rejected.body);
        assert.equal(json<EnterpriseBody>(rejected).status, 'rejected');
        const seen = json<EnterpriseBody>(await admin.call('GET', url));
        assert.equal(seen.status, 'rejected');
        assert.equal(seen.reviewReason, '营业执照复印件未加盖公章');
        assert.equal(errorCode(await operator.call('POST', `${url}/approve`)), 'TRACE_ENTERPRISE_STATE');

        // Before approval the reviewed identity may still change, but not to a code another enterprise has.
        const taken = await admin.call('PATCH', url, { uscc: makeUscc('310115', 'MA1DUP00') });
        assert.equal(taken.statusCode, 409);
        assert.equal(errorCode(taken), 'TRACE_ENTERPRISE_USCC_TAKEN');
        const invalid = await admin.call('PATCH', url, {
          uscc: `${uscc.slice(0, 17)}${uscc.endsWith('0') ? '1' : '0'}`,
        });
        assert.equal(invalid.statusCode, 400);
        assert.equal(errorCode(invalid), 'TRACE_ENTERPRISE_USCC_INVALID');
        const edited = await admin.call('PATCH', url, {
          name: '审核企业（更正）',
          legalRepresentative: '赵六',
        });
        assert.equal(edited.statusCode, 200, edited.body);
        assert.equal(json<EnterpriseBody>(edited).name, '审核企业（更正）');
        assert.equal((await admin.call('POST', `${url}/submit`)).statusCode, 200);

        const approved = await operator.call('POST', `${url}/approve`);
        assert.equal(approved.statusCode, 200, approved.body);
        const a = json<EnterpriseBody>(approved);
        assert.equal(a.status, 'approved');
        assert.equal(a.reviewReason, null);
        assert.equal(typeof a.reviewedAt, 'number');
        const after = json<{ items: DocumentBody[] }>(await admin.call('GET', `${url}/documents`));
        assert.deepEqual(
          after.items.map((d) => d.status),
          ['verified'],
        );
        assert.equal(
          json<{ enterprise: { status: string } }>(await admin.call('GET', '/api/v1/auth/me')).enterprise
            .status,
          'approved',
        );
      });

      test('a second approval is a 409 TRACE_ENTERPRISE_STATE', async () => {
        const { enterpriseId } = await approvedEnterprise(h, operator, {
          username: 'twice',
          orgBody: 'MA1TWCE0',
        });
        const res = await operator.call('POST', `/api/v1/enterprises/${enterpriseId}/approve`);
        assert.equal(res.statusCode, 409);
        assert.equal(errorCode(res), 'TRACE_ENTERPRISE_STATE');
      });

      test('an enterprise user cannot approve, reject or suspend, not even its own application', async () => {
        const { admin, enterpriseId } = await registerEnterprise(h, {
          username: 'selfapprove',
          orgBody: 'MA1ELF00',
        });
        await uploadDocument(admin, enterpriseId, {});
        assert.equal(
          (await admin.call('POST', `/api/v1/enterprises/${enterpriseId}/submit`)).statusCode,
          200,
        );
        for (const [action, body] of [
          ['approve', undefined],
          ['reject', { reason: 'no good' }],
          ['suspend', { reason: 'no good' }],
        ] as const) {
          const res = await admin.call('POST', `/api/v1/enterprises/${enterpriseId}/${action}`, body);
          assert.equal(res.statusCode, 403, action);
          assert.equal(errorCode(res), 'TRACE_AUTH_FORBIDDEN');
        }
        assert.equal(
          json<EnterpriseBody>(await admin.call('GET', `/api/v1/enterprises/${enterpriseId}`)).status,
          'pending_review',
        );
      });
    });

    describe('an approved enterprise', () => {
      let admin: Client;
      let enterpriseId: string;
      let url: string;
      before(async () => {
        ({ admin, enterpriseId } = await approvedEnterprise(h, operator, {
          username: 'approved',
          orgBody: 'MA1APPR0',
          name: '已批准企业',
        }));
        url = `/api/v1/enterprises/${enterpriseId}`;
      });

      test('cannot change its name, credit code or legal representative (409 TRACE_ENTERPRISE_FIELD_LOCKED)', async () => {
        for (const patch of [
          { name: '改名企业' },
          { uscc: makeUscc('310115', 'MA1NEW00') },
          { legalRepresentative: '钱七' },
          { address: '新地址 2 号', name: '改名企业' },
        ]) {
          const res = await admin.call('PATCH', url, patch);
          assert.equal(res.statusCode, 409, JSON.stringify(patch));
          assert.equal(errorCode(res), 'TRACE_ENTERPRISE_FIELD_LOCKED');
        }
        const e = json<EnterpriseBody>(await admin.call('GET', url));
        assert.equal(e.name, '已批准企业');
        assert.equal(e.legalRepresentative, '张三');
        assert.equal(e.address, '上海市浦东新区某路 1 号');
      });

      test('can change its contact details and address', async () => {
        const res = await admin.call('PATCH', url, {
          contactName: '孙八',
          contactPhone: '021-12345678',
          contactEmail: 'qa@example.cn',
          address: '上海市浦东新区新路 9 号',
        });
        assert.equal(res.statusCode, 200, res.body);
        const e = json<EnterpriseBody & { contactEmail: string }>(res);
        assert.equal(e.contactName, '孙八');
        assert.equal(e.contactPhone, '021-12345678');
        assert.equal(e.contactEmail, 'qa@example.cn');
        assert.equal(e.address, '上海市浦东新区新路 9 号');
        assert.equal(e.status, 'approved');
      });

      test('a verified document cannot be deleted (TRACE_DOCUMENT_LOCKED), a renewal still pending can', async () => {
        const verified = json<{ items: DocumentBody[] }>(await admin.call('GET', `${url}/documents`))
          .items[0]!;
        assert.equal(verified.status, 'verified');
        const locked = await admin.call('DELETE', `${url}/documents/${verified.id}`);
        assert.equal(locked.statusCode, 409);
        assert.equal(errorCode(locked), 'TRACE_DOCUMENT_LOCKED');
        assert.ok(storedFile(h, enterpriseId, verified.file.id) !== undefined);

        const renewal = json<DocumentBody>(
          await uploadDocument(admin, enterpriseId, { number: 'RENEW-1', expiresOn: '2045-01-01' }),
        );
        assert.equal(renewal.status, 'pending');
        assert.equal((await admin.call('DELETE', `${url}/documents/${renewal.id}`)).statusCode, 204);
        assert.equal(storedFile(h, enterpriseId, renewal.file.id), undefined);
        assert.ok(storedFile(h, enterpriseId, verified.file.id) !== undefined);
      });

      test('is suspended with a reason and reinstated by the operator, each only from the right state', async () => {
        assert.equal(errorCode(await operator.call('POST', `${url}/reinstate`)), 'TRACE_ENTERPRISE_STATE');
        const suspended = await operator.call('POST', `${url}/suspend`, { reason: '资质过期' });
        assert.equal(suspended.statusCode, 200, suspended.body);
        assert.equal(json<EnterpriseBody>(suspended).status, 'suspended');
        assert.equal(json<EnterpriseBody>(await admin.call('GET', url)).reviewReason, '资质过期');
        const blocked = await admin.call('PATCH', url, { contactName: '王五' });
        assert.equal(blocked.statusCode, 403);
        assert.equal(errorCode(blocked), 'TRACE_ENTERPRISE_SUSPENDED');
        assert.notEqual(
          json<EnterpriseBody & { contactName: string }>(await admin.call('GET', url)).contactName,
          '王五',
        );
        const again = await operator.call('POST', `${url}/suspend`, { reason: '资质过期' });
        assert.equal(again.statusCode, 409);
        assert.equal(errorCode(again), 'TRACE_ENTERPRISE_STATE');
        const reinstated = await operator.call('POST', `${url}/reinstate`);
        assert.equal(reinstated.statusCode, 200, reinstated.body);
        assert.equal(json<EnterpriseBody>(reinstated).status, 'approved');
        assert.equal(json<EnterpriseBody>(reinstated).reviewReason, null);
      });

      test('a draft cannot be suspended', async () => {
        const { enterpriseId: draftId } = await registerEnterprise(h, {
          username: 'draftsusp',
          orgBody: 'MA1DRFT0',
        });
        const res = await operator.call('POST', `/api/v1/enterprises/${draftId}/suspend`, { reason: 'test' });
        assert.equal(res.statusCode, 409);
        assert.equal(errorCode(res), 'TRACE_ENTERPRISE_STATE');
      });
    });

    describe('documents close to expiry', () => {
      const today = todayInChina();
      let a: { admin: Client; enterpriseId: string };
      let b: { admin: Client; enterpriseId: string };
      const ids: Record<string, string> = {};
      before(async () => {
        a = await registerEnterprise(h, { username: 'expirya', orgBody: 'MA1EXPA0' });
        b = await registerEnterprise(h, { username: 'expiryb', orgBody: 'MA1EXPB0' });
        const docs: Array<[string, { admin: Client; enterpriseId: string }, string, string]> = [
          ['soon', a, 'trademark', addDays(today, 10)],
          ['far', a, 'production_licence', '2040-12-31'],
          ['lapsed', a, 'quality_inspection', addDays(today, -5)],
          ['otherSoon', b, 'business_licence', addDays(today, 20)],
        ];
        for (const [key, e, kind, expiresOn] of docs) {
          const res = await uploadDocument(e.admin, e.enterpriseId, {
            kind,
            number: `EXP-${key}`,
            expiresOn,
          });
          assert.equal(res.statusCode, 201, res.body);
          ids[key] = json<DocumentBody>(res).id;
        }
      });

      test('an enterprise sees its own lapsing and lapsed documents, soonest first, with days left', async () => {
        const res = await a.admin.call('GET', '/api/v1/documents/expiring?withinDays=30');
        assert.equal(res.statusCode, 200, res.body);
        const items = json<{ items: ExpiringBody[] }>(res).items;
        assert.deepEqual(
          items.map((d) => d.id),
          [ids['lapsed'], ids['soon']],
        );
        const [lapsed, soon] = items;
        assert.ok(Math.abs(soon!.daysLeft - 10) <= 1, String(soon!.daysLeft));
        assert.ok(lapsed!.daysLeft < 0 && Math.abs(lapsed!.daysLeft + 5) <= 1, String(lapsed!.daysLeft));
        assert.equal(soon!.enterprise.id, a.enterpriseId);
        assert.equal(soon!.enterprise.status, 'draft');
        assert.ok(!items.some((d) => d.id === ids['far'] || d.id === ids['otherSoon']));
      });

      test('the window narrows with withinDays, and lapsed documents always show', async () => {
        const items = json<{ items: ExpiringBody[] }>(
          await a.admin.call('GET', '/api/v1/documents/expiring?withinDays=5'),
        ).items;
        assert.deepEqual(
          items.map((d) => d.id),
          [ids['lapsed']],
        );
        const bad = await a.admin.call('GET', '/api/v1/documents/expiring?withinDays=1000');
        assert.equal(bad.statusCode, 400);
      });

      test('the operator sees every enterprise’s expiring documents', async () => {
        const items = json<{ items: ExpiringBody[] }>(
          await operator.call('GET', '/api/v1/documents/expiring?withinDays=30'),
        ).items;
        const mine = items
          .filter((d) => d.enterprise.id === a.enterpriseId || d.enterprise.id === b.enterpriseId)
          .map((d) => d.id);
        assert.deepEqual(mine, [ids['lapsed'], ids['soon'], ids['otherSoon']]);
        assert.ok(!items.some((d) => d.id === ids['far']));
        assert.ok(items.every((d) => d.expiresOn !== null && d.expiresOn <= addDays(today, 30)));
      });

      test('another enterprise sees only its own', async () => {
        const items = json<{ items: ExpiringBody[] }>(
          await b.admin.call('GET', '/api/v1/documents/expiring'),
        ).items;
        assert.deepEqual(
          items.map((d) => d.id),
          [ids['otherSoon']],
        );
      });

      test('a regulator sees the expiring documents of its jurisdiction only', async () => {
        const shanghai = await regulatorClient(h, '310000', 'reg-expiry-sh');
        const seen = json<{ items: ExpiringBody[] }>(
          await shanghai.call('GET', '/api/v1/documents/expiring'),
        ).items;
        for (const key of ['lapsed', 'soon', 'otherSoon'])
          assert.ok(
            seen.some((d) => d.id === ids[key]),
            key,
          );
        const guangdong = await regulatorClient(h, '440000', 'reg-expiry-gd');
        const none = json<{ items: ExpiringBody[] }>(
          await guangdong.call('GET', '/api/v1/documents/expiring'),
        ).items;
        assert.ok(!none.some((d) => Object.values(ids).includes(d.id)));
      });
    });

    describe('regulators', () => {
      let shanghai: string;
      let jiangsu: string;
      let regulator: Client;
      before(async () => {
        shanghai = (
          await registerEnterprise(h, { username: 'shanghai', orgBody: 'MA1HAN00', region: '310115' })
        ).enterpriseId;
        jiangsu = (
          await registerEnterprise(h, { username: 'jiangsu', orgBody: 'MA1JAN00', region: '320105' })
        ).enterpriseId;
        regulator = await regulatorClient(h, '310000');
      });

      test('a regulator lists only the enterprises of its jurisdiction', async () => {
        const res = await regulator.call('GET', '/api/v1/enterprises?pageSize=200');
        assert.equal(res.statusCode, 200, res.body);
        const page = json<{ items: EnterpriseBody[]; total: number }>(res);
        assert.ok(page.items.some((e) => e.id === shanghai));
        assert.ok(!page.items.some((e) => e.id === jiangsu));
        assert.ok(page.items.every((e) => e.regionCode.startsWith('31')));
        assert.equal(page.total, page.items.length);
        const all = json<{ total: number }>(await operator.call('GET', '/api/v1/enterprises?pageSize=200'));
        assert.equal(all.total, page.total + 1);
      });

      test('a regulator reads an enterprise in its jurisdiction but gets 404 for one outside, and cannot review', async () => {
        assert.equal((await regulator.call('GET', `/api/v1/enterprises/${shanghai}`)).statusCode, 200);
        const outside = await regulator.call('GET', `/api/v1/enterprises/${jiangsu}`);
        assert.equal(outside.statusCode, 404);
        assert.equal(errorCode(outside), 'TRACE_ENTERPRISE_NOT_FOUND');
        assert.equal(
          (await regulator.call('POST', `/api/v1/enterprises/${shanghai}/approve`)).statusCode,
          403,
        );
      });

      test('a regulator of another province sees none of Shanghai', async () => {
        const other = await regulatorClient(h, '320000');
        const page = json<{ items: EnterpriseBody[] }>(
          await other.call('GET', '/api/v1/enterprises?pageSize=200'),
        );
        assert.deepEqual(
          page.items.map((e) => e.id),
          [jiangsu],
        );
      });

      test('the operator finds an enterprise by name or credit code', async () => {
        const uscc = makeUscc('320105', 'MA1JAN00');
        const byCode = json<{ items: EnterpriseBody[] }>(
          await operator.call('GET', `/api/v1/enterprises?q=${uscc.toLowerCase()}`),
        );
        assert.deepEqual(
          byCode.items.map((e) => e.id),
          [jiangsu],
        );
        const byName = json<{ items: EnterpriseBody[] }>(
          await operator.call('GET', `/api/v1/enterprises?q=${encodeURIComponent('企业 jiangsu')}`),
        );
        assert.deepEqual(
          byName.items.map((e) => e.id),
          [jiangsu],
        );
        const wildcard = json<{ total: number }>(await operator.call('GET', '/api/v1/enterprises?q=%25'));
        assert.equal(wildcard.total, 0);
      });

      test('an enterprise lists only itself', async () => {
        const { admin, enterpriseId } = await registerEnterprise(h, {
          username: 'onlyself',
          orgBody: 'MA1NLY00',
        });
        const page = json<{ items: EnterpriseBody[]; total: number }>(
          await admin.call('GET', '/api/v1/enterprises?pageSize=200'),
        );
        assert.deepEqual(
          page.items.map((e) => e.id),
          [enterpriseId],
        );
        assert.equal(page.total, 1);
        assert.equal((await admin.call('GET', `/api/v1/enterprises/${shanghai}`)).statusCode, 404);
      });
    });
  });
}
