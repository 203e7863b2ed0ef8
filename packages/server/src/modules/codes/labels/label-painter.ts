import type { LabelFontWeight } from './label-fonts.js';
import {
  LABEL_COLOURS,
  type LabelColour,
  type LabelItem,
  type LabelSpec,
  type LabelText,
} from './label-spec.js';
import { qrMatrix, qrPathOps, type QrErrorCorrection, type QrMatrix } from './qr-matrix.js';

/** Points per millimetre (PDF user space is 1/72 inch). */
export const PT_PER_MM = 72 / 25.4;

/** Modules of quiet zone drawn inside the QR box; the label's white padding adds more. */
export const QR_QUIET_MODULES = 2;

/**
 * The smallest module for error-correction level Q; below it the label uses M, which needs
 * fewer modules. 0.35 mm is ~4 dots of a 300 dpi label printer, ~3 of a 203 dpi one.
 */
const MIN_MODULE_MM_FOR_Q = 0.35;

/** The drawing surface: a pdfkit document with the fonts `regular` and `bold` registered. */
export type LabelCanvas = PDFKit.PDFDocument;

/** Colours derived from a brand colour: the fill, text on the fill, and text on white. */
interface Palette {
  readonly fill: string;
  readonly onFill: Colour;
  readonly accent: Colour;
}

/** A colour as pdfkit takes it: sRGB hex, or CMYK percentages. */
export type Colour = string | [number, number, number, number];

/**
 * Black text and QR modules print in black ink only (CMYK K): a converted RGB black becomes a
 * four-ink "rich black" whose misregistration blurs 0.35 mm modules and 5 pt digits.
 */
const QR_BLACK: Colour = [0, 0, 0, 100];
const INK: Colour = [0, 0, 0, 92];
const MUTED: Colour = [0, 0, 0, 68];
const WHITE = '#FFFFFF';

/** White on #FFCC00 has a contrast of 1.5:1, unreadable: orange labels put dark ink on it. */
const PALETTES: Readonly<Record<LabelColour, Palette>> = {
  red: { fill: LABEL_COLOURS.red, onFill: WHITE, accent: LABEL_COLOURS.red },
  orange: { fill: LABEL_COLOURS.orange, onFill: INK, accent: INK },
  green: { fill: LABEL_COLOURS.green, onFill: WHITE, accent: LABEL_COLOURS.green },
  blue: { fill: LABEL_COLOURS.blue, onFill: WHITE, accent: LABEL_COLOURS.blue },
};

/**
 * Vertical metrics of Noto Sans SC in em: ideographs sit between 0.88 above and 0.12 below the
 * baseline; digits reach the cap height.
 */
const CJK_ASCENT = 0.88;
const CJK_DESCENT = 0.12;
const CAP_HEIGHT = 0.733;

/** Type sizes in points for a label whose short side is 20 mm; larger labels scale them. */
const TYPE = Object.freeze({
  platform: 5.6,
  platformMin: 4.4,
  product: 6.4,
  productMin: 4.6,
  digits: 6.2,
  digitsMin: 5.2,
  footer: 4.4,
  footerMin: 3.8,
  pinCaption: 4.2,
  pin: 6.2,
  pinMin: 5.0,
});

/**
 * Joins code groups with an en space (U+2002, half an em): a plain space (0.22 em) runs the
 * groups together at 6 pt.
 */
const GROUP_GAP = '\u2002';

const segmenter = new Intl.Segmenter('zh-CN', { granularity: 'grapheme' });

/** The user-perceived characters of `text`: where lines may break and where … may cut. */
function graphemes(text: string): string[] {
  return Array.from(segmenter.segment(text), (s) => s.segment);
}

/** Splits a code into groups of 4 characters, the way it is printed and read aloud. */
export function groupCode(code: string): string[] {
  const groups: string[] = [];
  for (let i = 0; i < code.length; i += 4) groups.push(code.slice(i, i + 4));
  return groups;
}

type Draw = (doc: LabelCanvas) => void;

/** A run of text at a fixed place: `baseline` is the y of the alphabetic baseline. */
interface TextRun {
  readonly text: string;
  readonly weight: LabelFontWeight;
  readonly size: number;
  readonly x: number;
  readonly baseline: number;
  readonly colour: Colour;
}

interface DigitsPlan {
  readonly groupsPerLine: readonly number[];
  readonly size: number;
  /** Lines are centred on this x. */
  readonly centreX: number;
  readonly baselines: readonly number[];
}

interface PinPlan {
  readonly centreX: number;
  readonly baseline: number;
  readonly size: number;
}

/** Where one label's parts go, relative to its top-left corner, in points. */
interface LabelPlan {
  /** Everything identical on every label of the sheet: bands, frame, mark, fixed words. */
  readonly shapes: readonly Draw[];
  readonly runs: readonly TextRun[];
  /** The QR box, quiet zone included. */
  readonly qr: { readonly x: number; readonly y: number; readonly side: number };
  readonly digits: DigitsPlan;
  readonly pin: PinPlan | undefined;
}

/** A plan's fixed parts recorded once per document as a PDF form XObject. */
interface StaticForm {
  readonly name: string;
  readonly ref: PDFKit.PDFKitReference;
}

/** pdfkit's embedded font as far as the digit writer uses it (not in pdfkit's typings). */
interface EmbeddedFont {
  readonly id: string;
  encode(
    text: string,
  ): [string[], { xAdvance: number; advanceWidth: number; xOffset: number; yOffset: number }[]];
  ref(): PDFKit.PDFKitReference;
}

/** A character's glyph in the document's subset of a font, and its advance in 1/1000 em. */
interface Glyph {
  readonly font: EmbeddedFont;
  readonly hex: string;
  readonly advance: number;
}

/** What placing blocks produces. */
interface Sink {
  readonly shapes: Draw[];
  readonly runs: TextRun[];
  digits?: DigitsPlan;
  pin?: PinPlan;
}

/** A block of a text column: its height, whether it had to cut or shrink text too far, and how to place it. */
interface Block {
  readonly height: number;
  readonly degraded: boolean;
  readonly place: (top: number, sink: Sink) => void;
}

interface Rect {
  readonly x: number;
  readonly y: number;
  readonly w: number;
  readonly h: number;
}

/** What a layout asks of its text column. */
interface ColumnNeeds {
  /** The product name goes in the column (not on a strip of the layout). */
  readonly name: boolean;
  /** A title block (mark + platform name) heads the column. */
  readonly title: boolean;
}

/**
 * Draws labels of one spec and text onto a pdfkit document. Holds per-document state: the
 * layout plan, computed once per code length and PIN presence (the fixed words measure the
 * same on every label), and the QR error-correction level per URL length.
 *
 * Each layout reserves its chrome (band, frame, sidebar), then gives the QR as much room as the
 * text column allows: the product name may wrap to two lines, the footer (brand · hint) goes
 * first when room runs out, and text is cut with … only when nothing else fits.
 */
export class LabelPainter {
  readonly #doc: LabelCanvas;
  readonly #spec: LabelSpec;
  readonly #text: LabelText;
  readonly #palette: Palette;
  /** Scale of the design, drawn for a 20 mm short side. */
  readonly #k: number;
  readonly #w: number;
  readonly #h: number;
  readonly #plans = new Map<string, LabelPlan>();
  readonly #forms = new Map<LabelPlan, StaticForm>();
  readonly #fonts = new Map<LabelFontWeight, EmbeddedFont | null>();
  readonly #glyphs = new Map<string, Glyph | null>();
  readonly #levelByUrlLength = new Map<number, QrErrorCorrection>();

  constructor(doc: LabelCanvas, spec: LabelSpec, text: LabelText) {
    this.#doc = doc;
    this.#spec = spec;
    this.#text = text;
    this.#palette = PALETTES[spec.colour];
    this.#k = Math.min(spec.widthMm, spec.heightMm) / 20;
    this.#w = spec.widthMm * PT_PER_MM;
    this.#h = spec.heightMm * PT_PER_MM;
  }

  /** Draws one label with its top-left corner at (x, y) points. */
  draw(item: LabelItem, x: number, y: number): void {
    const doc = this.#doc;
    const hasPin = item.pin !== undefined && item.pin !== '';
    const plan = this.#planFor(item.code.length, hasPin);
    const form = this.#formFor(plan);
    doc.save();
    doc.transform(1, 0, 0, 1, x, y);
    // The fixed parts are one form XObject per document: drawing them label by label through
    // pdfkit's text layout cost more than the QR (see bench/labels.ts).
    (doc.page.xobjects as Record<string, PDFKit.PDFKitReference>)[form.name] = form.ref;
    doc.addContent(`/${form.name} Do`);
    this.#drawQr(item.url, plan.qr);
    const groups = groupCode(item.code);
    const { digits } = plan;
    let next = 0;
    digits.groupsPerLine.forEach((count, line) => {
      const words = groups.slice(next, next + count).join(GROUP_GAP);
      next += count;
      this.drawPlain(
        words,
        'regular',
        digits.size,
        digits.centreX,
        digits.baselines[line] ?? 0,
        INK,
        'centre',
      );
    });
    if (plan.pin && item.pin) {
      const pin = groupCode(item.pin).join(GROUP_GAP);
      this.drawPlain(pin, 'bold', plan.pin.size, plan.pin.centreX, plan.pin.baseline, INK, 'centre');
    }
    doc.restore();
  }

  /**
   * Records the plan's fixed parts into a form XObject by pointing pdfkit's current page at a
   * stand-in for the duration: pdfkit writes drawing operators through `page.write` and files
   * fonts in `page.resources`, so the form gets exactly what a page would, the fonts' glyphs
   * join the document's subset, and every label then costs one `Do` operator.
   */
  #formFor(plan: LabelPlan): StaticForm {
    const known = this.#forms.get(plan);
    if (known) return known;
    const doc = this.#doc;
    const resources = { data: { ProcSet: ['PDF', 'Text'] } as Record<string, unknown> };
    const ref = doc.ref({
      Type: 'XObject',
      Subtype: 'Form',
      FormType: 1,
      BBox: [0, 0, this.#w, this.#h],
      Resources: resources.data,
    });
    const page = doc.page;
    doc.page = Object.create(page, {
      write: { value: (chunk: unknown): void => ref.write(chunk) },
      resources: { value: resources },
    }) as PDFKit.PDFPage;
    try {
      for (const shape of plan.shapes) shape(doc);
      for (const run of plan.runs) this.#run(run);
    } finally {
      doc.page = page;
    }
    ref.end(undefined);
    const form = { name: `TmLabel${this.#forms.size + 1}`, ref };
    this.#forms.set(plan, form);
    return form;
  }

  /** The QR of `url` for a box of `sidePt`: level Q when its modules stay ≥ 0.35 mm, else M. */
  qrFor(url: string, sidePt: number): QrMatrix {
    const moduleMm = (qr: QrMatrix): number => sidePt / PT_PER_MM / (qr.size + 2 * QR_QUIET_MODULES);
    const known = this.#levelByUrlLength.get(url.length);
    if (known === 'M') return qrMatrix(url, 'M');
    const q = qrMatrix(url, 'Q');
    if (moduleMm(q) >= MIN_MODULE_MM_FOR_Q) {
      if (!known) this.#levelByUrlLength.set(url.length, 'Q');
      return q;
    }
    if (!known) this.#levelByUrlLength.set(url.length, 'M');
    return qrMatrix(url, 'M');
  }

  #drawQr(url: string, box: LabelPlan['qr']): void {
    const doc = this.#doc;
    const qr = this.qrFor(url, box.side);
    const m = box.side / (qr.size + 2 * QR_QUIET_MODULES);
    doc.save();
    doc.fillColor(QR_BLACK);
    // Module units from here on: integer coordinates keep the content stream short.
    doc.transform(m, 0, 0, m, box.x + QR_QUIET_MODULES * m, box.y + QR_QUIET_MODULES * m);
    doc.addContent(`${qrPathOps(qr)}f`);
    doc.restore();
  }

  /** pdfkit's embedded font of a weight, or null when its object lacks what the glyph writer needs. */
  #embedded(weight: LabelFontWeight): EmbeddedFont | null {
    const known = this.#fonts.get(weight);
    if (known !== undefined) return known;
    this.#doc.font(weight);
    const font = (this.#doc as unknown as { _font?: Partial<EmbeddedFont> })._font;
    const usable =
      font &&
      typeof font.id === 'string' &&
      typeof font.encode === 'function' &&
      typeof font.ref === 'function'
        ? (font as EmbeddedFont)
        : null;
    this.#fonts.set(weight, usable);
    return usable;
  }

  /** One character's glyph, encoded once per document; null when the font would shape it. */
  #glyph(weight: LabelFontWeight, ch: string): Glyph | null {
    const key = weight + ch;
    const known = this.#glyphs.get(key);
    if (known !== undefined) return known;
    const font = this.#embedded(weight);
    let glyph: Glyph | null = null;
    if (font) {
      const [encoded, positions] = font.encode(ch);
      const hex = encoded[0];
      const at = positions[0];
      if (
        encoded.length === 1 &&
        hex &&
        at &&
        at.xAdvance === at.advanceWidth &&
        !at.xOffset &&
        !at.yOffset
      ) {
        glyph = { font, hex, advance: at.xAdvance };
      }
    }
    this.#glyphs.set(key, glyph);
    return glyph;
  }

  /**
   * Draws `text` glyph by glyph, without shaping, and returns its width: for codes, PINs and
   * the slug, which change on every label or page. Through pdfkit's text layout they cost a
   * tenth of the time (its cache never hits) and fill its cache without end; here each
   * character is encoded once per document and the run is one text operator. Codes have no
   * kerning to lose: Noto Sans SC's digits are tabular (a test compares the widths with
   * pdfkit's). Falls back to pdfkit's text when a character would be shaped.
   */
  drawPlain(
    text: string,
    weight: LabelFontWeight,
    size: number,
    x: number,
    baseline: number,
    colour: Colour,
    align: 'left' | 'centre' = 'left',
  ): number {
    let hex = '';
    let advance = 0;
    let font: EmbeddedFont | undefined;
    for (const ch of text) {
      const glyph = this.#glyph(weight, ch);
      if (!glyph) {
        const width = this.#width(text, weight, size);
        this.#run({ text, weight, size, x: align === 'centre' ? x - width / 2 : x, baseline, colour });
        return width;
      }
      font = glyph.font;
      hex += glyph.hex;
      advance += glyph.advance;
    }
    const width = (advance * size) / 1000;
    if (!font) return width;
    const doc = this.#doc;
    const left = align === 'centre' ? x - width / 2 : x;
    (doc.page.fonts as Record<string, PDFKit.PDFKitReference>)[font.id] = font.ref();
    doc.fillColor(colour);
    // y grows downward on pdfkit pages; the text matrix flips glyphs back upright.
    doc.addContent(
      `BT /${font.id} ${size.toFixed(3)} Tf 1 0 0 -1 ${left.toFixed(3)} ${baseline.toFixed(3)} Tm <${hex}> Tj ET`,
    );
    return width;
  }

  // ---- text helpers -------------------------------------------------------------------

  #width(text: string, weight: LabelFontWeight, size: number): number {
    return this.#doc.font(weight).fontSize(size).widthOfString(text);
  }

  #run(run: TextRun): void {
    this.#doc
      .font(run.weight)
      .fontSize(run.size)
      .fillColor(run.colour)
      .text(run.text, run.x, run.baseline, { lineBreak: false, baseline: 'alphabetic' });
  }

  /** `text` cut with … to fit `width` at `size`. */
  #cut(text: string, weight: LabelFontWeight, size: number, width: number): string {
    let cut = graphemes(text);
    while (cut.length > 1 && this.#width(`${cut.join('')}…`, weight, size) > width) cut = cut.slice(0, -1);
    return `${cut.join('').trimEnd()}…`;
  }

  /** The largest size from `max` down to `min` at which `text` fits `width` on one line. */
  #fitSize(
    text: string,
    weight: LabelFontWeight,
    max: number,
    min: number,
    width: number,
  ): number | undefined {
    const natural = this.#width(text, weight, max);
    if (natural <= width) return max;
    const size = (max * width) / natural; // widths scale linearly with size
    return size >= min ? size : undefined;
  }

  /**
   * `text` in at most `maxLines` lines of `width` at `size`, broken between characters (the
   * product names are Chinese) and balanced: the shortest line limit that still gives as few
   * lines. Undefined when it does not fit.
   */
  #wrap(
    text: string,
    weight: LabelFontWeight,
    size: number,
    width: number,
    maxLines: number,
  ): string[] | undefined {
    const chars = graphemes(text.trim());
    const greedy = (limit: number): string[] => {
      const lines: string[] = [];
      let line = '';
      for (const ch of chars) {
        if (line !== '' && this.#width(line + ch, weight, size) > limit) {
          lines.push(line.trimEnd());
          line = ch.trimStart();
        } else line += ch;
      }
      if (line !== '') lines.push(line);
      return lines;
    };
    const first = greedy(width);
    if (first.length > maxLines || first.some((l) => this.#width(l, weight, size) > width)) return undefined;
    let best = first;
    for (let limit = width * 0.95; limit > width / (maxLines + 1); limit *= 0.95) {
      const lines = greedy(limit);
      if (lines.length > best.length || lines.some((l) => this.#width(l, weight, size) > limit)) break;
      best = lines;
    }
    return best;
  }

  /** Baseline of a CJK line of `size` centred in a line box of `lineH` starting at `top`. */
  #cjkBaseline(top: number, lineH: number, size: number): number {
    return top + (lineH + size * (CJK_ASCENT - CJK_DESCENT)) / 2;
  }

  // ---- blocks -------------------------------------------------------------------------

  /**
   * The code digits: as many groups of 4 per line as fit, lines balanced; degraded when they
   * would go below `minSize` points (scaled).
   */
  #digitsBlock(codeLength: number, x: number, width: number, minSize: number = TYPE.digitsMin): Block {
    const k = this.#k;
    const groups = Math.max(1, Math.ceil(codeLength / 4));
    const sample = (count: number): string => Array.from({ length: count }, () => '0000').join(GROUP_GAP);
    let groupsPerLine = [groups];
    let size = TYPE.digitsMin * k;
    let degraded = true;
    for (let lines = 1; lines <= groups; lines++) {
      const perLine = Math.ceil(groups / lines);
      const fitted = this.#fitSize(sample(perLine), 'regular', TYPE.digits * k, minSize * k, width);
      // One line only at the full size; two or more may shrink to the minimum.
      if (fitted !== undefined && (lines > 1 || fitted >= TYPE.digits * k - 1e-9)) {
        groupsPerLine = [];
        let left = groups;
        for (let l = lines; l > 0 && left > 0; l--) {
          const n = Math.ceil(left / l);
          groupsPerLine.push(n);
          left -= n;
        }
        size = fitted;
        degraded = false;
        break;
      }
    }
    const lineH = size * 1.14;
    return {
      height: lineH * groupsPerLine.length,
      degraded,
      place: (top, sink) => {
        sink.digits = {
          groupsPerLine,
          size,
          centreX: x + width / 2,
          baselines: groupsPerLine.map((_, i) => top + lineH * i + (lineH + size * CAP_HEIGHT) / 2),
        };
      },
    };
  }

  /** The product name, bold, centred: one line, or up to `maxLines` balanced lines, cut with … last. */
  #nameBlock(x: number, width: number, maxLines: number): Block {
    const k = this.#k;
    const name = this.#text.productName.trim();
    let lines: string[] | undefined;
    let size = TYPE.product * k;
    const single = this.#fitSize(name, 'bold', TYPE.product * k, TYPE.productMin * k, width);
    // Two lines at a good size read better than one squeezed line.
    if (single !== undefined && (single >= TYPE.product * k * 0.85 || maxLines === 1)) {
      lines = [name];
      size = single;
    }
    for (let s = TYPE.product * k; !lines && maxLines > 1 && s >= TYPE.productMin * k - 1e-9; s -= 0.2 * k) {
      lines = this.#wrap(name, 'bold', s, width, maxLines);
      size = s;
    }
    if (!lines && single !== undefined) {
      lines = [name];
      size = single;
    }
    const degraded = !lines;
    if (!lines) {
      size = TYPE.productMin * k;
      lines = [this.#cut(name, 'bold', size, width)];
    }
    const fixed = lines;
    const lineH = size * 1.16;
    return {
      height: lineH * fixed.length,
      degraded,
      place: (top, sink) => {
        fixed.forEach((line, i) => {
          const w = this.#width(line, 'bold', size);
          sink.runs.push({
            text: line,
            weight: 'bold',
            size,
            x: x + (width - w) / 2,
            baseline: this.#cjkBaseline(top + lineH * i, lineH, size),
            colour: INK,
          });
        });
      },
    };
  }

  /**
   * Brand · hint, small and grey, or whichever of the two fits alone (the hint first); undefined
   * when there is nothing to say. With a PIN the hint gives way to the scratch-off caption.
   */
  #footerBlock(x: number, width: number, hasPin: boolean): Block | undefined {
    const k = this.#k;
    const clean = (s: string | undefined): string | undefined => (s?.trim() ? s.trim() : undefined);
    const brand = clean(this.#text.brandName);
    const hint = hasPin ? undefined : clean(this.#text.hint);
    const candidates = [brand && hint ? `${brand} · ${hint}` : undefined, hint, brand].filter(
      (s): s is string => s !== undefined,
    );
    const first = candidates[0];
    if (first === undefined) return undefined;
    let text = first;
    let size: number | undefined;
    for (const candidate of candidates) {
      size = this.#fitSize(candidate, 'regular', TYPE.footer * k, TYPE.footerMin * k, width);
      if (size !== undefined) {
        text = candidate;
        break;
      }
    }
    const degraded = size === undefined;
    const finalSize = size ?? TYPE.footerMin * k;
    if (degraded) text = this.#cut(first, 'regular', finalSize, width);
    const lineH = finalSize * 1.25;
    return {
      height: lineH,
      degraded,
      place: (top, sink) => {
        const w = this.#width(text, 'regular', finalSize);
        sink.runs.push({
          text,
          weight: 'regular',
          size: finalSize,
          x: x + (width - w) / 2,
          baseline: this.#cjkBaseline(top, lineH, finalSize),
          colour: MUTED,
        });
      },
    };
  }

  /**
   * The PIN in a dashed box with the caption 刮开涂层 ("scratch off the coating"). The PDF prints
   * the PIN and marks the box; the printer lays the silver scratch-off coating over the box
   * afterwards. The caption stays outside the coated box (on a colour tab beside it, or above
   * it in narrow columns) so buyers see what to scratch.
   */
  #pinBlock(x: number, width: number): Block {
    const k = this.#k;
    const mm = (v: number): number => v * k * PT_PER_MM;
    const caption = '刮开涂层';
    const capSize = TYPE.pinCaption * k;
    const sample = `0000${GROUP_GAP}0000`;
    const capW = this.#width(caption, 'bold', capSize) + mm(1.2);
    const tabFits = this.#fitSize(sample, 'bold', TYPE.pin * k, TYPE.pinMin * k, width - capW - mm(1.2));
    const sideBySide = tabFits !== undefined;
    const pinSize =
      tabFits ??
      this.#fitSize(sample, 'bold', TYPE.pin * k, TYPE.pinMin * k * 0.9, width - mm(1.2)) ??
      TYPE.pinMin * k * 0.9;
    const boxH = pinSize * 1.5;
    const capLineH = capSize * 1.3;
    const palette = this.#palette;
    return {
      height: sideBySide ? boxH : capLineH + boxH,
      degraded: false,
      place: (top, sink) => {
        const boxTop = sideBySide ? top : top + capLineH;
        const boxX = sideBySide ? x + capW : x;
        const boxW = sideBySide ? width - capW : width;
        const r = mm(0.45);
        sink.shapes.push((doc) => {
          if (sideBySide) {
            // The tab tucks under the box's left edge so the two read as one element.
            doc.roundedRect(x, boxTop, capW + r * 2, boxH, r).fill(palette.fill);
            doc.roundedRect(boxX, boxTop, boxW, boxH, r).fill(WHITE);
          }
          doc
            .roundedRect(boxX, boxTop, boxW, boxH, r)
            .lineWidth(0.4 * k)
            .dash(1.1 * k, { space: 0.7 * k })
            .stroke(INK)
            .undash();
        });
        const capWidth = this.#width(caption, 'bold', capSize);
        sink.runs.push({
          text: caption,
          weight: 'bold',
          size: capSize,
          x: sideBySide ? x + (capW - capWidth) / 2 : x + (width - capWidth) / 2,
          baseline: sideBySide
            ? this.#cjkBaseline(boxTop, boxH, capSize)
            : this.#cjkBaseline(top, capLineH, capSize),
          colour: sideBySide ? palette.onFill : INK,
        });
        sink.pin = {
          centreX: boxX + boxW / 2,
          baseline: boxTop + (boxH + pinSize * CAP_HEIGHT) / 2,
          size: pinSize,
        };
      },
    };
  }

  /**
   * The platform mark: a shield with a tick and the platform name beside it, fitted to `width`;
   * `centreY` is the middle of the line.
   */
  #title(
    x: number,
    width: number,
    centreY: number,
    align: 'centre' | 'left',
    colours: { text: Colour; mark: Colour; tick: Colour },
  ): {
    shapes: Draw[];
    runs: TextRun[];
    degraded: boolean;
  } {
    const k = this.#k;
    const markSize = 2.5 * k * PT_PER_MM;
    const gap = 0.55 * k * PT_PER_MM;
    const name = this.#text.platformName.trim();
    const fitted = this.#fitSize(
      name,
      'bold',
      TYPE.platform * k,
      TYPE.platformMin * k,
      width - markSize - gap,
    );
    const size = fitted ?? TYPE.platformMin * k;
    const text = fitted === undefined ? this.#cut(name, 'bold', size, width - markSize - gap) : name;
    const textW = this.#width(text, 'bold', size);
    const left = align === 'centre' ? x + (width - markSize - gap - textW) / 2 : x;
    return {
      shapes: [(doc) => drawMark(doc, left, centreY - markSize / 2, markSize, colours.mark, colours.tick)],
      runs: [
        {
          text,
          weight: 'bold',
          size,
          x: left + markSize + gap,
          baseline: centreY + (size * (CJK_ASCENT - CJK_DESCENT)) / 2,
          colour: colours.text,
        },
      ],
      degraded: fitted === undefined,
    };
  }

  #titleBlock(x: number, width: number): Block {
    const k = this.#k;
    const p = this.#palette;
    const height = 3.4 * k * PT_PER_MM;
    const probe = this.#title(x, width, 0, 'centre', { text: p.accent, mark: p.fill, tick: WHITE });
    return {
      height,
      degraded: probe.degraded,
      place: (top, sink) => {
        const title = this.#title(x, width, top + height / 2, 'centre', {
          text: p.accent,
          mark: p.fill,
          tick: WHITE,
        });
        sink.shapes.push(...title.shapes);
        sink.runs.push(...title.runs);
      },
    };
  }

  // ---- layouts ------------------------------------------------------------------------

  #planFor(codeLength: number, hasPin: boolean): LabelPlan {
    const key = `${codeLength}/${hasPin}`;
    let plan = this.#plans.get(key);
    if (!plan) {
      plan = this.#plan(codeLength, hasPin);
      this.#plans.set(key, plan);
    }
    return plan;
  }

  #plan(codeLength: number, hasPin: boolean): LabelPlan {
    const k = this.#k;
    const mm = (v: number): number => v * k * PT_PER_MM;
    const W = this.#w;
    const H = this.#h;
    const portrait = H >= W;
    const p = this.#palette;
    const sink: Sink = { shapes: [], runs: [] };

    switch (this.#spec.layout) {
      case 'classic': {
        const bandH = mm(portrait ? 4.3 : 3.8);
        sink.shapes.push((doc) => doc.rect(0, 0, W, bandH).fill(p.fill));
        const title = this.#title(mm(1), W - mm(2), bandH / 2, 'centre', {
          text: p.onFill,
          mark: p.onFill,
          tick: p.fill,
        });
        sink.shapes.push(...title.shapes);
        sink.runs.push(...title.runs);
        const box = { x: mm(0.8), y: bandH + mm(0.45), w: W - mm(1.6), h: H - bandH - mm(1.05) };
        return portrait
          ? this.#stack(sink, box, codeLength, hasPin, true)
          : this.#columns(sink, box, box, codeLength, hasPin, { name: true, title: false });
      }
      case 'framed': {
        const inset = mm(0.45);
        const stroke = mm(0.45);
        const radius = mm(1.3);
        const inner = {
          x: inset + stroke / 2,
          y: inset + stroke / 2,
          w: W - 2 * inset - stroke,
          h: H - 2 * inset - stroke,
        };
        const innerR = radius - stroke / 2;
        const stripH = mm(portrait ? 3.5 : 3.3);
        const pad = mm(0.55);
        /** The colour strip along the foot inside the frame, sharing its rounded corners. */
        const strip: Draw = (doc) => {
          const bottom = inner.y + inner.h;
          const right = inner.x + inner.w;
          doc
            .moveTo(inner.x, bottom - stripH)
            .lineTo(right, bottom - stripH)
            .lineTo(right, bottom - innerR)
            .quadraticCurveTo(right, bottom, right - innerR, bottom)
            .lineTo(inner.x + innerR, bottom)
            .quadraticCurveTo(inner.x, bottom, inner.x, bottom - innerR)
            .closePath()
            .fill(p.fill);
        };
        const frame: Draw = (doc) => {
          doc.roundedRect(inner.x, inner.y, inner.w, inner.h, innerR).lineWidth(stroke).stroke(p.fill);
        };
        if (portrait) {
          const titleH = mm(3.6);
          sink.shapes.push(strip, frame);
          const title = this.#title(
            inner.x + pad,
            inner.w - 2 * pad,
            inner.y + titleH / 2 + mm(0.2),
            'centre',
            {
              text: p.accent,
              mark: p.fill,
              tick: WHITE,
            },
          );
          sink.shapes.push(...title.shapes);
          sink.runs.push(...title.runs);
          this.#stripName(sink, inner.x + pad, inner.w - 2 * pad, inner.y + inner.h - stripH, stripH);
          const box = {
            x: inner.x + pad,
            y: inner.y + titleH,
            w: inner.w - 2 * pad,
            h: inner.h - titleH - stripH - mm(0.3),
          };
          return this.#stack(sink, box, codeLength, hasPin, false);
        }
        // Landscape: the strip runs along the foot; the QR sits on the left above it and the
        // title heads the text column.
        sink.shapes.push(strip, frame);
        this.#stripName(sink, inner.x + pad, inner.w - 2 * pad, inner.y + inner.h - stripH, stripH);
        const area = {
          x: inner.x + mm(0.1),
          y: inner.y + mm(0.1),
          w: inner.w - pad,
          h: inner.h - stripH - mm(0.2),
        };
        return this.#columns(sink, area, area, codeLength, hasPin, { name: false, title: true });
      }
      case 'sidebar': {
        const sideW = mm(portrait ? 4.2 : 3.9);
        const markSize = mm(2.6);
        sink.shapes.push((doc) => doc.rect(0, 0, sideW, H).fill(p.fill));
        sink.shapes.push((doc) => drawMark(doc, (sideW - markSize) / 2, mm(1.1), markSize, p.onFill, p.fill));
        // The platform name set vertically, one upright character per cell, as Chinese is.
        const chars = graphemes(this.#text.platformName.trim());
        const room = H - mm(1.1) - markSize - mm(1.9);
        const size = Math.min(TYPE.platform * k * 1.05, room / Math.max(1, chars.length) / 1.1, sideW * 0.62);
        const cell = size * 1.1;
        const top = mm(1.1) + markSize + mm(0.9) + (room - cell * chars.length) / 2;
        chars.forEach((ch, i) => {
          const w = this.#width(ch, 'bold', size);
          sink.runs.push({
            text: ch,
            weight: 'bold',
            size,
            x: (sideW - w) / 2,
            baseline: this.#cjkBaseline(top + cell * i, cell, size),
            colour: p.onFill,
          });
        });
        const box = { x: sideW + mm(0.6), y: mm(0.6), w: W - sideW - mm(1.3), h: H - mm(1.2) };
        return portrait
          ? this.#stack(sink, box, codeLength, hasPin, true)
          : this.#columns(sink, box, box, codeLength, hasPin, { name: true, title: false });
      }
    }
  }

  /** The product name on the colour strip of the framed layout. */
  #stripName(sink: Sink, x: number, width: number, top: number, height: number): void {
    const k = this.#k;
    const name = this.#text.productName.trim();
    const fitted = this.#fitSize(name, 'bold', TYPE.product * k, TYPE.productMin * k * 0.9, width);
    const size = fitted ?? TYPE.productMin * k * 0.9;
    const text = fitted === undefined ? this.#cut(name, 'bold', size, width) : name;
    const w = this.#width(text, 'bold', size);
    sink.runs.push({
      text,
      weight: 'bold',
      size,
      x: x + (width - w) / 2,
      baseline: this.#cjkBaseline(top, height, size),
      colour: this.#palette.onFill,
    });
  }

  /**
   * Portrait: the QR on top of the box, the text blocks under it. Tries the variants from the
   * fullest (footer, one-line name) down and keeps the first whose QR is comfortably large and
   * whose text is whole; else the one with the largest QR.
   */
  #stack(sink: Sink, box: Rect, codeLength: number, hasPin: boolean, nameInColumn: boolean): LabelPlan {
    const gap = 0.3 * this.#k * PT_PER_MM;
    const comfortable = Math.min(box.w, box.h * 0.56);
    const variants: { blocks: Block[]; side: number; degraded: boolean }[] = [];
    for (const footer of [true, false]) {
      for (const nameLines of nameInColumn ? [1, 2] : [0]) {
        const blocks: Block[] = [this.#digitsBlock(codeLength, box.x, box.w)];
        if (nameLines > 0) blocks.push(this.#nameBlock(box.x, box.w, nameLines));
        const foot = footer ? this.#footerBlock(box.x, box.w, hasPin) : undefined;
        if (foot) blocks.push(foot);
        if (hasPin) blocks.push(this.#pinBlock(box.x, box.w));
        const side = Math.min(box.w, box.h - stackHeight(blocks, gap) - gap);
        variants.push({ blocks, side, degraded: blocks.some((b) => b.degraded) });
      }
    }
    const chosen =
      variants.find((v) => !v.degraded && v.side >= comfortable - 1e-6) ??
      [...variants].sort((a, b) => Number(a.degraded) - Number(b.degraded) || b.side - a.side)[0];
    if (!chosen) throw new Error('no label layout variant');
    const { blocks, side } = chosen;
    const slack = box.h - side - gap - stackHeight(blocks, gap);
    const qr = { x: box.x + (box.w - side) / 2, y: box.y + slack * 0.3, side };
    let top = qr.y + side + gap + slack * 0.4;
    for (const block of blocks) {
      block.place(top, sink);
      top += block.height + gap;
    }
    return this.#finish(sink, qr);
  }

  /**
   * Landscape: the QR on the left of `qrArea`, the text blocks in a column to its right,
   * centred vertically in `column`'s height. The QR shrinks, down to 13 mm on a 20 mm short
   * side, until the column holds the digits and a whole product name (the footer comes along
   * when it fits); below that, text gives way first.
   */
  #columns(
    sink: Sink,
    qrArea: Rect,
    column: Rect,
    codeLength: number,
    hasPin: boolean,
    needs: ColumnNeeds,
  ): LabelPlan {
    const k = this.#k;
    const gap = 0.4 * k * PT_PER_MM;
    const between = 0.45 * k * PT_PER_MM;
    const build = (
      x: number,
      width: number,
      footer: boolean,
      nameLines: number,
      digitsMin: number,
    ): Block[] => {
      const blocks: Block[] = [];
      if (needs.title) blocks.push(this.#titleBlock(x, width));
      blocks.push(this.#digitsBlock(codeLength, x, width, digitsMin));
      if (needs.name) blocks.push(this.#nameBlock(x, width, nameLines));
      const foot = footer ? this.#footerBlock(x, width, hasPin) : undefined;
      if (foot) blocks.push(foot);
      if (hasPin) blocks.push(this.#pinBlock(x, width));
      return blocks;
    };
    const step = 0.2 * k * PT_PER_MM;
    const maxSide = Math.min(qrArea.h, qrArea.w * 0.62);
    /** Below this the QR gives way no further to keep text whole: 13 mm on a 20 mm short side. */
    const floor = Math.min(maxSide, 13 * k * PT_PER_MM);
    const lowest = qrArea.h * 0.6;
    const attempt = (
      side: number,
      footer: boolean,
      nameLines: number,
      allowDegraded: boolean,
    ): Block[] | undefined => {
      const x = qrArea.x + side + between;
      // Whole text at the floor means digits near full size too; below it they may shrink.
      const blocks = build(
        x,
        column.x + column.w - x,
        footer,
        nameLines,
        allowDegraded ? TYPE.digitsMin : TYPE.digits * 0.93,
      );
      const fits = stackHeight(blocks, gap) <= column.h && (allowDegraded || !blocks.some((b) => b.degraded));
      return fits ? blocks : undefined;
    };
    let chosen: { side: number; blocks: Block[] } | undefined;
    // 1. The largest QR down to the floor with all text whole (the footer if it fits too).
    for (let side = maxSide; side >= floor - 1e-6 && !chosen; side -= step) {
      const blocks = attempt(side, true, 2, false) ?? attempt(side, false, 2, false);
      if (blocks) chosen = { side, blocks };
    }
    // 2. At the floor, a product name squeezed or cut to one line; 3. then a smaller QR.
    for (let side = floor; side >= lowest - 1e-6 && !chosen; side -= step) {
      const blocks = attempt(side, false, 1, true);
      if (blocks) chosen = { side, blocks };
    }
    if (!chosen) {
      const x = qrArea.x + lowest + between;
      chosen = { side: lowest, blocks: build(x, column.x + column.w - x, false, 1, TYPE.digitsMin) };
    }
    const { side, blocks } = chosen;
    const qr = { x: qrArea.x, y: qrArea.y + (qrArea.h - side) / 2, side };
    let top = column.y + Math.max(0, (column.h - stackHeight(blocks, gap)) / 2);
    for (const block of blocks) {
      block.place(top, sink);
      top += block.height + gap;
    }
    return this.#finish(sink, qr);
  }

  #finish(sink: Sink, qr: LabelPlan['qr']): LabelPlan {
    if (!sink.digits) throw new Error('label layout placed no code digits');
    return { shapes: [...sink.shapes], runs: [...sink.runs], qr, digits: sink.digits, pin: sink.pin };
  }
}

function stackHeight(blocks: readonly Block[], gap: number): number {
  return blocks.reduce((sum, b) => sum + b.height, 0) + gap * Math.max(0, blocks.length - 1);
}

/** The platform mark: a shield with a tick, in a square of `size` at (x, y). */
function drawMark(doc: LabelCanvas, x: number, y: number, size: number, fill: Colour, tick: Colour): void {
  const s = size;
  doc
    .moveTo(x + 0.5 * s, y)
    .lineTo(x + 0.92 * s, y + 0.16 * s)
    .lineTo(x + 0.92 * s, y + 0.5 * s)
    .bezierCurveTo(x + 0.92 * s, y + 0.78 * s, x + 0.7 * s, y + 0.92 * s, x + 0.5 * s, y + s)
    .bezierCurveTo(x + 0.3 * s, y + 0.92 * s, x + 0.08 * s, y + 0.78 * s, x + 0.08 * s, y + 0.5 * s)
    .lineTo(x + 0.08 * s, y + 0.16 * s)
    .closePath()
    .fill(fill);
  doc
    .moveTo(x + 0.28 * s, y + 0.52 * s)
    .lineTo(x + 0.44 * s, y + 0.68 * s)
    .lineTo(x + 0.73 * s, y + 0.36 * s)
    .lineWidth(0.11 * s)
    .lineCap('round')
    .lineJoin('round')
    .stroke(tick);
}
