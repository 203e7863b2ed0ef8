import {
  canonicalIdentifier,
  epcisTimeToMs,
  identifierMatcher,
  normaliseCbv,
  type EpcRole,
  type IdentifierOptions,
} from '@tracemark/core';
import type { EpcMatch, EventFilter, EventOrder } from '@tracemark/db';
import { AppError } from '../../errors.js';

/**
 * EPCIS 2.0 query parameters (REST binding: pipe-delimited lists in the query string; a named
 * query's JSON: arrays or strings) parsed into the repository's {@link EventFilter}. Anything
 * unknown or malformed is a QueryParameterException, as §8.2.7 says.
 */
export interface ParsedQuery {
  readonly filter: EventFilter;
  readonly order: EventOrder;
  /** Whether the caller chose the order (eventCountLimit needs it). */
  readonly ordered: boolean;
  readonly eventCountLimit?: number;
  readonly maxEventCount?: number;
}

/** Raw parameters: each a string (pipe-delimited list) or an array of strings. */
export type QueryParams = Readonly<Record<string, unknown>>;

const matchRoles: Readonly<Record<string, readonly EpcRole[]>> = Object.freeze({
  MATCH_epc: ['epc', 'child'],
  MATCH_parentID: ['parent'],
  MATCH_inputEPC: ['input'],
  MATCH_outputEPC: ['output'],
  MATCH_anyEPC: ['epc', 'child', 'parent', 'input', 'output'],
  MATCH_epcClass: ['quantity', 'child_quantity'],
  MATCH_inputEPCClass: ['input_quantity'],
  MATCH_outputEPCClass: ['output_quantity'],
  MATCH_anyEPCClass: ['quantity', 'child_quantity', 'input_quantity', 'output_quantity'],
});

// Parameters of the REST binding that are not query criteria.
const transport = new Set(['perPage', 'nextPageToken']);

/** Every query parameter understood here (for the OpenAPI document and error messages). */
export const supportedQueryParameters: readonly string[] = Object.freeze([
  'eventType',
  'GE_eventTime',
  'LT_eventTime',
  'GE_recordTime',
  'LT_recordTime',
  'EQ_action',
  'EQ_bizStep',
  'EQ_disposition',
  'EQ_readPoint',
  'EQ_bizLocation',
  'EQ_eventID',
  'EXISTS_errorDeclaration',
  'GE_errorDeclarationTime',
  'LT_errorDeclarationTime',
  'EQ_errorReason',
  ...Object.keys(matchRoles),
  'orderBy',
  'orderDirection',
  'eventCountLimit',
  'maxEventCount',
]);

/** Values of one parameter: arrays as they are, strings split on `|`. */
function values(name: string, raw: unknown): string[] {
  const items = Array.isArray(raw) ? raw : [raw];
  const out: string[] = [];
  for (const item of items) {
    if (typeof item !== 'string' && typeof item !== 'number' && typeof item !== 'boolean') {
      throw bad(`${name}: expected a string or a list of strings`);
    }
    for (const v of String(item).split('|')) {
      const t = v.trim();
      if (t !== '') out.push(t);
    }
  }
  if (out.length === 0) throw bad(`${name}: no value`);
  return out;
}

function bad(message: string): AppError {
  return new AppError('TRACE_EPCIS_QUERY_PARAMETER', message);
}

function single(name: string, raw: unknown): string {
  const v = values(name, raw);
  if (v.length !== 1) throw bad(`${name}: one value expected`);
  return v[0] ?? '';
}

function time(name: string, raw: unknown): number {
  const ms = epcisTimeToMs(single(name, raw));
  if (ms === undefined)
    throw bad(`${name}: not a timestamp with a time zone (e.g. 2026-03-01T08:00:00+08:00)`);
  return ms;
}

function positive(name: string, raw: unknown): number {
  const v = single(name, raw);
  if (!/^\d{1,9}$/.test(v) || Number(v) < 1) throw bad(`${name}: a positive integer expected`);
  return Number(v);
}

/**
 * Parses query parameters. `options` gives the platform base URL so the platform's own codes
 * (bare or as short links) match what capture stored.
 */
export function parseQuery(params: QueryParams, options: IdentifierOptions): ParsedQuery {
  const filter: {
    -readonly [K in keyof EventFilter]: EventFilter[K];
  } = {};
  const matches: EpcMatch[] = [];
  let eventTime: { ge?: number; lt?: number } | undefined;
  let recordTime: { ge?: number; lt?: number } | undefined;
  let declTime: { ge?: number; lt?: number } | undefined;
  let orderBy: string | undefined;
  let direction: string | undefined;
  let eventCountLimit: number | undefined;
  let maxEventCount: number | undefined;
  const ids = (name: string, raw: unknown) =>
    values(name, raw).map((v) => {
      const c = canonicalIdentifier(v, options);
      if (!c.ok) throw bad(`${name}: ${c.message}`);
      return c.uri;
    });
  for (const [name, raw] of Object.entries(params)) {
    if (raw === undefined || transport.has(name)) continue;
    switch (name) {
      case 'eventType':
        filter.eventTypes = values(name, raw);
        break;
      case 'GE_eventTime':
        eventTime = { ...eventTime, ge: time(name, raw) };
        break;
      case 'LT_eventTime':
        eventTime = { ...eventTime, lt: time(name, raw) };
        break;
      case 'GE_recordTime':
        recordTime = { ...recordTime, ge: time(name, raw) };
        break;
      case 'LT_recordTime':
        recordTime = { ...recordTime, lt: time(name, raw) };
        break;
      case 'GE_errorDeclarationTime':
        declTime = { ...declTime, ge: time(name, raw) };
        break;
      case 'LT_errorDeclarationTime':
        declTime = { ...declTime, lt: time(name, raw) };
        break;
      case 'EQ_action': {
        const v = values(name, raw);
        for (const a of v)
          if (a !== 'ADD' && a !== 'OBSERVE' && a !== 'DELETE')
            throw bad(`${name}: ${a} is not ADD, OBSERVE or DELETE`);
        filter.actions = v;
        break;
      }
      case 'EQ_bizStep':
        filter.bizSteps = values(name, raw).map((v) => normaliseCbv('BizStep', v));
        break;
      case 'EQ_disposition':
        filter.dispositions = values(name, raw).map((v) => normaliseCbv('Disp', v));
        break;
      case 'EQ_errorReason':
        filter.errorReasons = values(name, raw).map((v) => normaliseCbv('ER', v));
        break;
      case 'EQ_readPoint':
        filter.readPoints = ids(name, raw);
        break;
      case 'EQ_bizLocation':
        filter.bizLocations = ids(name, raw);
        break;
      case 'EQ_eventID':
        filter.eventIds = values(name, raw);
        break;
      case 'EXISTS_errorDeclaration':
        filter.errorDeclared = true;
        break;
      case 'orderBy': {
        const v = single(name, raw);
        if (v !== 'eventTime' && v !== 'recordTime')
          throw bad('orderBy: only eventTime and recordTime are supported');
        orderBy = v;
        break;
      }
      case 'orderDirection': {
        const v = single(name, raw);
        if (v !== 'ASC' && v !== 'DESC') throw bad('orderDirection: ASC or DESC');
        direction = v;
        break;
      }
      case 'eventCountLimit':
        eventCountLimit = positive(name, raw);
        break;
      case 'maxEventCount':
        maxEventCount = positive(name, raw);
        break;
      default: {
        const roles = matchRoles[name];
        if (roles === undefined) {
          throw bad(
            `${name} is not a supported query parameter (supported: ${supportedQueryParameters.join(', ')})`,
          );
        }
        const exact: string[] = [];
        const prefixes: string[] = [];
        for (const v of values(name, raw)) {
          const m = identifierMatcher(v, options);
          if (!m.ok) throw bad(`${name}: ${m.message}`);
          exact.push(m.exact);
          if (m.prefix !== undefined) prefixes.push(m.prefix);
        }
        matches.push({ roles, exact, prefixes });
      }
    }
  }
  if (eventTime !== undefined) filter.eventTime = eventTime;
  if (recordTime !== undefined) filter.recordTime = recordTime;
  if (declTime !== undefined) filter.errorDeclarationTime = declTime;
  if (matches.length > 0) filter.matches = matches;
  if (eventCountLimit !== undefined && orderBy === undefined) throw bad('eventCountLimit needs orderBy');
  if (eventCountLimit !== undefined && maxEventCount !== undefined) {
    throw bad('eventCountLimit and maxEventCount cannot be used together');
  }
  // Without orderBy the order is ours to choose: capture order, which pages stably.
  const order: EventOrder =
    orderBy === undefined
      ? { by: 'recordTime', direction: 'ASC' }
      : { by: orderBy as 'eventTime' | 'recordTime', direction: direction === 'ASC' ? 'ASC' : 'DESC' };
  return {
    filter,
    order,
    ordered: orderBy !== undefined,
    ...(eventCountLimit !== undefined ? { eventCountLimit } : {}),
    ...(maxEventCount !== undefined ? { maxEventCount } : {}),
  };
}
