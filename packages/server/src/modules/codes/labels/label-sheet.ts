import { PT_PER_MM, type LabelCanvas, type LabelPainter } from './label-painter.js';
import {
  A4_MM,
  LABEL_SPEC_DEFAULTS,
  labelsPerPage,
  sheetGrid,
  type LabelSpec,
  type SheetGrid,
} from './label-spec.js';

/** Cut guides around A4 labels: a hairline light enough not to show if the cut strays. */
const GUIDE_GREY = '#B8B8B8';
const SLUG_GREY = '#7A7A7A';

/**
 * The page geometry of a sheet and what is printed around the labels: on A4 a centred grid,
 * crop marks in the margin on every cut line, a hairline cut guide around each label and a
 * slug line (what, which size, which page, first and last code) for the print room; on a roll
 * one label per page, page size = label size, nothing else.
 */
export class LabelSheet {
  /** Page size in points. */
  readonly pageSize: readonly [number, number];
  readonly perPage: number;
  readonly #spec: LabelSpec;
  readonly #grid: SheetGrid | undefined;
  readonly #margin: number;

  constructor(spec: LabelSpec) {
    this.#spec = spec;
    this.perPage = labelsPerPage(spec);
    if (spec.sheet === 'roll') {
      this.pageSize = [spec.widthMm * PT_PER_MM, spec.heightMm * PT_PER_MM];
      this.#grid = undefined;
      this.#margin = 0;
    } else {
      this.pageSize = [A4_MM.width * PT_PER_MM, A4_MM.height * PT_PER_MM];
      this.#grid = sheetGrid(spec);
      this.#margin = spec.marginMm ?? LABEL_SPEC_DEFAULTS.marginMm;
    }
  }

  /** Top-left corner, in points, of the label in slot `slot` (0-based, row by row). */
  slot(slot: number): { x: number; y: number } {
    const grid = this.#grid;
    if (!grid) return { x: 0, y: 0 };
    const column = slot % grid.columns;
    const row = Math.floor(slot / grid.columns);
    return { x: (grid.left + column * grid.stepX) * PT_PER_MM, y: (grid.top + row * grid.stepY) * PT_PER_MM };
  }

  /**
   * Finishes an A4 page holding `count` labels: cut guides, crop marks for the rows and columns
   * used, and the slug line (drawn glyph by glyph: it changes on every page). Nothing on a roll.
   */
  finishPage(doc: LabelCanvas, painter: LabelPainter, count: number, slug: string): void {
    const grid = this.#grid;
    if (!grid || count === 0) return;
    const spec = this.#spec;
    const w = spec.widthMm * PT_PER_MM;
    const h = spec.heightMm * PT_PER_MM;
    doc.save();
    doc.lineWidth(0.25).strokeColor(GUIDE_GREY);
    for (let i = 0; i < count; i++) {
      const { x, y } = this.slot(i);
      doc.rect(x, y, w, h);
    }
    doc.stroke();

    const columns = Math.min(count, grid.columns);
    const rows = Math.ceil(count / grid.columns);
    const margin = this.#margin;
    const offset = 1.5;
    const length = Math.min(4, margin - offset - 1);
    if (length >= 1.5) {
      const [pageW, pageH] = this.pageSize;
      const left = grid.left * PT_PER_MM;
      const top = grid.top * PT_PER_MM;
      const right = left + ((columns - 1) * grid.stepX + spec.widthMm) * PT_PER_MM;
      const bottom = top + ((rows - 1) * grid.stepY + spec.heightMm) * PT_PER_MM;
      const xs = new Set<number>();
      const ys = new Set<number>();
      for (let c = 0; c < columns; c++) {
        const x = (grid.left + c * grid.stepX) * PT_PER_MM;
        xs.add(Math.round(x * 100) / 100).add(Math.round((x + w) * 100) / 100);
      }
      for (let r = 0; r < rows; r++) {
        const y = (grid.top + r * grid.stepY) * PT_PER_MM;
        ys.add(Math.round(y * 100) / 100).add(Math.round((y + h) * 100) / 100);
      }
      const off = offset * PT_PER_MM;
      const len = length * PT_PER_MM;
      doc.lineWidth(0.3).strokeColor('#000000');
      for (const x of xs) {
        doc.moveTo(x, top - off - len).lineTo(x, top - off);
        doc.moveTo(x, bottom + off).lineTo(x, bottom + off + len);
      }
      for (const y of ys) {
        doc.moveTo(left - off - len, y).lineTo(left - off, y);
        doc.moveTo(right + off, y).lineTo(right + off + len, y);
      }
      doc.stroke();
      if (margin >= 7) {
        const size = 5.5;
        const baseline = Math.min(pageH - 2.5 * PT_PER_MM, bottom + off + len + 2.5 * PT_PER_MM + size * 0.7);
        painter.drawPlain(slug, 'regular', size, pageW / 2, baseline, SLUG_GREY, 'centre');
      }
    }
    doc.restore();
  }
}
