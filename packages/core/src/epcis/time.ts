/**
 * EPCIS timestamps: XSD dateTime with a mandatory offset (`2022-02-16T20:33:31.116000-06:00`,
 * `…Z`). Parsed by hand rather than with `Date.parse`, which accepts other shapes and varies by
 * engine, and so fractions beyond milliseconds round the way the CBV event hash says.
 */

const pattern = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(?:\.(\d+))?(Z|[+-]\d{2}:\d{2})$/;

/**
 * Epoch milliseconds of an EPCIS timestamp, fractions rounded to the millisecond (half up), or
 * undefined when the text is not a dateTime with an offset.
 *
 * @example
 * epcisTimeToMs('2022-02-16T20:33:31.116000-06:00'); // 1645065211116
 */
export function epcisTimeToMs(text: string): number | undefined {
  const m = pattern.exec(text.trim());
  if (m === null) return undefined;
  const [, y, mo, d, h, mi, s, frac = '', zone = 'Z'] = m;
  const fraction = frac.length === 0 ? 0 : Math.round(Number(`0.${frac}`) * 1000);
  let offsetMin = 0;
  if (zone !== 'Z') {
    const sign = zone.startsWith('-') ? -1 : 1;
    offsetMin = sign * (Number(zone.slice(1, 3)) * 60 + Number(zone.slice(4, 6)));
  }
  const base = Date.UTC(Number(y), Number(mo) - 1, Number(d), Number(h), Number(mi), Number(s));
  if (Number.isNaN(base)) return undefined;
  return base + fraction - offsetMin * 60_000;
}

/**
 * The CBV 2.0 event-hash form of a timestamp: UTC, millisecond precision, `Z`
 * (`2022-02-17T02:33:31.116Z`). Text that is not a timestamp is returned unchanged.
 */
export function canonicalEpcisTime(text: string): string {
  const ms = epcisTimeToMs(text);
  return ms === undefined ? text : new Date(ms).toISOString();
}

/** An instant as an EPCIS timestamp in UTC (`2026-11-27T08:00:00.000Z`). */
export function msToEpcisTime(ms: number): string {
  return new Date(ms).toISOString();
}
