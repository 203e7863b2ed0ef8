import QRCode from 'qrcode';

/** Error-correction levels a label may use: M (15 % recoverable) or Q (25 %). */
export type QrErrorCorrection = 'M' | 'Q';

/**
 * A QR symbol as a square of modules, row-major, 1 = dark. Frozen; `modules` is shared, do not
 * write to it.
 *
 * @example
 * const qr = qrMatrix('https://trace.example.cn/c/123456789012345', 'M');
 * qr.size; // 29 (version 3)
 */
export interface QrMatrix {
  readonly size: number;
  readonly version: number;
  readonly errorCorrection: QrErrorCorrection;
  readonly maskPattern: number;
  readonly modules: Uint8Array;
}

/** A filled rectangle in module units: x and y of the top-left module, width and height. */
export type QrRect = readonly [x: number, y: number, width: number, height: number];

/** Format-information bits (ISO/IEC 18004 §7.9): level bits are M = 0b00, Q = 0b11. */
const LEVEL_BITS: Readonly<Record<QrErrorCorrection, number>> = { M: 0b00, Q: 0b11 };

function formatBits(level: QrErrorCorrection, mask: number): number {
  const data = (LEVEL_BITS[level] << 3) | mask;
  let rem = data << 10;
  // BCH(15,5) with generator x^10+x^8+x^5+x^4+x^2+x+1.
  for (let bit = 14; bit >= 10; bit--) if ((rem >> bit) & 1) rem ^= 0x537 << (bit - 10);
  return ((data << 10) | rem) ^ 0x5412;
}

const MASKS: readonly ((row: number, col: number) => boolean)[] = [
  (i, j) => (i + j) % 2 === 0,
  (i) => i % 2 === 0,
  (_i, j) => j % 3 === 0,
  (i, j) => (i + j) % 3 === 0,
  (i, j) => (Math.floor(i / 2) + Math.floor(j / 3)) % 2 === 0,
  (i, j) => ((i * j) % 2) + ((i * j) % 3) === 0,
  (i, j) => (((i * j) % 2) + ((i * j) % 3)) % 2 === 0,
  (i, j) => (((i * j) % 3) + ((i + j) % 2)) % 2 === 0,
];

/** Per symbol size: the 8 mask patterns over the data area, and the format-bit positions. */
interface SizeTables {
  readonly masks: readonly Uint8Array[];
  /** For format bit i: the module indexes of its two copies. */
  readonly formatAt: readonly (readonly [number, number])[];
  /** All format-bit module indexes, flat. */
  readonly formatIndexes: readonly number[];
  /** The masks as bit rows (lo = columns 0–31, hi = 32–63) and bit columns, for sizes ≤ 64. */
  readonly maskRows: readonly Int32Array[];
  readonly maskCols: readonly Int32Array[];
}

const tablesBySize = new Map<number, SizeTables>();

/**
 * Modules as bit lines: for each row, bits 0–31 of `rows[2r]` and bits 0–31 of `rows[2r + 1]`
 * hold columns 0–31 and 32–63; `cols` the same by column. Symbols of version 11 and below
 * (size ≤ 64, URLs up to ~250 bytes at level M) fit.
 */
function toBitLines(modules: Uint8Array, size: number): { rows: Int32Array; cols: Int32Array } {
  const rows = new Int32Array(2 * size);
  const cols = new Int32Array(2 * size);
  for (let r = 0; r < size; r++) {
    for (let c = 0; c < size; c++) {
      if (modules[r * size + c] === 1) {
        const rowWord = 2 * r + (c >> 5);
        const colWord = 2 * c + (r >> 5);
        rows[rowWord] = (rows[rowWord] ?? 0) | (1 << (c & 31));
        cols[colWord] = (cols[colWord] ?? 0) | (1 << (r & 31));
      }
    }
  }
  return { rows, cols };
}

function tablesFor(size: number, reserved: Uint8Array): SizeTables {
  const cached = tablesBySize.get(size);
  if (cached) return cached;
  const masks = MASKS.map((maskAt) => {
    const table = new Uint8Array(size * size);
    for (let row = 0; row < size; row++) {
      for (let col = 0; col < size; col++) {
        const i = row * size + col;
        if (reserved[i] === 0 && maskAt(row, col)) table[i] = 1;
      }
    }
    return table;
  });
  // The same placement as the qrcode module's setupFormatInfo.
  const formatAt: (readonly [number, number])[] = [];
  for (let i = 0; i < 15; i++) {
    const vRow = i < 6 ? i : i < 8 ? i + 1 : size - 15 + i;
    const hCol = i < 8 ? size - i - 1 : i < 9 ? 15 - i : 14 - i;
    formatAt.push([vRow * size + 8, 8 * size + hCol]);
  }
  const lines = size <= 64 ? masks.map((m) => toBitLines(m, size)) : [];
  const tables = {
    masks,
    formatAt,
    formatIndexes: formatAt.flat(),
    maskRows: lines.map((l) => l.rows),
    maskCols: lines.map((l) => l.cols),
  };
  tablesBySize.set(size, tables);
  return tables;
}

/** Set bits of a 32-bit integer. */
function popcount(x: number): number {
  x -= (x >>> 1) & 0x55555555;
  x = (x & 0x33333333) + ((x >>> 2) & 0x33333333);
  return Math.imul((x + (x >>> 4)) & 0x0f0f0f0f, 0x01010101) >>> 24;
}

/** Bits 0..count-1 set, as a (lo, hi) pair; count ≤ 64. */
function lowBits(count: number): readonly [number, number] {
  const lo = count >= 32 ? -1 : (1 << count) - 1;
  const hi = count >= 64 ? -1 : count > 32 ? (1 << (count - 32)) - 1 : 0;
  return [lo, hi];
}

/** The low word of the 64-bit line (lo, hi) shifted down by k (1 ≤ k ≤ 31): module j + k moves to j. */
function shiftLo(lo: number, hi: number, k: number): number {
  return (lo >>> k) | (hi << (32 - k));
}

/** N1 (runs of 5 or more) and N3 (finder-like patterns) of one line, as n1 + n3 * 65536 (n1 < 64). */
function linePenalty(
  lo: number,
  hi: number,
  v1lo: number,
  v1hi: number,
  v10lo: number,
  v10hi: number,
): number {
  // N1: E marks modules equal to the next; W marks windows of 5 equal modules. A run of
  // L ≥ 5 holds L − 4 windows, and its penalty 3 + (L − 5) is that plus 2 per run.
  const eLo = ~(lo ^ shiftLo(lo, hi, 1)) & v1lo;
  const eHi = ~(hi ^ (hi >>> 1)) & v1hi;
  const wLo = eLo & shiftLo(eLo, eHi, 1) & shiftLo(eLo, eHi, 2) & shiftLo(eLo, eHi, 3);
  const wHi = eHi & (eHi >>> 1) & (eHi >>> 2) & (eHi >>> 3);
  const startLo = wLo & ~(wLo << 1);
  const startHi = wHi & ~((wHi << 1) | (wLo >>> 31));
  const n1 = popcount(wLo) + popcount(wHi) + 2 * (popcount(startLo) + popcount(startHi));
  // N3: 1011101 with 0000 after (0x5D0) or before (0x05D) it, over 11-module windows.
  const a1 = shiftLo(lo, hi, 1);
  const a2 = shiftLo(lo, hi, 2);
  const a3 = shiftLo(lo, hi, 3);
  const a4 = shiftLo(lo, hi, 4);
  const a5 = shiftLo(lo, hi, 5);
  const a6 = shiftLo(lo, hi, 6);
  const a7 = shiftLo(lo, hi, 7);
  const a8 = shiftLo(lo, hi, 8);
  const a9 = shiftLo(lo, hi, 9);
  const a10 = shiftLo(lo, hi, 10);
  const core = ~a1 & a4 & ~a5 & a6;
  const pLo = lo & core & a2 & a3 & ~a7 & ~a8 & ~a9 & ~a10 & v10lo;
  const qLo = ~lo & core & ~a2 & ~a3 & a7 & a8 & ~a9 & a10 & v10lo;
  const b1 = hi >>> 1;
  const b4 = hi >>> 4;
  const b6 = hi >>> 6;
  const coreHi = ~b1 & b4 & ~(hi >>> 5) & b6;
  const pHi =
    hi & coreHi & (hi >>> 2) & (hi >>> 3) & ~(hi >>> 7) & ~(hi >>> 8) & ~(hi >>> 9) & ~(hi >>> 10) & v10hi;
  const qHi =
    ~hi & coreHi & ~(hi >>> 2) & ~(hi >>> 3) & (hi >>> 7) & (hi >>> 8) & ~(hi >>> 9) & (hi >>> 10) & v10hi;
  const n3 = popcount(pLo) + popcount(qLo) + popcount(pHi) + popcount(qHi);
  return n1 + n3 * 65536;
}

/**
 * The same penalty as {@link penalty} over bit lines, 32 modules per operation: N1 and N3
 * per row and column, N2 from pairs of rows, N4 from the dark count.
 */
function penaltyBits(rows: Int32Array, cols: Int32Array, size: number): number {
  const [v1lo, v1hi] = lowBits(size - 1);
  const [v10lo, v10hi] = lowBits(Math.max(0, size - 10));
  let n13 = 0;
  let n2 = 0;
  let dark = 0;
  for (let r = 0; r < size; r++) {
    const lo = rows[2 * r] ?? 0;
    const hi = rows[2 * r + 1] ?? 0;
    n13 += linePenalty(lo, hi, v1lo, v1hi, v10lo, v10hi);
    n13 += linePenalty(cols[2 * r] ?? 0, cols[2 * r + 1] ?? 0, v1lo, v1hi, v10lo, v10hi);
    dark += popcount(lo) + popcount(hi);
    if (r < size - 1) {
      // A 2×2 block of one colour at j: rows equal at j and j + 1, and the row equal along j.
      const vLo = ~(lo ^ (rows[2 * r + 2] ?? 0));
      const vHi = ~(hi ^ (rows[2 * r + 3] ?? 0));
      const hLo = ~(lo ^ shiftLo(lo, hi, 1));
      const hHi = ~(hi ^ (hi >>> 1));
      n2 += popcount(vLo & shiftLo(vLo, vHi, 1) & hLo & v1lo) + popcount(vHi & (vHi >>> 1) & hHi & v1hi);
    }
  }
  const n1 = n13 % 65536;
  const n3 = Math.floor(n13 / 65536);
  const k = Math.abs(Math.ceil((dark * 100) / (size * size) / 5) - 10);
  return n1 + n2 * 3 + n3 * 40 + k * 10;
}

/**
 * The mask penalty of ISO/IEC 18004 §7.8.3 computed exactly as the qrcode module does (same
 * N1–N4 rules and weights), module by module: the fallback for symbols larger than 64.
 */
function penalty(m: Uint8Array, size: number): number {
  let n1 = 0;
  let n2 = 0;
  let n3 = 0;
  let dark = 0;
  for (let a = 0; a < size; a++) {
    let runRow = 0;
    let runCol = 0;
    let lastRow = 2;
    let lastCol = 2;
    let bitsRow = 0;
    let bitsCol = 0;
    for (let b = 0; b < size; b++) {
      const inRow = m[a * size + b] ?? 0;
      const inCol = m[b * size + a] ?? 0;
      // A run of length L adds 3 when it reaches 5 and 1 per module after: 3 + (L − 5).
      runRow = inRow === lastRow ? runRow + 1 : 1;
      runCol = inCol === lastCol ? runCol + 1 : 1;
      lastRow = inRow;
      lastCol = inCol;
      n1 += (runRow === 5 ? 3 : runRow > 5 ? 1 : 0) + (runCol === 5 ? 3 : runCol > 5 ? 1 : 0);
      bitsRow = ((bitsRow << 1) & 0x7ff) | inRow;
      bitsCol = ((bitsCol << 1) & 0x7ff) | inCol;
      if (b >= 10) {
        if (bitsRow === 0x5d0 || bitsRow === 0x05d) n3++;
        if (bitsCol === 0x5d0 || bitsCol === 0x05d) n3++;
      }
      dark += inRow;
      if (a < size - 1 && b < size - 1) {
        const sum =
          inRow +
          (m[a * size + b + 1] ?? 0) +
          (m[(a + 1) * size + b] ?? 0) +
          (m[(a + 1) * size + b + 1] ?? 0);
        if (sum === 0 || sum === 4) n2++;
      }
    }
  }
  const k = Math.abs(Math.ceil((dark * 100) / (size * size) / 5) - 10);
  return n1 + n2 * 3 + n3 * 40 + k * 10;
}

/** Writes the format information of (level, mask) and the dark module into `modules`. */
function writeFormat(
  modules: Uint8Array,
  size: number,
  tables: SizeTables,
  level: QrErrorCorrection,
  mask: number,
): void {
  const bits = formatBits(level, mask);
  tables.formatAt.forEach(([v, h], i) => {
    const bit = (bits >> i) & 1;
    modules[v] = bit;
    modules[h] = bit;
  });
  modules[(size - 8) * size + 8] = 1;
}

/** Segment modes and lengths per URL shape (digits as 0) and level; see {@link symbolWithMask0}. */
const segmentPlans = new Map<
  string,
  readonly { readonly mode: 'numeric' | 'alphanumeric' | 'byte'; readonly length: number }[]
>();
const MAX_SEGMENT_PLANS = 256;
const ascii = new TextEncoder();

/**
 * The qrcode module's symbol with mask 0. Finding the shortest mix of numeric, alphanumeric and
 * byte segments (a shortest path over a graph) is a tenth of its time, and depends only on
 * which class each character falls in: for printable ASCII, the URL with every digit read as
 * 0. The codes of a job share that shape, so the segmentation of the first is reused.
 */
function symbolWithMask0(text: string, level: QrErrorCorrection): QRCode.QRCode {
  const options = { errorCorrectionLevel: level, maskPattern: 0 } as const;
  if (!/^[\x20-\x7e]+$/.test(text)) return QRCode.create(text, options);
  const key = `${level}${text.replace(/[0-9]/g, '0')}`;
  const plan = segmentPlans.get(key);
  if (plan) {
    let at = 0;
    const segments = plan.map(({ mode, length }): QRCode.QRCodeSegment => {
      const data = text.slice(at, at + length);
      at += length;
      switch (mode) {
        case 'numeric':
          return { data, mode };
        case 'alphanumeric':
          return { data, mode };
        case 'byte':
          return { data: ascii.encode(data), mode };
      }
    });
    return QRCode.create(segments, options);
  }
  const symbol = QRCode.create(text, options);
  const modes = { Numeric: 'numeric', Alphanumeric: 'alphanumeric', Byte: 'byte' } as const;
  const shape: { mode: 'numeric' | 'alphanumeric' | 'byte'; length: number }[] = [];
  for (const segment of symbol.segments) {
    const mode = segment.mode.id === 'Kanji' ? undefined : modes[segment.mode.id];
    if (!mode) return symbol;
    shape.push({ mode, length: segment.getLength() });
  }
  if (segmentPlans.size >= MAX_SEGMENT_PLANS) segmentPlans.clear();
  segmentPlans.set(key, shape);
  return symbol;
}

/**
 * Encodes `text` as a QR symbol: the same segments, version, mask and modules as
 * `QRCode.create(text, { errorCorrectionLevel })` (a test holds the two in step), several
 * times faster. The qrcode module spends ~90 % of its time choosing the mask: 8 trial
 * maskings scored through a function call per module. Here the symbol is built once with
 * mask 0, unmasked, and the 8 candidates are scored over bit lines, 32 modules an operation.
 *
 * @example
 * const qr = qrMatrix('https://trace.example.cn/01/06901234567892/21/123456789012345', 'Q');
 */
export function qrMatrix(text: string, errorCorrection: QrErrorCorrection): QrMatrix {
  const symbol = symbolWithMask0(text, errorCorrection);
  const { size, data, reservedBit } = symbol.modules;
  const tables = tablesFor(size, reservedBit);
  const n = size * size;
  const mask0 = tables.masks[0] ?? new Uint8Array(n);
  let bestMask = 0;
  let bestPenalty = Infinity;
  if (size <= 64) {
    // Unmask (mask 0 again), then per candidate: mask, write its format bits, score.
    const { rows: baseRows, cols: baseCols } = toBitLines(data, size);
    const mask0Rows = tables.maskRows[0] ?? baseRows;
    const mask0Cols = tables.maskCols[0] ?? baseCols;
    for (let i = 0; i < 2 * size; i++) {
      baseRows[i] = (baseRows[i] ?? 0) ^ (mask0Rows[i] ?? 0);
      baseCols[i] = (baseCols[i] ?? 0) ^ (mask0Cols[i] ?? 0);
    }
    const rows = new Int32Array(2 * size);
    const cols = new Int32Array(2 * size);
    const formatted = new Uint8Array(n);
    for (let p = 0; p < 8; p++) {
      const maskRows = tables.maskRows[p] ?? baseRows;
      const maskCols = tables.maskCols[p] ?? baseCols;
      for (let i = 0; i < 2 * size; i++) {
        rows[i] = (baseRows[i] ?? 0) ^ (maskRows[i] ?? 0);
        cols[i] = (baseCols[i] ?? 0) ^ (maskCols[i] ?? 0);
      }
      writeFormat(formatted, size, tables, errorCorrection, p);
      for (const index of tables.formatIndexes) {
        const r = (index / size) | 0;
        const c = index - r * size;
        const rowWord = 2 * r + (c >> 5);
        const colWord = 2 * c + (r >> 5);
        if (formatted[index] === 1) {
          rows[rowWord] = (rows[rowWord] ?? 0) | (1 << (c & 31));
          cols[colWord] = (cols[colWord] ?? 0) | (1 << (r & 31));
        } else {
          rows[rowWord] = (rows[rowWord] ?? 0) & ~(1 << (c & 31));
          cols[colWord] = (cols[colWord] ?? 0) & ~(1 << (r & 31));
        }
      }
      const score = penaltyBits(rows, cols, size);
      if (score < bestPenalty) {
        bestPenalty = score;
        bestMask = p;
      }
    }
  } else {
    const candidate = new Uint8Array(n);
    for (let p = 0; p < 8; p++) {
      const mask = tables.masks[p] ?? mask0;
      for (let i = 0; i < n; i++) candidate[i] = (data[i] ?? 0) ^ (mask0[i] ?? 0) ^ (mask[i] ?? 0);
      writeFormat(candidate, size, tables, errorCorrection, p);
      const score = penalty(candidate, size);
      if (score < bestPenalty) {
        bestPenalty = score;
        bestMask = p;
      }
    }
  }
  const best = tables.masks[bestMask] ?? mask0;
  const modules = new Uint8Array(n);
  for (let i = 0; i < n; i++) modules[i] = (data[i] ?? 0) ^ (mask0[i] ?? 0) ^ (best[i] ?? 0);
  writeFormat(modules, size, tables, errorCorrection, bestMask);
  return Object.freeze({ size, version: symbol.version, errorCorrection, maskPattern: bestMask, modules });
}

/**
 * Calls `emit` for the dark modules of a symbol as few rectangles: horizontal runs, merged
 * down through consecutive rows while a run keeps the same extent. About half the rectangles
 * of one per run, so shorter content streams; filled as one path, so no seams between them.
 */
function forEachRect(
  qr: Pick<QrMatrix, 'size' | 'modules'>,
  emit: (x: number, y: number, w: number, h: number) => void,
): void {
  const { size, modules } = qr;
  // For each run start x: the end of the run open from the row above (0 = none) and its top.
  let openEnd = new Int16Array(size);
  let openTop = new Int16Array(size);
  let nextEnd = new Int16Array(size);
  let nextTop = new Int16Array(size);
  for (let y = 0; y <= size; y++) {
    nextEnd.fill(0);
    let x = 0;
    while (y < size && x < size) {
      if (modules[y * size + x] !== 1) {
        x++;
        continue;
      }
      const x0 = x;
      while (x < size && modules[y * size + x] === 1) x++;
      nextEnd[x0] = x;
      if (openEnd[x0] === x) {
        nextTop[x0] = openTop[x0] ?? y;
        openEnd[x0] = 0; // carried on, not closed
      } else {
        nextTop[x0] = y;
      }
    }
    for (let x0 = 0; x0 < size; x0++) {
      const end = openEnd[x0] ?? 0;
      if (end !== 0) {
        const top = openTop[x0] ?? 0;
        emit(x0, top, end - x0, y - top);
      }
    }
    [openEnd, nextEnd] = [nextEnd, openEnd];
    [openTop, nextTop] = [nextTop, openTop];
  }
}

/**
 * The dark modules of a symbol as rectangles in module units (see {@link qrPathOps}); drawn
 * together they cover exactly the dark modules.
 *
 * @example
 * qrRects(qrMatrix(url, 'M')).length; // ~170 for a version-4 symbol, against ~330 runs
 */
export function qrRects(qr: Pick<QrMatrix, 'size' | 'modules'>): QrRect[] {
  const rects: QrRect[] = [];
  forEachRect(qr, (x, y, w, h) => rects.push([x, y, w, h]));
  return rects;
}

/**
 * PDF path operators (`x y w h re`, one per rectangle of {@link qrRects}, module units) for
 * the dark modules; the caller scales them with `cm` and fills once.
 */
export function qrPathOps(qr: Pick<QrMatrix, 'size' | 'modules'>): string {
  let ops = '';
  forEachRect(qr, (x, y, w, h) => {
    ops += `${x} ${y} ${w} ${h} re\n`;
  });
  return ops;
}
