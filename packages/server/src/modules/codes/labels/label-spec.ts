/**
 * What a label sheet looks like: layout, colour, size and sheet, and the checks that keep a
 * label printable (2:3 ratio, a QR big enough to scan). Pure: no I/O.
 */

/**
 * The label layouts. Each has a QR, the code digits, a platform mark and the Chinese product
 * name, and works in both orientations (portrait 2:3 and landscape 3:2):
 * - `classic`: a band of the brand colour across the top with the mark and the platform name;
 * - `framed`: a thin frame of the brand colour, the platform name in a title line, the product
 *   name on a colour strip at the foot;
 * - `sidebar`: a band of the brand colour down the left edge carrying the platform name
 *   vertically (read top to bottom), leaving the rest of the label to the QR and the text.
 */
export const LABEL_LAYOUTS = Object.freeze(['classic', 'framed', 'sidebar'] as const);

/** One of {@link LABEL_LAYOUTS}. */
export type LabelLayout = (typeof LABEL_LAYOUTS)[number];

/** The brand colours of PRODUCT.md §3, as sRGB hex. */
export const LABEL_COLOURS = Object.freeze({
  red: '#D41819',
  orange: '#FFCC00',
  green: '#316464',
  blue: '#468CC8',
} as const);

/** One of the keys of {@link LABEL_COLOURS}: `red`, `orange`, `green` (dark green) or `blue`. */
export type LabelColour = keyof typeof LABEL_COLOURS;

/** Sheets: A4 pages with a grid of labels, or a roll (one label per page, page = label). */
export type LabelSheet = 'a4' | 'roll';

/**
 * A label sheet to print. Sizes are in millimetres and must have the ratio 2:3 (portrait, e.g.
 * 20 × 30, the suggested size) or 3:2 (landscape, e.g. 30 × 20).
 *
 * @example
 * const spec: LabelSpec = { layout: 'classic', colour: 'red', widthMm: 20, heightMm: 30, sheet: 'a4' };
 */
export interface LabelSpec {
  readonly layout: LabelLayout;
  readonly colour: LabelColour;
  readonly widthMm: number;
  readonly heightMm: number;
  readonly sheet: LabelSheet;
  /** A4 only: the page margin around the grid, where the crop marks go. Default 10 mm. */
  readonly marginMm?: number;
  /** A4 only: the space between labels. Default 2 mm. */
  readonly gapMm?: number;
}

/** The words printed on every label of a sheet. */
export interface LabelText {
  /** The product name in Chinese, e.g. `五常有机稻花香大米`; shrunk, then shortened with … to fit. */
  readonly productName: string;
  /** The brand, printed small beside the hint when there is room. */
  readonly brandName?: string;
  /** The platform mark's words, e.g. `产品追溯防伪`. */
  readonly platformName: string;
  /** A short call to action, e.g. `扫码验真伪`. */
  readonly hint?: string;
}

/** One label: the code printed in digits, the URL its QR encodes, and an optional hidden PIN. */
export interface LabelItem {
  readonly code: string;
  /** `https://HOST/c/{code}` or the GS1 Digital Link `https://HOST/01/{gtin14}/21/{code}`. */
  readonly url: string;
  /** Printed under a scratch-off coating (刮开涂层) when given. */
  readonly pin?: string;
}

/** The result of {@link validateLabelSpec}. */
export type LabelSpecCheck = { readonly ok: true } | { readonly ok: false; readonly problem: string };

/** The shortest side that still carries a QR a phone reads reliably (~0.3 mm modules). */
export const MIN_LABEL_SHORT_SIDE_MM = 15;
/** The longest side accepted: anything larger is a poster, not a label. */
export const MAX_LABEL_LONG_SIDE_MM = 180;
/** A4 in millimetres. */
export const A4_MM = Object.freeze({ width: 210, height: 297 });
/** Defaults for the optional fields of {@link LabelSpec}. */
export const LABEL_SPEC_DEFAULTS = Object.freeze({ marginMm: 10, gapMm: 2 });

/** The 2:3 ratio is checked to this many millimetres on the long side (so 26.7 × 40 passes). */
const RATIO_TOLERANCE_MM = 0.1;

const isLayout = (value: unknown): value is LabelLayout =>
  typeof value === 'string' && (LABEL_LAYOUTS as readonly string[]).includes(value);
const isColour = (value: unknown): value is LabelColour =>
  typeof value === 'string' && Object.hasOwn(LABEL_COLOURS, value);
const isSize = (value: unknown): value is number =>
  typeof value === 'number' && Number.isFinite(value) && value > 0;

/** Where the labels of one A4 page go, in millimetres from the top-left corner of the page. */
export interface SheetGrid {
  readonly columns: number;
  readonly rows: number;
  /** Top-left corner of the first label; the grid is centred on the page. */
  readonly left: number;
  readonly top: number;
  /** Distance between the top-left corners of neighbouring labels. */
  readonly stepX: number;
  readonly stepY: number;
}

/** The grid of an A4 sheet: as many labels as fit inside the margins, centred. */
export function sheetGrid(spec: LabelSpec): SheetGrid {
  const margin = spec.marginMm ?? LABEL_SPEC_DEFAULTS.marginMm;
  const gap = spec.gapMm ?? LABEL_SPEC_DEFAULTS.gapMm;
  const fit = (room: number, size: number): number =>
    Math.max(0, Math.floor((room + gap + 1e-9) / (size + gap)));
  const columns = fit(A4_MM.width - 2 * margin, spec.widthMm);
  const rows = fit(A4_MM.height - 2 * margin, spec.heightMm);
  const usedWidth = columns * spec.widthMm + Math.max(0, columns - 1) * gap;
  const usedHeight = rows * spec.heightMm + Math.max(0, rows - 1) * gap;
  return Object.freeze({
    columns,
    rows,
    left: (A4_MM.width - usedWidth) / 2,
    top: (A4_MM.height - usedHeight) / 2,
    stepX: spec.widthMm + gap,
    stepY: spec.heightMm + gap,
  });
}

/**
 * Checks a spec before any work: known layout, colour and sheet; sides in the ratio 2:3 or 3:2;
 * the short side at least {@link MIN_LABEL_SHORT_SIDE_MM}; margins and gaps sensible; and on
 * A4 at least one label per page. Accepts `unknown` so it can guard input straight from a
 * request or the command line.
 *
 * @example
 * validateLabelSpec({ layout: 'classic', colour: 'red', widthMm: 20, heightMm: 25, sheet: 'a4' });
 * // { ok: false, problem: 'A label must have the ratio 2:3 (e.g. 20 × 30 mm); 20 × 25 mm is not.' }
 */
export function validateLabelSpec(spec: unknown): LabelSpecCheck {
  const fail = (problem: string): LabelSpecCheck => ({ ok: false, problem });
  if (typeof spec !== 'object' || spec === null) return fail('The label spec must be an object.');
  const s = spec as Record<string, unknown>;
  if (!isLayout(s.layout))
    return fail(`Unknown layout ${JSON.stringify(s.layout)}; use one of ${LABEL_LAYOUTS.join(', ')}.`);
  if (!isColour(s.colour)) {
    return fail(
      `Unknown colour ${JSON.stringify(s.colour)}; use one of ${Object.keys(LABEL_COLOURS).join(', ')}.`,
    );
  }
  if (s.sheet !== 'a4' && s.sheet !== 'roll')
    return fail(`Unknown sheet ${JSON.stringify(s.sheet)}; use a4 or roll.`);
  if (!isSize(s.widthMm) || !isSize(s.heightMm))
    return fail('Label width and height must be positive numbers of millimetres.');
  const short = Math.min(s.widthMm, s.heightMm);
  const long = Math.max(s.widthMm, s.heightMm);
  if (Math.abs(short * 1.5 - long) > RATIO_TOLERANCE_MM) {
    return fail(`A label must have the ratio 2:3 (e.g. 20 × 30 mm); ${s.widthMm} × ${s.heightMm} mm is not.`);
  }
  if (short < MIN_LABEL_SHORT_SIDE_MM) {
    return fail(
      `The short side must be at least ${MIN_LABEL_SHORT_SIDE_MM} mm for a QR that scans; it is ${short} mm.`,
    );
  }
  if (long > MAX_LABEL_LONG_SIDE_MM)
    return fail(`The long side must be at most ${MAX_LABEL_LONG_SIDE_MM} mm.`);
  for (const key of ['marginMm', 'gapMm'] as const) {
    const value = s[key];
    if (
      value !== undefined &&
      (typeof value !== 'number' || !Number.isFinite(value) || value < 0 || value > 40)
    ) {
      return fail(`${key} must be a number of millimetres from 0 to 40.`);
    }
  }
  if (s.sheet === 'a4') {
    const grid = sheetGrid(spec as LabelSpec);
    if (grid.columns * grid.rows === 0) return fail('The label does not fit on A4 inside the margins.');
  }
  return { ok: true };
}

/**
 * Labels per page: the A4 grid, or 1 on a roll (each page is one label).
 *
 * @example
 * labelsPerPage({ layout: 'classic', colour: 'red', widthMm: 20, heightMm: 30, sheet: 'a4' }); // 64
 */
export function labelsPerPage(spec: LabelSpec): number {
  if (spec.sheet === 'roll') return 1;
  const grid = sheetGrid(spec);
  return grid.columns * grid.rows;
}

/** Thrown by the renderers for a spec that {@link validateLabelSpec} rejects. */
export class LabelSpecError extends RangeError {
  /** Stable code, for the error catalogue. */
  readonly code = 'TRACE_CODES_LABEL_SPEC_INVALID';
  constructor(readonly problem: string) {
    super(problem);
    this.name = 'LabelSpecError';
  }
}

/** Throws {@link LabelSpecError} unless the spec is valid. */
export function assertLabelSpec(spec: LabelSpec): void {
  const check = validateLabelSpec(spec);
  if (!check.ok) throw new LabelSpecError(check.problem);
}
