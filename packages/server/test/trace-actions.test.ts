import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import type { LightMyRequestResponse } from 'fastify';
import { sql } from 'kysely';
import ExcelJS from 'exceljs';
import { gs1CheckDigit } from '@tracemark/codes';
import { dialects } from '@tracemark/testing';
import { schemaProblems } from '../src/modules/epcis/json-schema.js';
import type { Client } from './support/harness.js';
import {
  approvedEnterprise,
  errorCode,
  files,
  harness,
  json,
  operatorClient,
  type Harness,
} from './support/harness.js';

const publicUrl = 'https://t.example.cn';
const gln = (twelve: string) => `${twelve}${gs1CheckDigit(twelve)}`;
const SUPPLIER_GLN = gln('690123400001');
const DC_GLN = gln('690123400002');
const MATERIAL_GTIN = '9506000134352';
const PRODUCT_GTIN = '4006381333931';

type Ev = Record<string, unknown>;
interface ActionResult {
  action: string;
  eventIds: string[];
  lots?: Array<{ id: string; epcClass: string; quantity: number; unit: string; supplierName: string }>;
}

/** An enterprise with a product (with GTIN), a batch, 20 item codes (1–10 active), 2 cases (active). */
interface Fixture {
  admin: Client;
  enterpriseId: string;
  productId: string;
  batchId: string;
  itemJob: string;
  items: string[];
  cases: string[];
}

for (const dialect of dialects) {
  describe(`business actions on ${dialect}`, () => {
    let h: Harness;
    let A: Fixture;
    let B: Fixture;

    async function fixture(
      operator: Client,
      username: string,
      orgBody: string,
      gtin?: string,
    ): Promise<Fixture> {
      const e = await approvedEnterprise(h, operator, { username, orgBody });
      const admin = e.admin;
      const ok = (res: LightMyRequestResponse, status = 201) => {
        assert.equal(res.statusCode, status, res.body);
        return json(res);
      };
      const productId = ok(
        await admin.call('POST', '/api/v1/products', {
          name: '酱油',
          ...(gtin !== undefined ? { gtin } : {}),
        }),
      ).id as string;
      const batchId = ok(
        await admin.call('POST', '/api/v1/batches', {
          productId,
          lot: 'L2026-01',
          productionDate: '2026-01-15',
          expiryDate: '2027-01-15',
          quantity: 1000,
        }),
      ).id as string;
      const spaceId = ok(await admin.call('POST', '/api/v1/code-spaces', { name: 'S', length: 17 }))
        .id as string;
      const itemJob = ok(await admin.call('POST', '/api/v1/code-jobs', { spaceId, productId, count: 20 }))
        .id as string;
      const caseJob = ok(
        await admin.call('POST', '/api/v1/code-jobs', { spaceId, productId, count: 2, packingLevel: 'case' }),
      ).id as string;
      ok(
        await admin.call('POST', '/api/v1/code-activations', { batchId, jobId: itemJob, from: 1, to: 10 }),
        200,
      );
      ok(await admin.call('POST', '/api/v1/code-activations', { batchId, jobId: caseJob }), 200);
      const codesOf = async (job: string, n: number) =>
        json<{ items: Array<{ code: string }> }>(
          await admin.call('GET', `/api/v1/code-jobs/${job}/codes?count=${n}`),
        ).items.map((c) => c.code);
      return {
        admin,
        enterpriseId: e.enterpriseId,
        productId,
        batchId,
        itemJob,
        items: await codesOf(itemJob, 20),
        cases: await codesOf(caseJob, 2),
      };
    }

    const countEvents = async (tenantId: string): Promise<number> => {
      const r = await sql<{
        n: number | string;
      }>`select count(*) as n from epcis_events where tenant_id = ${tenantId}`.execute(h.db.kysely);
      return Number(r.rows[0]?.n ?? 0);
    };

    async function act(c: Client, action: string, body: unknown): Promise<ActionResult> {
      const res = await c.call('POST', `/api/v1/trace-actions/${action}`, body);
      assert.equal(res.statusCode, 201, res.body);
      return json<ActionResult>(res);
    }

    async function event(c: Client, eventId: string): Promise<Ev> {
      const res = await c.call('GET', `/epcis/events/${encodeURIComponent(eventId)}`);
      assert.equal(res.statusCode, 200, res.body);
      const e = json<Ev>(res);
      // What we wrote meets GS1's schema as stored.
      const { recordTime: _r, ...stored } = e;
      assert.deepEqual(schemaProblems(stored), []);
      return e;
    }

    const itemEpc = (code: string) => `https://id.gs1.org/01/0${PRODUCT_GTIN}/21/${code}`;

    before(async () => {
      h = await harness(dialect, { PUBLIC_URL: publicUrl });
      const operator = await operatorClient(h);
      A = await fixture(operator, 'ta-a', 'MA1TACT0', PRODUCT_GTIN);
      B = await fixture(operator, 'ta-b', 'MA1TACT1');
    });
    after(() => h.close());

    test('receive-materials stores a receiving event per lot with the supplier as source and the quantity by lot', async () => {
      const res = await act(A.admin, 'receive-materials', {
        supplier: SUPPLIER_GLN,
        supplierName: '某某农场',
        location: '一号仓库',
        receivedDate: '2026-03-01',
        eventTime: '2026-03-01T09:00:00+08:00',
        bizTransactions: [{ type: 'po', id: 'PO-2026-7' }],
        lots: [
          { material: '大豆', lot: 'DD-001', quantity: 500, unit: 'KGM' },
          { material: '食盐', materialGtin: MATERIAL_GTIN, lot: 'YS 01', quantity: 20.5, unit: 'KGM' },
        ],
      });
      assert.equal(res.eventIds.length, 2);
      assert.equal(res.lots?.length, 2);
      const own = res.lots[0];
      const labelled = res.lots[1];
      assert.ok(own !== undefined && labelled !== undefined);
      assert.equal(own.epcClass, `${publicUrl}/id/raw-lot/${own.id}`);
      assert.equal(labelled.epcClass, `https://id.gs1.org/01/0${MATERIAL_GTIN}/10/YS%2001`);
      const e0 = await event(A.admin, res.eventIds[0] ?? '');
      assert.equal(e0['type'], 'ObjectEvent');
      assert.equal(e0['action'], 'ADD');
      assert.equal(e0['bizStep'], 'receiving');
      assert.equal(e0['disposition'], 'in_progress');
      assert.deepEqual(e0['quantityList'], [{ epcClass: own.epcClass, quantity: 500, uom: 'KGM' }]);
      assert.deepEqual(e0['sourceList'], [
        { type: 'owning_party', source: `https://id.gs1.org/417/${SUPPLIER_GLN}` },
      ]);
      const site = `${publicUrl}/id/${A.enterpriseId}/site/${encodeURIComponent('一号仓库')}`;
      assert.deepEqual(e0['bizLocation'], { id: site });
      assert.deepEqual(e0['destinationList'], [
        { type: 'owning_party', destination: `${publicUrl}/id/enterprise/${A.enterpriseId}` },
        { type: 'location', destination: site },
      ]);
      assert.equal((e0['bizTransactionList'] as Ev[])[0]?.['type'], 'po');
      assert.equal((e0['tm:rawMaterial'] as Ev)['tm:material'], '大豆');
      const e1 = await event(A.admin, res.eventIds[1] ?? '');
      assert.equal(e1['action'], 'OBSERVE');
      const list = json<{
        items: Array<{ id: string; supplierName: string; quantity: number }>;
        total: number;
      }>(await A.admin.call('GET', '/api/v1/trace-actions/raw-material-lots?q=DD-001'));
      assert.equal(list.total, 1);
      assert.equal(list.items[0]?.supplierName, '某某农场');
      const one = await A.admin.call('GET', `/api/v1/trace-actions/raw-material-lots/${labelled.id}`);
      assert.equal(json<{ quantity: number }>(one).quantity, 20.5);
      // The same event is found by its lot class, as trace will.
      const byClass = await A.admin.call(
        'GET',
        `/epcis/events?MATCH_anyEPCClass=${encodeURIComponent(own.epcClass)}`,
      );
      assert.equal(byClass.statusCode, 200, byClass.body);
      assert.match(byClass.body, new RegExp(res.eventIds[0] ?? 'x'));
    });

    test('produce writes a TransformationEvent from raw-material lots to the batch and its codes', async () => {
      const lots = (
        await act(A.admin, 'receive-materials', {
          supplier: '某某农场',
          lots: [{ material: '小麦', lot: 'XM-1', quantity: 300, unit: 'KGM' }],
        })
      ).lots;
      const lot = lots?.[0];
      assert.ok(lot !== undefined);
      const res = await act(A.admin, 'produce', {
        batchId: A.batchId,
        inputs: [
          { lotId: lot.id, quantity: 120 },
          { lot: 'XM-1', quantity: 1, unit: 'KGM' },
        ],
        codes: [A.items[0]],
        ranges: [{ jobId: A.itemJob, from: 2, to: 3 }],
        outputQuantity: 1000,
      });
      const e = await event(A.admin, res.eventIds[0] ?? '');
      assert.equal(e['type'], 'TransformationEvent');
      assert.equal(e['bizStep'], 'commissioning');
      assert.deepEqual(e['inputQuantityList'], [
        { epcClass: lot.epcClass, quantity: 120, uom: 'KGM' },
        { epcClass: lot.epcClass, quantity: 1, uom: 'KGM' },
      ]);
      assert.deepEqual(e['outputQuantityList'], [
        { epcClass: `https://id.gs1.org/01/0${PRODUCT_GTIN}/10/L2026-01`, quantity: 1000 },
      ]);
      assert.deepEqual(e['outputEPCList'], [
        itemEpc(A.items[0] ?? ''),
        itemEpc(A.items[1] ?? ''),
        itemEpc(A.items[2] ?? ''),
      ]);
      assert.equal((e['ilmd'] as Ev)['cbvmda:itemExpirationDate'], '2027-01-15');
      // Production cannot use more of a lot than was received (in its own unit).
      const used = await A.admin.call('GET', `/api/v1/trace-actions/raw-material-lots/${lot.id}`);
      assert.equal(json<{ usedQuantity: number }>(used).usedQuantity, 121);
      const before = await countEvents(A.enterpriseId);
      const tooMuch = await A.admin.call('POST', '/api/v1/trace-actions/produce', {
        batchId: A.batchId,
        inputs: [
          { lotId: lot.id, quantity: 100 },
          { lot: 'XM-1', quantity: 80 },
        ],
      });
      assert.equal(tooMuch.statusCode, 409, tooMuch.body);
      assert.equal(errorCode(tooMuch), 'TRACE_ACTION_LOT_EXHAUSTED');
      assert.equal(await countEvents(A.enterpriseId), before);
      // Another unit is recorded as given, not converted or counted.
      await act(A.admin, 'produce', {
        batchId: A.batchId,
        inputs: [{ lotId: lot.id, quantity: 500, unit: 'GRM' }],
      });
      // A batch without codes is a class-level creation; a product without GTIN names the batch by a platform URI.
      const b = await act(B.admin, 'produce', {
        batchId: B.batchId,
        inputs: [
          {
            lotId: (
              await act(B.admin, 'receive-materials', {
                supplier: 'X',
                lots: [{ material: 'm', lot: 'l', quantity: 1, unit: 'KGM' }],
              })
            ).lots?.[0]?.id,
            quantity: 1,
          },
        ],
      });
      const be = await event(B.admin, b.eventIds[0] ?? '');
      assert.equal(be['bizStep'], 'creating_class_instance');
      assert.deepEqual(be['outputQuantityList'], [
        { epcClass: `${publicUrl}/id/batch/${B.batchId}`, quantity: 1000 },
      ]);
    });

    test('warehouse, ship, receive and retail sale write the CBV steps, dispositions, parties and transactions', async () => {
      const inW = await act(A.admin, 'warehouse-in', { codes: [A.cases[0]], warehouse: '成品仓' });
      const wi = await event(A.admin, inW.eventIds[0] ?? '');
      assert.deepEqual(
        [wi['action'], wi['bizStep'], wi['disposition']],
        ['OBSERVE', 'storing', 'sellable_not_accessible'],
      );
      assert.deepEqual(wi['epcList'], [itemEpc(A.cases[0] ?? '')]);
      const outW = await act(A.admin, 'warehouse-out', {
        batches: [{ batchId: A.batchId, quantity: 200 }],
        warehouse: '成品仓',
      });
      const wo = await event(A.admin, outW.eventIds[0] ?? '');
      assert.deepEqual([wo['bizStep'], wo['disposition']], ['picking', 'in_progress']);
      assert.deepEqual(wo['quantityList'], [
        { epcClass: `https://id.gs1.org/01/0${PRODUCT_GTIN}/10/L2026-01`, quantity: 200 },
      ]);

      const shipped = await act(A.admin, 'ship', {
        codes: [A.cases[0]],
        ranges: [{ jobId: A.itemJob, from: 4, to: 5 }],
        to: DC_GLN,
        toLocation: DC_GLN,
        fromLocation: '成品仓',
        bizTransactions: [{ type: 'desadv', id: 'FH-2026-0001' }],
      });
      const s = await event(A.admin, shipped.eventIds[0] ?? '');
      assert.deepEqual(
        [s['type'], s['action'], s['bizStep'], s['disposition']],
        ['ObjectEvent', 'OBSERVE', 'shipping', 'in_transit'],
      );
      assert.equal((s['epcList'] as string[]).length, 3);
      assert.deepEqual(s['sourceList'], [
        { type: 'owning_party', source: `${publicUrl}/id/enterprise/${A.enterpriseId}` },
        {
          type: 'location',
          source: `${publicUrl}/id/${A.enterpriseId}/site/${encodeURIComponent('成品仓')}`,
        },
      ]);
      assert.deepEqual(s['destinationList'], [
        { type: 'owning_party', destination: `https://id.gs1.org/417/${DC_GLN}` },
        { type: 'location', destination: `https://id.gs1.org/414/${DC_GLN}` },
      ]);
      assert.deepEqual(s['bizTransactionList'], [
        { type: 'desadv', bizTransaction: `${publicUrl}/id/${A.enterpriseId}/bt/FH-2026-0001` },
      ]);

      const received = await act(A.admin, 'receive', {
        codes: [A.cases[0]],
        at: DC_GLN,
        receiver: DC_GLN,
        bizTransactions: [{ type: 'desadv', id: 'FH-2026-0001' }],
      });
      const r = await event(A.admin, received.eventIds[0] ?? '');
      assert.deepEqual([r['bizStep'], r['disposition']], ['receiving', 'in_progress']);
      assert.deepEqual(r['bizLocation'], { id: `https://id.gs1.org/414/${DC_GLN}` });

      const sold = await act(A.admin, 'retail-sale', { codes: [A.items[3]], store: '浦东门店' });
      const rs = await event(A.admin, sold.eventIds[0] ?? '');
      assert.deepEqual([rs['bizStep'], rs['disposition']], ['retail_selling', 'retail_sold']);
      // The shipment is found by the item, the way queries and trace look for it.
      const q = await A.admin.call(
        'GET',
        `/epcis/events?MATCH_epc=${encodeURIComponent(itemEpc(A.items[3] ?? ''))}&EQ_bizStep=shipping`,
      );
      assert.match(q.body, new RegExp(shipped.eventIds[0] ?? 'x'));
    });

    test('inspection carries the result, inspector, report and measurements; recall and destroy set their dispositions', async () => {
      const up = await A.admin.upload(
        'PUT',
        `/api/v1/batches/${A.batchId}/inspection-report`,
        {},
        {
          name: 'r.pdf',
          type: 'application/pdf',
          data: files.pdf,
        },
      );
      const reportId = json<{ inspectionReport: { id: string } }>(up).inspectionReport.id;
      const ins = await act(A.admin, 'inspection', {
        batches: [{ batchId: A.batchId }],
        result: 'fail',
        inspector: '王五',
        reportFileId: reportId,
        measurements: [{ type: 'gs1:Temperature', value: 4.5, unit: 'CEL' }],
      });
      const e = await event(A.admin, ins.eventIds[0] ?? '');
      assert.deepEqual([e['bizStep'], e['disposition']], ['inspecting', 'non_conformant']);
      assert.deepEqual(e['tm:inspection'], {
        'tm:result': 'fail',
        'tm:inspector': '王五',
        'tm:reportFileId': reportId,
      });
      const reports = (e['sensorElementList'] as Array<{ sensorReport: Ev[] }>)[0]?.sensorReport;
      assert.deepEqual(reports, [{ type: 'gs1:Temperature', value: 4.5, uom: 'CEL' }]);
      assert.deepEqual((e['@context'] as unknown[])[1], { tm: `${publicUrl}/ns/epcis/` });

      const rec = await act(A.admin, 'recall', { batches: [{ batchId: A.batchId }], reason: '标签错误' });
      const re = await event(A.admin, rec.eventIds[0] ?? '');
      assert.deepEqual([re['action'], re['bizStep'], re['disposition']], ['OBSERVE', 'holding', 'recalled']);
      const des = await act(A.admin, 'destroy', {
        ranges: [{ jobId: A.itemJob, from: 9, to: 10 }],
        reason: '过期',
      });
      const de = await event(A.admin, des.eventIds[0] ?? '');
      assert.deepEqual(
        [de['action'], de['bizStep'], de['disposition']],
        ['DELETE', 'destroying', 'destroyed'],
      );
      assert.equal((de['epcList'] as string[]).length, 2);
      // Destroyed codes are out of use: a consumer's scan says voided, and no later action takes them.
      const voids = await h.db.kysely
        .selectFrom('code_voids')
        .select('serial')
        .where('tenant_id', '=', A.enterpriseId)
        .where('reason', '=', 'destroyed')
        .execute();
      assert.equal(voids.length, 2);
      const scan = await h.app.inject({
        method: 'GET',
        url: `/api/v1/verify/${A.items[8] ?? ''}`,
        headers: {
          'user-agent': 'Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) MicroMessenger/8.0.47',
        },
      });
      assert.equal(json<{ verdict: string }>(scan).verdict, 'voided');
      const again = await A.admin.call('POST', '/api/v1/trace-actions/ship', {
        codes: [A.items[9]],
        to: 'X',
      });
      assert.equal(again.statusCode, 409, again.body);
      assert.equal(errorCode(again), 'TRACE_CODE_VOIDED');
    });

    test('bad input is refused with a catalogue error and stores nothing', async () => {
      // A replaced label's code is out of use, alone or inside a range.
      const replaced = await A.admin.call('POST', '/api/v1/line/replace', {
        old: A.items[7],
        new: A.items[16],
      });
      assert.equal(replaced.statusCode, 200, replaced.body);
      const before = await countEvents(A.enterpriseId);
      const cases: Array<[string, unknown, number, string]> = [
        ['ship', { codes: [A.items[7]], to: 'X' }, 409, 'TRACE_CODE_VOIDED'],
        ['ship', { ranges: [{ jobId: A.itemJob, from: 7, to: 8 }], to: 'X' }, 409, 'TRACE_CODE_VOIDED'],
        ['ship', { codes: [A.items[0]] }, 400, 'TRACE_HTTP_VALIDATION'],
        ['ship', { to: 'X' }, 400, 'TRACE_ACTION_NO_TARGETS'],
        ['ship', { codes: [A.items[0]], to: '6901234000011' }, 400, 'TRACE_ACTION_INVALID'],
        ['ship', { codes: ['12345'], to: 'X' }, 400, 'TRACE_CODE_INVALID'],
        ['ship', { codes: [A.items[0], A.items[15]], to: 'X' }, 409, 'TRACE_CODE_NOT_ACTIVE'],
        ['ship', { ranges: [{ jobId: A.itemJob, from: 5, to: 12 }], to: 'X' }, 409, 'TRACE_CODE_NOT_ACTIVE'],
        ['ship', { codes: [A.items[0]], to: 'X', eventTime: 'yesterday' }, 400, 'TRACE_ACTION_INVALID'],
        ['retail-sale', { codes: [A.items[0]], store: 'S', extra: 1 }, 400, 'TRACE_HTTP_VALIDATION'],
        [
          'produce',
          { batchId: A.batchId, inputs: [{ lotId: B.batchId, quantity: 1 }] },
          404,
          'TRACE_ACTION_LOT_NOT_FOUND',
        ],
        ['produce', { batchId: A.batchId, inputs: [], codes: [] }, 400, 'TRACE_HTTP_VALIDATION'],
        [
          'inspection',
          { codes: [A.items[0]], result: 'pass', inspector: 'x', reportFileId: A.batchId },
          404,
          'TRACE_FILE_NOT_FOUND',
        ],
        [
          'receive-materials',
          { supplier: 'X', lots: [{ material: 'm', lot: 'l', quantity: -1, unit: 'KGM' }] },
          400,
          'TRACE_HTTP_VALIDATION',
        ],
        [
          'receive-materials',
          {
            supplier: 'X',
            lots: [{ material: 'm', materialGtin: '123', lot: 'l', quantity: 1, unit: 'KGM' }],
          },
          400,
          'TRACE_ACTION_INVALID',
        ],
      ];
      for (const [action, body, status, code] of cases) {
        const res = await A.admin.call('POST', `/api/v1/trace-actions/${action}`, body);
        assert.equal(res.statusCode, status, `${action} ${JSON.stringify(body)}: ${res.body}`);
        assert.equal(errorCode(res), code, `${action} ${JSON.stringify(body)}`);
      }
      assert.equal(await countEvents(A.enterpriseId), before);
    });

    test("another enterprise's batch, code, range, lot or template is not found and nothing is stored", async () => {
      const lotOfB = json<{ items: Array<{ id: string }> }>(
        await B.admin.call('GET', '/api/v1/trace-actions/raw-material-lots'),
      ).items[0]?.id;
      const before = await countEvents(A.enterpriseId);
      const attempts: Array<[string, unknown]> = [
        ['ship', { codes: [B.items[0]], to: 'X' }],
        ['ship', { ranges: [{ jobId: B.itemJob, from: 1, to: 2 }], to: 'X' }],
        ['recall', { batches: [{ batchId: B.batchId }], reason: 'x' }],
        ['recall', { lots: [{ lotId: lotOfB }], reason: 'x' }],
        ['produce', { batchId: B.batchId, inputs: [{ lotId: lotOfB, quantity: 1 }] }],
      ];
      for (const [action, body] of attempts) {
        const res = await A.admin.call('POST', `/api/v1/trace-actions/${action}`, body);
        assert.ok(
          res.statusCode === 404 || res.statusCode === 403,
          `${action}: ${res.statusCode} ${res.body}`,
        );
      }
      assert.equal(await countEvents(A.enterpriseId), before);
      assert.equal(
        (await A.admin.call('GET', `/api/v1/trace-actions/raw-material-lots/${lotOfB ?? ''}`)).statusCode,
        404,
      );
    });

    test('stage templates are checked, and record-stage validates values against the template', async () => {
      const bad = await A.admin.call('POST', '/api/v1/stage-templates', {
        name: '种植',
        bizStep: 'planting',
        fields: [
          { key: 'field', label: '地块', type: 'text', required: true },
          { key: 'field', label: '地块2', type: 'select', required: false },
        ],
      });
      assert.equal(bad.statusCode, 400);
      assert.equal(errorCode(bad), 'TRACE_ACTION_TEMPLATE_INVALID');
      const fields = json<{ error: { details: Array<{ field: string }> } }>(bad).error.details.map(
        (d) => d.field,
      );
      assert.deepEqual(fields.sort(), ['bizStep', 'fields[1].key', 'fields[1].options']);
      const created = await A.admin.call('POST', '/api/v1/stage-templates', {
        name: '种植',
        bizStep: 'https://ref.gs1.org/cbv/BizStep-other',
        fields: [
          { key: 'field', label: '地块', type: 'text', required: true },
          { key: 'fertiliser', label: '肥料', type: 'select', required: true, options: ['有机肥', '复合肥'] },
          { key: 'amount', label: '用量', type: 'number', required: false, unit: '公斤' },
          { key: 'date', label: '日期', type: 'date', required: true },
          { key: 'photo', label: '照片', type: 'file', required: false },
        ],
      });
      assert.equal(created.statusCode, 201, created.body);
      const template = json<{ id: string; bizStep: string }>(created);
      assert.equal(template.bizStep, 'other');
      const list = json<{ items: Array<{ id: string }> }>(
        await A.admin.call('GET', '/api/v1/stage-templates'),
      );
      assert.ok(list.items.some((t) => t.id === template.id));
      assert.equal(
        json<{ items: unknown[] }>(await B.admin.call('GET', '/api/v1/stage-templates')).items.length,
        0,
      );
      assert.equal((await B.admin.call('GET', `/api/v1/stage-templates/${template.id}`)).statusCode, 404);

      const before = await countEvents(A.enterpriseId);
      const wrong = await A.admin.call('POST', '/api/v1/trace-actions/record-stage', {
        templateId: template.id,
        batches: [{ batchId: A.batchId }],
        values: { fertiliser: '尿素', amount: 'lots', date: '2026-02-30', colour: 'red' },
      });
      assert.equal(wrong.statusCode, 400);
      assert.equal(errorCode(wrong), 'TRACE_ACTION_STAGE_VALUES');
      assert.deepEqual(
        json<{ error: { details: Array<{ field: string }> } }>(wrong)
          .error.details.map((d) => d.field)
          .sort(),
        ['values.amount', 'values.colour', 'values.date', 'values.fertiliser', 'values.field'],
      );
      assert.equal(await countEvents(A.enterpriseId), before);
      const res = await act(A.admin, 'record-stage', {
        templateId: template.id,
        batches: [{ batchId: A.batchId }],
        values: { field: 'A区3号', fertiliser: '有机肥', amount: '12.5', date: '2026-02-28' },
      });
      const e = await event(A.admin, res.eventIds[0] ?? '');
      assert.equal(e['bizStep'], 'other');
      assert.deepEqual(e['tm:stage'], {
        'tm:templateId': template.id,
        'tm:name': '种植',
        'tm:values': {
          'tm:field': 'A区3号',
          'tm:fertiliser': '有机肥',
          'tm:amount': 12.5,
          'tm:date': '2026-02-28',
        },
      });
      // Edited and archived templates.
      const patched = await A.admin.call('PATCH', `/api/v1/stage-templates/${template.id}`, {
        name: '种植记录',
      });
      assert.equal(json<{ name: string }>(patched).name, '种植记录');
      assert.equal((await A.admin.call('DELETE', `/api/v1/stage-templates/${template.id}`)).statusCode, 200);
      const archived = await A.admin.call('POST', '/api/v1/trace-actions/record-stage', {
        templateId: template.id,
        batches: [{ batchId: A.batchId }],
        values: { field: 'x', fertiliser: '有机肥', date: '2026-02-28' },
      });
      assert.equal(errorCode(archived), 'TRACE_ACTION_TEMPLATE_ARCHIVED');
    });

    async function importFile(data: Buffer, name: string, mode?: string): Promise<LightMyRequestResponse> {
      return A.admin.upload(
        'POST',
        `/api/v1/trace-actions/import${mode === undefined ? '' : `?mode=${mode}`}`,
        {},
        {
          name,
          type: name.endsWith('.xlsx')
            ? 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet'
            : 'text/csv',
          data,
        },
      );
    }

    test('an import with a bad row stores nothing and names every bad row, column and code', async () => {
      const template = await A.admin.call('GET', '/api/v1/trace-actions/import-template.csv');
      assert.equal(template.statusCode, 200);
      assert.match(String(template.headers['content-type']), /text\/csv/);
      const header = template.body.replace(/^\uFEFF/, '').split('\r\n')[0] ?? '';
      assert.ok(header.startsWith('action,event_time,codes,'));
      const before = await countEvents(A.enterpriseId);
      const csv = [
        'action,codes,location,party,biz_transaction,reason,batch_id,quantity',
        `ship,${A.items[4] ?? ''},,华东经销商,FH-9,,,`,
        `retail-sale,${A.items[5] ?? ''},门店,,,,,`,
        `ship,${A.items[15] ?? ''},,华东经销商,,,,`,
        `recall,,,,,x,${B.batchId},`,
        `fly,,,,,,,`,
        `warehouse-in,${A.items[6] ?? ''},,,,,,`,
        `recall,,,,,召回,${A.batchId},abc`,
      ].join('\n');
      const res = await importFile(Buffer.from(csv), 'actions.csv');
      assert.equal(res.statusCode, 422, res.body);
      assert.equal(errorCode(res), 'TRACE_ACTION_IMPORT_REJECTED');
      const details = json<{ error: { details: Array<{ row: number; column: string; code: string }> } }>(res)
        .error.details;
      const got = details.map((d) => `${d.row} ${d.column} ${d.code}`);
      assert.deepEqual(got, [
        '3 codes TRACE_CODE_NOT_ACTIVE',
        '4 batch_id TRACE_BATCH_NOT_FOUND',
        '5 action TRACE_ACTION_INVALID',
        '6 location TRACE_HTTP_VALIDATION',
        '7 quantity TRACE_HTTP_VALIDATION',
      ]);
      assert.deepEqual([...new Set(details.map((d) => d.row))], [3, 4, 5, 6, 7]);
      assert.equal(await countEvents(A.enterpriseId), before);

      // valid-rows stores the good rows and reports the rest.
      const partial = await importFile(Buffer.from(csv), 'actions.csv', 'valid-rows');
      assert.equal(partial.statusCode, 200, partial.body);
      const report = json<{
        rows: number;
        storedRows: number;
        failedRows: number;
        eventIds: string[];
        errors: Array<{ row: number }>;
      }>(partial);
      assert.deepEqual([report.rows, report.storedRows, report.failedRows], [7, 2, 5]);
      assert.equal(report.eventIds.length, 2);
      assert.equal(await countEvents(A.enterpriseId), before + 2);
      const shipped = await event(A.admin, report.eventIds[0] ?? '');
      assert.equal(shipped['bizStep'], 'shipping');
      assert.equal((shipped['bizTransactionList'] as Ev[])[0]?.['type'], 'desadv');
    });

    test('an XLSX import stores its rows; a file over the row cap or without an action column is refused', async () => {
      const wb = new ExcelJS.Workbook();
      const ws = wb.addWorksheet('actions');
      ws.addRow([
        'action',
        'supplier',
        'material',
        'lot',
        'quantity',
        'unit',
        'received_date',
        'batch_id',
        'inputs',
      ]);
      ws.addRow([
        'receive-materials',
        '山东某农场',
        '花生',
        'HS-01',
        80,
        'KGM',
        new Date(Date.UTC(2026, 2, 2)),
      ]);
      ws.addRow(['receive-materials', '山东某农场', '花生', 'HS-02', 20, 'KGM', '2026-03-02']);
      // A production row may use a lot received earlier in the same file, by its lot number.
      ws.addRow(['produce', null, null, null, null, null, null, A.batchId, 'HS-01=50 KGM; HS-02=5']);
      const data = Buffer.from(await wb.xlsx.writeBuffer());
      const res = await importFile(data, 'actions.xlsx');
      assert.equal(res.statusCode, 200, res.body);
      const report = json<{ storedRows: number; eventIds: string[] }>(res);
      assert.equal(report.storedRows, 3);
      const lots = json<{ items: Array<{ lot: string; receivedDate: string; quantity: number }> }>(
        await A.admin.call('GET', '/api/v1/trace-actions/raw-material-lots?q=HS-0'),
      ).items;
      assert.deepEqual(lots.map((l) => [l.lot, l.receivedDate, l.quantity]).sort(), [
        ['HS-01', '2026-03-02', 80],
        ['HS-02', '2026-03-02', 20],
      ]);
      const classes = json<{ items: Array<{ lot: string; epcClass: string }> }>(
        await A.admin.call('GET', '/api/v1/trace-actions/raw-material-lots?q=HS-0'),
      ).items.sort((x, y) => x.lot.localeCompare(y.lot));
      const made = await event(A.admin, report.eventIds[2] ?? '');
      assert.equal(made['type'], 'TransformationEvent');
      assert.deepEqual(made['inputQuantityList'], [
        { epcClass: classes[0]?.epcClass, quantity: 50, uom: 'KGM' },
        { epcClass: classes[1]?.epcClass, quantity: 5, uom: 'KGM' },
      ]);

      const noAction = await importFile(Buffer.from('codes,location\n1,2\n'), 'x.csv');
      assert.equal(errorCode(noAction), 'TRACE_ACTION_IMPORT_FORMAT');
      const before = await countEvents(A.enterpriseId);
      const big = `action,codes,location\n${'fly,1,S\n'.repeat(50_001)}`;
      const tooMany = await importFile(Buffer.from(big), 'big.csv');
      assert.equal(tooMany.statusCode, 413, tooMany.body);
      assert.equal(errorCode(tooMany), 'TRACE_ACTION_IMPORT_TOO_MANY_ROWS');
      assert.equal(await countEvents(A.enterpriseId), before);
    });
  });
}
