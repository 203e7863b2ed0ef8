import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';

/**
 * Noto Sans SC (OFL-1.1) as TrueType, from the npm package @expo-google-fonts/noto-sans-sc: no
 * system font is assumed. pdfkit embeds only the glyphs a document uses (a label sheet carries a
 * few kilobytes of font), so the 10.5 MB files cost nothing in the PDF.
 */
const FONT_FILES = Object.freeze({
  regular: '@expo-google-fonts/noto-sans-sc/400Regular/NotoSansSC_400Regular.ttf',
  bold: '@expo-google-fonts/noto-sans-sc/700Bold/NotoSansSC_700Bold.ttf',
} as const);

/** The two weights the labels use. */
export type LabelFontWeight = keyof typeof FONT_FILES;

/** The PostScript names pdfkit writes into the PDF (prefixed with a subset tag). */
export const LABEL_FONT_NAMES = Object.freeze({
  regular: 'NotoSansSC-Regular',
  bold: 'NotoSansSC-Bold',
} as const);

const require = createRequire(import.meta.url);
const loaded = new Map<LabelFontWeight, Buffer>();

/** The path of a weight's .ttf inside node_modules. */
export function labelFontPath(weight: LabelFontWeight): string {
  return require.resolve(FONT_FILES[weight]);
}

/**
 * The bytes of a weight's .ttf, read once per thread and kept: every document of a job
 * registers the same buffer (pdfkit reads it, never writes it).
 */
export function labelFont(weight: LabelFontWeight): Buffer {
  let bytes = loaded.get(weight);
  if (!bytes) {
    bytes = readFileSync(labelFontPath(weight));
    loaded.set(weight, bytes);
  }
  return bytes;
}

/** A fontkit font as pdfkit accepts it in place of font bytes (not in pdfkit's typings). */
interface ParsedFont {
  layout(text: string): unknown;
}

const parsed = new Map<LabelFontWeight, ParsedFont>();

/**
 * Registers the label fonts as `regular` and `bold` on a document. pdfkit parses a font's
 * tables anew for every document (~40 ms for these two, a fifth of a 1,000-label file); it also
 * takes an already parsed fontkit font, so the first document's is kept and handed to the next
 * ones on this thread.
 */
export function registerLabelFonts(doc: PDFKit.PDFDocument): void {
  for (const weight of ['regular', 'bold'] as const) {
    const known = parsed.get(weight);
    doc.registerFont(weight, (known ?? labelFont(weight)) as unknown as Buffer);
    if (!known) {
      doc.font(weight);
      const font = (doc as unknown as { _font?: { font?: Partial<ParsedFont> } })._font?.font;
      if (typeof font?.layout === 'function') parsed.set(weight, font as ParsedFont);
    }
  }
}
