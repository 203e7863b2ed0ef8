// Varied EPCIS 2.0 events for property tests of the event hash and the event facts: all five
// event types, every standard field, identifiers in each syntax (EPC URNs, Digital Links on any
// domain, CURIEs, the platform's codes), CBV values in each spelling, whitespace, numbers,
// extensions (nested, in lists, in standard fields), ILMD, sensor data, persistent dispositions,
// error declarations, events with their own `@context`, and a few odd shapes the schema allows.
// Deterministic (seeded), so the hashes of the samples can be pinned.

/** A small seeded PRNG (mulberry32): the same samples on every run and machine. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** The document-level `@context` the samples are hashed under (declares `ex` and `acme`). */
export const SAMPLE_CONTEXT: readonly unknown[] = Object.freeze([
  'https://ref.gs1.org/standards/epcis/2.0.0/epcis-context.jsonld',
  { ex: 'https://ns.example.com/epcis/', acme: 'https://acme.example.org/voc#' },
]);

const TYPES = [
  'ObjectEvent',
  'AggregationEvent',
  'TransactionEvent',
  'TransformationEvent',
  'AssociationEvent',
] as const;

/** `count` varied events (plain JSON, as parsed from a document). */
export function sampleEvents(count: number, seed = 20261127): Record<string, unknown>[] {
  const rnd = seededRandom(seed);
  const int = (n: number) => Math.floor(rnd() * n);
  const pick = <T>(xs: readonly T[]): T => xs[int(xs.length)] as T;
  const chance = (p: number) => rnd() < p;
  const pad = (s: string) => (chance(0.05) ? ` ${s}\t` : s);
  const serial = () =>
    pick(['1', '2017', 'A-1', 'x.y', 'a%2Fb', 'Z_9', "q'(1)*", '%C3%A9t', `${int(100_000)}`, `s${int(50)}`]);
  const instance = (): string => {
    const s = serial();
    switch (int(9)) {
      case 0:
      case 1:
      case 2:
        return pad(`urn:epc:id:sgtin:0614141.${pick(['107346', '012345', '812345'])}.${s}`);
      case 3:
        return `https://id.gs1.org/01/${pick(['10614141073464', '09506000134352'])}/21/${encodeURIComponent(s)}`;
      case 4:
        return `https://example.com/shop/01/09506000134352/22/CPV/21/${encodeURIComponent(s)}?linkType=all`;
      case 5:
        return `urn:epc:id:sscc:0614141.${String(int(1e10)).padStart(10, '0')}`;
      case 6:
        return pick([
          'urn:epc:id:grai:0614141.12345.400',
          'urn:epc:id:giai:0614141.A1',
          'urn:epc:id:gid:95100000.12345.400',
          'urn:example:thing:1',
          'https://t.example.cn/c/123451000000000136',
        ]);
      case 7:
        return `http://id.gs1.org/00/${pick(['106141410000000010', '006141410000000017'])}`;
      default:
        return `urn:epc:id:sgtin:4012345.011111.${s}`;
    }
  };
  const epcClass = () =>
    pick([
      'urn:epc:class:lgtin:4012345.011111.LOT1',
      'urn:epc:class:lgtin:4012345.011111.987',
      'https://id.gs1.org/01/04012345111118/10/LOT2',
      'https://id.gs1.org/01/04012345111118',
      'urn:epc:idpat:sgtin:4012345.011111.*',
    ]);
  const location = () =>
    pad(
      pick([
        'urn:epc:id:sgln:0614141.07346.1234',
        'urn:epc:id:sgln:0614141.07346.0',
        'urn:epc:id:sgln:4012345.00001.0',
        'https://id.gs1.org/414/0614141073467/254/1234',
        'https://id.gs1.org/414/4012345000016',
        'geo:22.300000,-97.200000',
      ]),
    );
  const time = () =>
    pick([
      '2026-03-01T08:00:00.000+08:00',
      '2026-03-01T00:00:00Z',
      '2022-02-16T20:33:31.116000-06:00',
      '2026-01-01T00:00:00.9996Z',
      `2026-0${1 + int(9)}-1${int(10)}T1${int(10)}:${10 + int(50)}:00.${int(1000)}+0${int(9)}:00`,
    ]);
  const bizStep = () =>
    pick([
      'shipping',
      'receiving',
      'packing',
      'commissioning',
      'urn:epcglobal:cbv:bizstep:shipping',
      'https://ref.gs1.org/cbv/BizStep-inspecting',
      'cbv:BizStep-storing',
      'gs1:BizStep-arriving',
      'https://acme.example.org/steps/grading',
      'acme:curing',
    ]);
  const disposition = () =>
    pick([
      'in_transit',
      'in_progress',
      'active',
      'urn:epcglobal:cbv:disp:sellable_accessible',
      'https://ref.gs1.org/cbv/Disp-recalled',
      'ex:quarantined',
    ]);
  const uom = () => pick(['KGM', 'CEL', 'LTR', 'EA', ' KGM ']);
  const quantity = () => pick<number | string>([10, 10.0, 2.5, 0.125, 1e21, 3, 7.1]);
  const quantityList = () =>
    Array.from({ length: 1 + int(3) }, () => {
      const q: Record<string, unknown> = { epcClass: epcClass() };
      if (chance(0.8)) q['quantity'] = quantity();
      if (chance(0.7)) q['uom'] = uom();
      if (chance(0.05)) q['ex:grade'] = 'A';
      return q;
    });
  const epcs = (max: number) => Array.from({ length: int(max + 1) }, instance);
  const bizTransactions = () =>
    Array.from({ length: 1 + int(2) }, () => {
      const b: Record<string, unknown> = {
        bizTransaction: pick([
          'http://transaction.acme.com/po/12345678',
          'urn:epcglobal:cbv:bt:0614141073467:1152',
          `https://acme.example.org/inv/${int(1000)}`,
        ]),
      };
      if (chance(0.8))
        b['type'] = pick([
          'po',
          'inv',
          'urn:epcglobal:cbv:btt:desadv',
          'https://ref.gs1.org/cbv/BTT-bol',
          'acme:contract',
        ]);
      return b;
    });
  const parties = (key: 'source' | 'destination') =>
    Array.from({ length: 1 + int(3) }, () => {
      const s: Record<string, unknown> = {
        type: pick([
          'owning_party',
          'possessing_party',
          'location',
          'urn:epcglobal:cbv:sdt:owning_party',
          'acme:carrier',
        ]),
      };
      s[key] = pick([
        'urn:epc:id:pgln:0614141.00001',
        'urn:epc:id:sgln:0614141.00001.0',
        'https://id.gs1.org/417/4012345000009',
        'urn:epc:id:sgln:4012345.00001.0',
      ]);
      return s;
    });
  const sensorElements = () =>
    Array.from({ length: 1 + int(2) }, () => {
      const reports = Array.from({ length: 1 + int(3) }, () => {
        const r: Record<string, unknown> = {
          type: pick(['gs1:Temperature', 'gs1:RelativeHumidity', 'Temperature']),
        };
        if (chance(0.8)) r['value'] = pick([2.5, 26, -3.75, 100.0]);
        if (chance(0.6)) r['uom'] = pick(['CEL', 'A93', 'FAH']);
        if (chance(0.3)) r['time'] = time();
        if (chance(0.2)) r['minValue'] = 1.5;
        if (chance(0.2)) r['maxValue'] = 4;
        if (chance(0.1)) r['exception'] = 'ALARM_CONDITION';
        if (chance(0.1)) r['booleanValue'] = true;
        if (chance(0.1)) r['stringValue'] = 'SomeString';
        if (chance(0.1)) r['ex:calibrated'] = 'yes';
        return r;
      });
      const e: Record<string, unknown> = { sensorReport: reports };
      if (chance(0.7)) {
        const m: Record<string, unknown> = { time: time() };
        if (chance(0.5)) m['deviceID'] = 'urn:epc:id:giai:4000001.111';
        if (chance(0.3)) m['startTime'] = time();
        if (chance(0.3)) m['bizRules'] = 'https://example.org/rules';
        e['sensorMetadata'] = m;
      }
      if (chance(0.1)) e['ex:note'] = 'cold chain';
      return e;
    });
  const extension = (): [string, unknown] =>
    pick<[string, unknown]>([
      ['ex:zeta', '1.50'],
      ['ex:alpha', { 'ex:inner': 'v', 'ex:list': ['b', 'a', 'c'] }],
      ['acme:temperature', 21.5],
      ['ex:count', 0],
      ['ex:flag', false],
      ['ex:epcs', ['urn:epc:id:sgtin:0614141.107346.77', 'https://id.gs1.org/01/10614141073464/21/76']],
      ['ex:nested', { 'ex:a': { 'ex:b': 'urn:epcglobal:cbv:disp:active' } }],
      ['unknown:thing', 'kept as is'],
      ['ex:empty', ''],
      ['ex:nothing', null],
    ]);

  const out: Record<string, unknown>[] = [];
  for (let i = 0; i < count; i++) {
    const type = TYPES[i % TYPES.length] ?? 'ObjectEvent';
    const e: Record<string, unknown> = { type };
    if (chance(0.7)) e['eventID'] = `urn:uuid:00000000-0000-4000-8000-${String(i).padStart(12, '0')}`;
    e['eventTime'] = time();
    e['eventTimeZoneOffset'] = pick(['+08:00', '-06:00', '+00:00', 'Z', ' +01:00']);
    if (chance(0.15)) e['recordTime'] = '2026-11-27T00:00:00Z';
    const action = pick(['ADD', 'OBSERVE', 'DELETE']);
    switch (type) {
      case 'ObjectEvent':
        if (chance(0.85)) e['epcList'] = epcs(4);
        if (chance(0.3)) e['quantityList'] = quantityList();
        e['action'] = action;
        if (chance(0.2)) e['ilmd'] = { 'ex:harvest': '2026-02-27', 'ex:bestBefore': time() };
        break;
      case 'AggregationEvent':
        if (chance(0.9)) e['parentID'] = instance();
        e['childEPCs'] = epcs(12);
        if (chance(0.2)) e['childQuantityList'] = quantityList();
        e['action'] = action;
        break;
      case 'TransactionEvent':
        if (chance(0.5)) e['parentID'] = instance();
        e['epcList'] = epcs(3);
        if (chance(0.3)) e['quantityList'] = quantityList();
        e['action'] = action;
        e['bizTransactionList'] = bizTransactions();
        break;
      case 'TransformationEvent':
        if (chance(0.8)) e['inputEPCList'] = epcs(3);
        if (chance(0.6)) e['inputQuantityList'] = quantityList();
        if (chance(0.8)) e['outputEPCList'] = epcs(3);
        if (chance(0.4)) e['outputQuantityList'] = quantityList();
        if (chance(0.3)) e['transformationID'] = pick(['urn:epc:id:gdti:0614141.12345.400', 'urn:uuid:1234']);
        if (chance(0.2)) e['ilmd'] = { 'ex:lot': `L${int(100)}` };
        break;
      default:
        e['parentID'] = instance();
        e['childEPCs'] = epcs(3);
        if (chance(0.3)) e['childQuantityList'] = quantityList();
        e['action'] = action;
    }
    if (chance(0.85)) e['bizStep'] = bizStep();
    if (chance(0.7)) e['disposition'] = disposition();
    if (chance(0.15))
      e['persistentDisposition'] = chance(0.5)
        ? { set: ['completeness_verified'], unset: ['completeness_inferred'] }
        : { unset: [disposition(), 'urn:epcglobal:cbv:disp:active'] };
    if (chance(0.85)) e['readPoint'] = chance(0.1) ? { id: location(), 'ex:door': 'D2' } : { id: location() };
    if (chance(0.6)) e['bizLocation'] = { id: location() };
    if (type !== 'TransactionEvent' && chance(0.25)) e['bizTransactionList'] = bizTransactions();
    if (chance(0.2)) e['sourceList'] = parties('source');
    if (chance(0.2)) e['destinationList'] = parties('destination');
    if (chance(0.15)) e['sensorElementList'] = sensorElements();
    if (chance(0.1))
      e['certificationInfo'] = 'https://accreditation-council.example.org/certificate/ABC12345';
    if (chance(0.25)) {
      const n = 1 + int(3);
      for (let k = 0; k < n; k++) {
        const [key, value] = extension();
        e[key] = value;
      }
    }
    if (chance(0.08))
      e['errorDeclaration'] = {
        declarationTime: time(),
        reason: pick(['incorrect_data', 'urn:epcglobal:cbv:er:did_not_occur']),
        ...(chance(0.5) ? { correctiveEventIDs: ['urn:uuid:404d95fc-9457-4a51-bd6a-0bba133845a8'] } : {}),
      };
    if (chance(0.05)) e['@context'] = [{ ex2: 'https://ns2.example.com/' }];
    if (chance(0.03)) e['ex2:own'] = 'own context';
    // Field order as capturers send it varies.
    out.push(chance(0.3) ? Object.fromEntries(Object.entries(e).reverse()) : e);
  }
  // JSON as it arrives over the wire.
  return JSON.parse(JSON.stringify(out)) as Record<string, unknown>[];
}

/** `count` identifiers near the rules' edges: EPC URNs of the common schemes built from odd pieces. */
export function sampleIdentifiers(count: number, seed = 7): string[] {
  const rnd = seededRandom(seed);
  const pieces = [
    '0614141',
    '107346',
    '061414',
    '1107346',
    '',
    '12',
    'a',
    '%41',
    '%',
    '%2F',
    'é',
    "q'(1)*",
    'x.y',
    'A-1',
    '~_',
    ' ',
    '\n',
    '0',
    '4012345',
    '011111',
    '0000000001',
  ];
  const schemes = [
    'id:sgtin',
    'id:sgtin',
    'id:sgtin',
    'class:lgtin',
    'id:sgln',
    'id:sscc',
    'idpat:sgtin',
    'id:SGTIN',
    'idx:sgtin',
    'id:grai',
  ];
  const piece = () =>
    `${pieces[Math.floor(rnd() * pieces.length)] ?? ''}${rnd() < 0.3 ? (pieces[Math.floor(rnd() * pieces.length)] ?? '') : ''}`;
  const out: string[] = [];
  for (let i = 0; i < count; i++) {
    const scheme = schemes[Math.floor(rnd() * schemes.length)] ?? 'id:sgtin';
    const cp = rnd() < 0.7 ? (rnd() < 0.5 ? '0614141' : '4012345') : piece();
    const item = rnd() < 0.7 ? (rnd() < 0.5 ? '107346' : '011111') : piece();
    out.push(`urn:epc:${scheme}:${cp}.${item}${rnd() < 0.9 ? `.${piece()}` : ''}`);
  }
  return out;
}
