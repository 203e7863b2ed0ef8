import type { Migration } from 'kysely';
import * as accounts from './2026-11-27-0001-accounts.js';
import * as enterprises from './2026-11-27-0002-enterprises.js';
import * as products from './2026-11-27-0003-products.js';
import * as codes from './2026-11-27-0004-codes.js';
import * as scans from './2026-11-27-0005-scans.js';
import * as events from './2026-11-27-0006-events.js';
import * as trace from './2026-11-27-0007-trace.js';
import * as traceActions from './2026-11-27-0008-trace-actions.js';

import * as codeQueryPrevious from './2026-11-27-0009-code-query-previous.js';
import * as recalledHoldings from './2026-11-27-0010-recalled-holdings.js';
import * as epcisSchedulesShares from './2026-11-27-0011-epcis-schedules-shares.js';
import * as scanChain from './2026-11-27-0012-scan-chain.js';
import * as eventHashByTime from './2026-11-27-0013-event-hash-by-time.js';
/**
 * Every migration, by name; names sort in the order they run. A migration that has shipped is
 * never edited: add a new one.
 */
export const migrations: Readonly<Record<string, Migration>> = Object.freeze({
  '2026-11-27-0001-accounts': accounts,
  '2026-11-27-0002-enterprises': enterprises,
  '2026-11-27-0003-products': products,
  '2026-11-27-0004-codes': codes,
  '2026-11-27-0005-scans': scans,
  '2026-11-27-0006-events': events,
  '2026-11-27-0007-trace': trace,
  '2026-11-27-0008-trace-actions': traceActions,
  '2026-11-27-0009-code-query-previous': codeQueryPrevious,
  '2026-11-27-0010-recalled-holdings': recalledHoldings,
  '2026-11-27-0011-epcis-schedules-shares': epcisSchedulesShares,
  '2026-11-27-0012-scan-chain': scanChain,
  '2026-11-27-0013-event-hash-by-time': eventHashByTime,
});
