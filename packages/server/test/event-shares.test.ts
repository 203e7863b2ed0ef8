import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import type { LightMyRequestResponse } from 'fastify';
import { dialects } from '@tracemark/testing';
import {
  approvedEnterprise,
  Client,
  errorCode,
  harness,
  json,
  operatorClient,
  password,
  regulatorClient,
  type Harness,
} from './support/harness.js';

const CTX = 'https://ref.gs1.org/standards/epcis/2.0.0/epcis-context.jsonld';

function event(id: string, bizStep: string, eventTime: string): Record<string, unknown> {
  return {
    '@context': [CTX],
    type: 'ObjectEvent',
    eventID: id,
    eventTime,
    eventTimeZoneOffset: '+00:00',
    epcList: [`https://id.gs1.org/01/10614141073464/21/${id.replace(/\W/g, '')}`],
    action: 'OBSERVE',
    bizStep,
  };
}

interface QueryDoc {
  epcisBody: { queryResults: { resultsBody: { eventList: Array<{ eventID: string }> } } };
}
const idsIn = (res: LightMyRequestResponse): string[] => {
  assert.equal(res.statusCode, 200, res.body);
  return json<QueryDoc>(res)
    .epcisBody.queryResults.resultsBody.eventList.map((e) => e.eventID)
    .sort();
};

for (const dialect of dialects) {
  describe(`event sharing on ${dialect}`, () => {
    let h: Harness;
    let ownerAdmin: Client;
    let owner: Client;
    let partner: Client;
    let partnerAdmin: Client;
    let stranger: Client;
    let ownerId: string;
    let partnerId: string;
    let regulator: Client;
    let otherRegulator: Client;
    const t = (iso: string) => Date.parse(iso);

    before(async () => {
      h = await harness(dialect);
      const operator = await operatorClient(h);
      const keyOf = async (admin: Client) => {
        const c = new Client(h.app);
        c.bearer = json<{ key: string }>(await admin.call('POST', '/api/v1/api-keys', { name: 'ERP' })).key;
        return c;
      };
      const a = await approvedEnterprise(h, operator, { username: 'share-owner', orgBody: 'MA1GRAN0' });
      ownerAdmin = a.admin;
      ownerId = a.enterpriseId;
      owner = await keyOf(a.admin);
      const b = await approvedEnterprise(h, operator, {
        username: 'share-partner',
        orgBody: 'MA1GRAN1',
        region: '440106',
      });
      partnerAdmin = b.admin;
      partnerId = b.enterpriseId;
      partner = await keyOf(b.admin);
      const c = await approvedEnterprise(h, operator, { username: 'share-stranger', orgBody: 'MA1GRAN2' });
      stranger = await keyOf(c.admin);
      regulator = await regulatorClient(h, '440000', 'share-reg-gd');
      otherRegulator = await regulatorClient(h, '310000', 'share-reg-sh');
      for (const [id, step, at] of [
        ['urn:uuid:owner-ship-march', 'shipping', '2026-03-01T00:00:00Z'],
        ['urn:uuid:owner-recv-march', 'receiving', '2026-03-02T00:00:00Z'],
        ['urn:uuid:owner-ship-may', 'shipping', '2026-05-01T00:00:00Z'],
      ] as const) {
        assert.equal((await owner.call('POST', '/epcis/events', event(id, step, at))).statusCode, 201);
      }
      assert.equal(
        (
          await partner.call(
            'POST',
            '/epcis/events',
            event('urn:uuid:partner-own', 'receiving', '2026-03-03T00:00:00Z'),
          )
        ).statusCode,
        201,
      );
    });
    after(() => h.close());

    test('without a share another enterprise or a regulator sees none of the events', async () => {
      assert.deepEqual(idsIn(await partner.call('GET', '/epcis/events')), ['urn:uuid:partner-own']);
      assert.deepEqual(idsIn(await regulator.call('GET', '/epcis/events')), []);
      assert.equal(
        (await partner.call('GET', `/epcis/events/${encodeURIComponent('urn:uuid:owner-ship-march')}`))
          .statusCode,
        404,
      );
    });

    test('shares are checked: grantee, jurisdiction, window, and only administrators make them', async () => {
      const post = (body: Record<string, unknown>, as = ownerAdmin) =>
        as.call('POST', '/api/v1/event-shares', body);
      const self = await post({ grantee: { type: 'enterprise', enterpriseId: ownerId } });
      assert.equal(self.statusCode, 400);
      assert.equal(errorCode(self), 'TRACE_SHARE_INVALID');
      const nobody = await post({
        grantee: { type: 'enterprise', enterpriseId: '01890000-0000-7000-8000-000000000000' },
      });
      assert.equal(nobody.statusCode, 404);
      assert.equal(errorCode(nobody), 'TRACE_SHARE_GRANTEE_NOT_FOUND');
      assert.equal(
        errorCode(await post({ grantee: { type: 'regulator', jurisdiction: '999999' } })),
        'TRACE_SHARE_INVALID',
      );
      assert.equal(
        errorCode(
          await post({
            grantee: { type: 'enterprise', enterpriseId: partnerId },
            from: t('2026-04-01T00:00:00Z'),
            to: t('2026-02-01T00:00:00Z'),
          }),
        ),
        'TRACE_SHARE_INVALID',
      );
      // An operator of the enterprise (not its administrator) may not share; nor may an API key.
      const users = await ownerAdmin.call('POST', '/api/v1/users', {
        username: 'share-owner-op',
        displayName: 'Op',
        password,
        role: 'enterprise_operator',
      });
      assert.equal(users.statusCode, 201, users.body);
      const op = new Client(h.app);
      await op.login('share-owner-op', password);
      assert.equal(
        (await post({ grantee: { type: 'regulator', jurisdiction: '440000' } }, op)).statusCode,
        403,
      );
    });

    test('a partner sees its own events plus exactly the shared ones, until the share is revoked', async () => {
      const created = await ownerAdmin.call('POST', '/api/v1/event-shares', {
        grantee: { type: 'enterprise', enterpriseId: partnerId },
        bizSteps: ['urn:epcglobal:cbv:bizstep:shipping'],
        from: t('2026-02-01T00:00:00Z'),
        to: t('2026-04-01T00:00:00Z'),
        note: 'Q1 shipments for the distributor',
      });
      assert.equal(created.statusCode, 201, created.body);
      const share = json<{ id: string; bizSteps: string[]; grantee: { id: string; name: string } }>(created);
      assert.deepEqual(share.bizSteps, ['shipping']);
      assert.equal(share.grantee.id, partnerId);
      assert.equal(share.grantee.name, '企业 share-partner');

      assert.deepEqual(idsIn(await partner.call('GET', '/epcis/events')), [
        'urn:uuid:owner-ship-march',
        'urn:uuid:partner-own',
      ]);
      assert.deepEqual(idsIn(await partner.call('GET', '/epcis/events?EQ_bizStep=shipping')), [
        'urn:uuid:owner-ship-march',
      ]);
      assert.deepEqual(idsIn(await partner.call('GET', '/epcis/bizSteps/shipping/events')), [
        'urn:uuid:owner-ship-march',
      ]);
      const one = await partner.call(
        'GET',
        `/epcis/events/${encodeURIComponent('urn:uuid:owner-ship-march')}`,
      );
      assert.equal(one.statusCode, 200, one.body);
      for (const hidden of ['urn:uuid:owner-recv-march', 'urn:uuid:owner-ship-may']) {
        assert.equal(
          (await partner.call('GET', `/epcis/events/${encodeURIComponent(hidden)}`)).statusCode,
          404,
        );
      }
      // Paging walks own and shared events together, each once.
      const seen: string[] = [];
      let url: string | undefined = '/epcis/events?perPage=1';
      while (url !== undefined) {
        const res = await partner.call('GET', url);
        seen.push(...idsIn(res));
        const link = res.headers['link'];
        url = typeof link === 'string' ? /^<([^>]+)>; rel="next"$/.exec(link)?.[1] : undefined;
      }
      assert.deepEqual(seen.sort(), ['urn:uuid:owner-ship-march', 'urn:uuid:partner-own']);
      // Nobody else gains anything; the owner still sees all of its own.
      assert.deepEqual(idsIn(await stranger.call('GET', '/epcis/events')), []);
      assert.deepEqual(idsIn(await regulator.call('GET', '/epcis/events')), []);
      assert.equal(idsIn(await owner.call('GET', '/epcis/events')).length, 3);
      // The owner does not see the partner's events: sharing is one way.
      assert.ok(!idsIn(await owner.call('GET', '/epcis/events')).includes('urn:uuid:partner-own'));

      // Lists: given by the owner, received by the partner; the partner cannot revoke it.
      const given = json<{ items: Array<{ id: string }> }>(
        await ownerAdmin.call('GET', '/api/v1/event-shares'),
      );
      assert.deepEqual(
        given.items.map((s) => s.id),
        [share.id],
      );
      const received = json<{ items: Array<{ id: string; ownerName: string }> }>(
        await partnerAdmin.call('GET', '/api/v1/event-shares?direction=received'),
      );
      assert.deepEqual(
        received.items.map((s) => [s.id, s.ownerName]),
        [[share.id, '企业 share-owner']],
      );
      assert.deepEqual(
        json<{ items: unknown[] }>(await partnerAdmin.call('GET', '/api/v1/event-shares')).items,
        [],
      );
      assert.equal((await partnerAdmin.call('DELETE', `/api/v1/event-shares/${share.id}`)).statusCode, 404);

      const revoked = await ownerAdmin.call('DELETE', `/api/v1/event-shares/${share.id}`);
      assert.equal(revoked.statusCode, 200, revoked.body);
      assert.equal(typeof json(revoked)['revokedAt'], 'number');
      assert.deepEqual(idsIn(await partner.call('GET', '/epcis/events')), ['urn:uuid:partner-own']);
      assert.equal((await ownerAdmin.call('DELETE', `/api/v1/event-shares/${share.id}`)).statusCode, 404);
      assert.deepEqual(
        json<{ items: unknown[] }>(await partnerAdmin.call('GET', '/api/v1/event-shares?direction=received'))
          .items,
        [],
      );
    });

    test('a shared event names the enterprise that captured it; the owner reads its events as captured', async () => {
      const created = await ownerAdmin.call('POST', '/api/v1/event-shares', {
        grantee: { type: 'enterprise', enterpriseId: partnerId },
      });
      assert.equal(created.statusCode, 201, created.body);
      try {
        const ns = `${h.config.publicUrl.replace(/\/+$/, '')}/ns/epcis/`;
        type Marked = Record<string, unknown> & { eventID: string };
        const doc = json<QueryDoc & { '@context': unknown[] }>(await partner.call('GET', '/epcis/events'));
        assert.deepEqual(doc['@context'], [CTX, { tm: ns }], 'the document declares the tm prefix');
        const list = doc.epcisBody.queryResults.resultsBody.eventList as Marked[];
        const owners = await ownerAdmin.call('GET', `/api/v1/enterprises/${ownerId}`);
        const uscc = json<{ uscc: string }>(owners).uscc;
        for (const e of list) {
          if (e.eventID === 'urn:uuid:partner-own')
            assert.equal(e['tm:sharedBy'], undefined, 'its own: as captured');
          else
            assert.deepEqual(e['tm:sharedBy'], {
              'tm:enterpriseId': ownerId,
              'tm:name': '企业 share-owner',
              'tm:uscc': uscc,
            });
        }
        assert.equal(list.filter((e) => e['tm:sharedBy'] !== undefined).length, 3);
        // One event on its own declares the prefix itself.
        const one = json<Marked>(
          await partner.call('GET', `/epcis/events/${encodeURIComponent('urn:uuid:owner-ship-may')}`),
        );
        assert.deepEqual(one['@context'], [CTX, { tm: ns }]);
        assert.equal((one['tm:sharedBy'] as Record<string, unknown>)['tm:enterpriseId'], ownerId);
        // The owner reads its events exactly as captured, and its document declares nothing more.
        const own = json<QueryDoc & { '@context': unknown[] }>(await owner.call('GET', '/epcis/events'));
        assert.deepEqual(own['@context'], [CTX]);
        for (const e of own.epcisBody.queryResults.resultsBody.eventList as Marked[])
          assert.equal(e['tm:sharedBy'], undefined);
      } finally {
        await ownerAdmin.call('DELETE', `/api/v1/event-shares/${json(created)['id'] as string}`);
      }
    });

    test('the regulators of a jurisdiction see what was shared with that jurisdiction, and nothing else', async () => {
      const created = await ownerAdmin.call('POST', '/api/v1/event-shares', {
        grantee: { type: 'regulator', jurisdiction: '440000' },
      });
      assert.equal(created.statusCode, 201, created.body);
      assert.deepEqual(idsIn(await regulator.call('GET', '/epcis/events')), [
        'urn:uuid:owner-recv-march',
        'urn:uuid:owner-ship-march',
        'urn:uuid:owner-ship-may',
      ]);
      assert.deepEqual(idsIn(await regulator.call('GET', '/epcis/events?EQ_bizStep=receiving')), [
        'urn:uuid:owner-recv-march',
      ]);
      assert.deepEqual(idsIn(await otherRegulator.call('GET', '/epcis/events')), []);
      assert.deepEqual(idsIn(await partner.call('GET', '/epcis/events')), ['urn:uuid:partner-own']);
      const received = json<{ items: unknown[] }>(
        await regulator.call('GET', '/api/v1/event-shares?direction=received'),
      );
      assert.equal(received.items.length, 1);
      // A regulator has no enterprise: named queries, capture and sharing stay closed to it.
      assert.equal((await regulator.call('GET', '/epcis/queries')).statusCode, 403);
      assert.equal(
        (
          await regulator.call(
            'POST',
            '/epcis/events',
            event('urn:uuid:reg', 'shipping', '2026-03-01T00:00:00Z'),
          )
        ).statusCode,
        403,
      );
      assert.equal(
        (
          await regulator.call('POST', '/api/v1/event-shares', {
            grantee: { type: 'regulator', jurisdiction: '310000' },
          })
        ).statusCode,
        403,
      );
      // Revoking ends it at once.
      await ownerAdmin.call('DELETE', `/api/v1/event-shares/${json(created)['id'] as string}`);
      assert.deepEqual(idsIn(await regulator.call('GET', '/epcis/events')), []);
    });
  });
}
