/**
 * Print-ready label PDFs for trace codes (PRODUCT.md §3): QR + code digits + platform mark +
 * Chinese product name, in three layouts and four brand colours, on A4 sheets or rolls.
 *
 * - {@link renderLabels}: one PDF streamed to a writable, on the calling thread.
 * - {@link LabelRenderPool} / {@link renderLabelFiles}: several PDF files rendered in parallel
 *   on worker threads, for big jobs.
 * - {@link validateLabelSpec}, {@link labelsPerPage}: checks and sheet arithmetic for forms and
 *   the CLI.
 */
export {
  A4_MM,
  LABEL_COLOURS,
  LABEL_LAYOUTS,
  LABEL_SPEC_DEFAULTS,
  LabelSpecError,
  MAX_LABEL_LONG_SIDE_MM,
  MIN_LABEL_SHORT_SIDE_MM,
  assertLabelSpec,
  labelsPerPage,
  sheetGrid,
  validateLabelSpec,
  type LabelColour,
  type LabelItem,
  type LabelLayout,
  type LabelSheet,
  type LabelSpec,
  type LabelSpecCheck,
  type LabelText,
  type SheetGrid,
} from './label-spec.js';
export {
  assertLabelText,
  renderLabels,
  type RenderLabelsOptions,
  type RenderLabelsResult,
} from './render-labels.js';
export {
  LabelRenderPool,
  renderLabelFiles,
  type LabelFile,
  type LabelRenderPoolOptions,
  type RenderLabelFilesOptions,
  type RenderLabelFilesResult,
} from './label-render-pool.js';
export {
  qrMatrix,
  qrPathOps,
  qrRects,
  type QrErrorCorrection,
  type QrMatrix,
  type QrRect,
} from './qr-matrix.js';
export { groupCode } from './label-painter.js';
