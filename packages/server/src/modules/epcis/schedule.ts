import { AppError } from '../../errors.js';

/** The fields of the binding's QuerySchedule, coarsest last, with their ranges. */
const fields = [
  ['second', 0, 59],
  ['minute', 0, 59],
  ['hour', 0, 23],
  ['dayOfMonth', 1, 31],
  ['month', 1, 12],
  ['dayOfWeek', 1, 7],
] as const;

type Field = (typeof fields)[number][0];

/** A QuerySchedule as sets of allowed values per field (UTC; dayOfWeek 1 = Monday … 7 = Sunday). */
export type QuerySchedule = Readonly<Record<Field, ReadonlySet<number>>>;

/** The schedule as the client gave it, each field a string (or number) as the binding spells it. */
export type RawSchedule = Readonly<Partial<Record<Field, string | number>>>;

function invalid(message: string): AppError {
  return new AppError('TRACE_EPCIS_SUBSCRIPTION_INVALID', message);
}

function range(from: number, to: number): Set<number> {
  const s = new Set<number>();
  for (let i = from; i <= to; i++) s.add(i);
  return s;
}

/** One field: numbers and `[low-high]` ranges, comma-separated (EPCIS 2.0 §8.2.5.3). */
function parseField(name: Field, raw: string | number, min: number, max: number): Set<number> {
  const out = new Set<number>();
  for (const part of String(raw).split(',')) {
    const p = part.trim();
    const single = /^\d{1,2}$/.exec(p);
    const span = /^\[(\d{1,2})-(\d{1,2})\]$/.exec(p);
    const [lo, hi] =
      single !== null
        ? [Number(p), Number(p)]
        : span !== null
          ? [Number(span[1]), Number(span[2])]
          : [NaN, NaN];
    if (!Number.isInteger(lo) || !Number.isInteger(hi) || lo < min || hi > max || lo > hi) {
      throw invalid(`schedule.${name}: "${p}" is not a value from ${min} to ${max} or a [low-high] range`);
    }
    for (let i = lo; i <= hi; i++) out.add(i);
  }
  return out;
}

/**
 * Reads the binding's `schedule` object. A field given must match; a field left out matches
 * anything when it is coarser than the finest field given, and only its least value when it
 * is finer — so `{ hour: "1", minute: "5" }` runs at 01:05:00 every day, as the binding's
 * example means, not every second of that minute. dayOfMonth and dayOfWeek, when both are
 * given, must both match. Times are UTC. A schedule with no field, or one that never matches
 * (`{ dayOfMonth: "31", month: "2" }`), is refused.
 *
 * @example
 * const s = parseSchedule({ hour: '1', minute: '5' });
 * new Date(nextRun(s, Date.parse('2026-03-01T02:00:00Z'))).toISOString(); // '2026-03-02T01:05:00.000Z'
 */
export function parseSchedule(raw: unknown): QuerySchedule {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw))
    throw invalid('schedule must be an object');
  const given = raw as Record<string, unknown>;
  for (const key of Object.keys(given)) {
    if (!fields.some(([f]) => f === key)) throw invalid(`schedule.${key} is not a schedule field`);
  }
  // The finest field given: the ones finer than it default to their least value.
  const order: readonly Field[] = ['second', 'minute', 'hour', 'dayOfMonth', 'month'];
  // dayOfWeek is as fine as dayOfMonth.
  const levels = [
    ...order.flatMap((f, i) => (given[f] === undefined ? [] : [i])),
    ...(given['dayOfWeek'] === undefined ? [] : [order.indexOf('dayOfMonth')]),
  ];
  if (levels.length === 0) throw invalid('schedule names no field');
  const finestIndex = Math.min(...levels);
  const out: Partial<Record<Field, ReadonlySet<number>>> = {};
  for (const [name, min, max] of fields) {
    const v = given[name];
    if (v !== undefined) {
      if (typeof v !== 'string' && typeof v !== 'number') throw invalid(`schedule.${name} must be a string`);
      out[name] = parseField(name, v, min, max);
    } else if (name !== 'dayOfWeek' && order.indexOf(name) < finestIndex) {
      out[name] = new Set([min]);
    } else {
      out[name] = range(min, max);
    }
  }
  const schedule = Object.freeze(out as Record<Field, ReadonlySet<number>>);
  if (nextRun(schedule, Date.UTC(2000, 0, 1)) === undefined) throw invalid('schedule never matches a date');
  return schedule;
}

/** The schedule as stored and shown: each field a string, in the binding's syntax. */
export function scheduleJson(raw: RawSchedule): Record<string, string> {
  return Object.fromEntries(
    fields.flatMap(([f]) => (raw[f] === undefined ? [] : [[f, String(raw[f]).replace(/\s+/g, '')]])),
  );
}

const DAY = 86_400_000;

/**
 * The first time strictly after `afterMs` (whole seconds, UTC) the schedule matches; undefined
 * when none comes in the next 30 years (impossible dates).
 */
export function nextRun(s: QuerySchedule, afterMs: number): number | undefined {
  let t = (Math.floor(afterMs / 1000) + 1) * 1000;
  const limit = afterMs + 30 * 366 * DAY;
  while (t <= limit) {
    const d = new Date(t);
    if (!s.month.has(d.getUTCMonth() + 1)) {
      t = Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 1);
      continue;
    }
    const dow = ((d.getUTCDay() + 6) % 7) + 1;
    if (!s.dayOfMonth.has(d.getUTCDate()) || !s.dayOfWeek.has(dow)) {
      t = Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate() + 1);
      continue;
    }
    if (!s.hour.has(d.getUTCHours())) {
      t = Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate(), d.getUTCHours() + 1);
      continue;
    }
    if (!s.minute.has(d.getUTCMinutes())) {
      t = Date.UTC(
        d.getUTCFullYear(),
        d.getUTCMonth(),
        d.getUTCDate(),
        d.getUTCHours(),
        d.getUTCMinutes() + 1,
      );
      continue;
    }
    if (!s.second.has(d.getUTCSeconds())) {
      t += 1000;
      continue;
    }
    return t;
  }
  return undefined;
}
