import { once } from 'node:events';
import { registerLabelFonts } from './label-fonts.js';
import { LabelPainter } from './label-painter.js';
import { LabelSheet } from './label-sheet.js';
import {
  assertLabelSpec,
  LabelSpecError,
  type LabelItem,
  type LabelSpec,
  type LabelText,
} from './label-spec.js';

/** Options of {@link renderLabels}. */
export interface RenderLabelsOptions {
  /** Called after every page with the number of labels drawn so far. */
  readonly onProgress?: (labels: number) => void;
  /** Stops between pages; the promise rejects with the signal's reason and `out` is left open. */
  readonly signal?: AbortSignal;
  /** End `out` when the PDF is complete (default true); false to write more after it. */
  readonly endOutput?: boolean;
}

/** What {@link renderLabels} wrote. */
export interface RenderLabelsResult {
  readonly labels: number;
  readonly pages: number;
  /** The first and last code printed, for the slug of a job; undefined when there were none. */
  readonly firstCode: string | undefined;
  readonly lastCode: string | undefined;
}

/** Throws {@link LabelSpecError} when the words every label needs are missing. */
export function assertLabelText(text: LabelText): void {
  if (typeof text.productName !== 'string' || text.productName.trim() === '') {
    throw new LabelSpecError('The product name to print on the labels is empty.');
  }
  if (typeof text.platformName !== 'string' || text.platformName.trim() === '') {
    throw new LabelSpecError('The platform name to print on the labels is empty.');
  }
}

/**
 * Lets go of a page pdfkit has written. pdfkit keeps every page's dictionary in the page tree
 * until the end, with its resources and content objects attached (~1 kB a page: 100 MB for a
 * roll of 100,000 labels); once written, the tree needs only their object numbers.
 */
function releaseWrittenPage(page: PDFKit.PDFPage): void {
  const written = page as unknown as Record<
    'dictionary' | 'resources' | 'content',
    { data: object; buffer: unknown } | undefined
  >;
  for (const key of ['dictionary', 'resources', 'content'] as const) {
    const ref = written[key];
    if (ref) {
      ref.data = WRITTEN;
      ref.buffer = WRITTEN_BUFFER;
    }
  }
}
const WRITTEN = Object.freeze({});
const WRITTEN_BUFFER = Object.freeze([]);

/**
 * Waits until `out` takes more. A destination destroyed meanwhile (an HTTP client that went
 * away) emits no 'drain', only 'close': that ends the wait with an error instead of a hang.
 */
async function drained(out: NodeJS.WritableStream): Promise<void> {
  if ((out as { destroyed?: boolean }).destroyed === true) throw new Error('The label output was closed.');
  const settled = new AbortController();
  const drain = once(out, 'drain', { signal: settled.signal });
  const close = once(out, 'close', { signal: settled.signal }).then(() => {
    throw new Error('The label output was closed before the labels were written.');
  });
  // The loser is cancelled below; its AbortError is expected.
  drain.catch(() => undefined);
  close.catch(() => undefined);
  try {
    await Promise.race([drain, close]);
  } finally {
    settled.abort();
  }
}

function checkItem(item: LabelItem, index: number): void {
  if (typeof item.code !== 'string' || item.code === '' || typeof item.url !== 'string' || item.url === '') {
    throw new TypeError(`Label ${index + 1} needs a code and a URL.`);
  }
}

/**
 * Renders labels into one print-ready PDF written to `out`, page by page: pdfkit emits each
 * page when the next begins and the function waits for `out` to drain, so memory stays
 * constant whatever the number of labels. One thread; for big jobs on several cores see
 * `renderLabelFiles`. With no items the PDF has one empty page (a PDF needs a page).
 *
 * The QR encodes `item.url` (level Q when its modules stay ≥ 0.35 mm, else M), drawn as vector
 * rectangles with a 2-module quiet zone; Chinese text uses Noto Sans SC, embedded as a subset.
 *
 * @example
 * const out = createWriteStream('labels.pdf');
 * const { labels, pages } = await renderLabels(
 *   [{ code: '123456789012345', url: 'https://trace.example.cn/c/123456789012345' }],
 *   { layout: 'classic', colour: 'red', widthMm: 20, heightMm: 30, sheet: 'a4' },
 *   { productName: '五常有机稻花香大米', platformName: '产品追溯防伪', hint: '扫码验真伪' },
 *   out,
 * );
 */
export async function renderLabels(
  items: Iterable<LabelItem> | AsyncIterable<LabelItem>,
  spec: LabelSpec,
  text: LabelText,
  out: NodeJS.WritableStream,
  options: RenderLabelsOptions = {},
): Promise<RenderLabelsResult> {
  assertLabelSpec(spec);
  assertLabelText(text);
  const sheet = new LabelSheet(spec);
  // Loaded on the first label file rather than with the server (~0.1 s of every start).
  const { default: PDFDocument } = await import('pdfkit');
  const doc = new PDFDocument({
    autoFirstPage: false,
    compress: true,
    info: {
      Title: `${text.productName} · ${spec.widthMm} × ${spec.heightMm} mm`,
      Creator: 'Tracemark',
      Producer: 'Tracemark',
    },
  });
  registerLabelFonts(doc);
  const painter = new LabelPainter(doc, spec, text);

  let failure: Error | undefined;
  let mustDrain = false;
  const onOutError = (error: unknown): void => {
    failure ??= error instanceof Error ? error : new Error(String(error));
  };
  const onData = (chunk: Uint8Array): void => {
    if (!out.write(chunk)) mustDrain = true;
  };
  out.on('error', onOutError);
  doc.on('data', onData);

  let labels = 0;
  let pages = 0;
  let onPage = 0;
  let firstCode: string | undefined;
  let lastCode: string | undefined;
  let pageFirst = '';
  const [pageW, pageH] = sheet.pageSize;
  const slug = (page: number, first: string, last: string): string =>
    `${text.productName} · ${spec.widthMm} × ${spec.heightMm} mm · ${spec.layout} · ${spec.colour} · 第 ${page} 页 · ${first} – ${last}`;

  /** Between pages: let `out` drain and other work run, report progress, honour the signal. */
  const betweenPages = async (): Promise<void> => {
    if (failure !== undefined) throw failure;
    if (mustDrain) {
      mustDrain = false;
      await drained(out);
    } else {
      await new Promise<void>((resolve) => setImmediate(resolve));
    }
    options.onProgress?.(labels);
    options.signal?.throwIfAborted();
  };

  try {
    options.signal?.throwIfAborted();
    for await (const item of items) {
      checkItem(item, labels);
      if (onPage === 0) {
        const previous = pages > 0 ? doc.page : undefined;
        doc.addPage({ size: [pageW, pageH], margin: 0 }); // writes the previous page
        if (previous) releaseWrittenPage(previous);
        pages++;
        pageFirst = item.code;
      }
      const { x, y } = sheet.slot(onPage);
      painter.draw(item, x, y);
      firstCode ??= item.code;
      lastCode = item.code;
      labels++;
      onPage++;
      if (onPage === sheet.perPage) {
        sheet.finishPage(doc, painter, onPage, slug(pages, pageFirst, item.code));
        onPage = 0;
        await betweenPages();
      }
    }
    if (onPage > 0) sheet.finishPage(doc, painter, onPage, slug(pages, pageFirst, lastCode ?? ''));
    if (pages === 0) {
      doc.addPage({ size: [pageW, pageH], margin: 0 });
      pages = 1;
    }
    const ended = once(doc, 'end');
    doc.end();
    await ended;
    if (failure !== undefined) throw failure;
    if (options.endOutput ?? true) {
      await new Promise<void>((resolve, reject) => {
        out.once('error', reject);
        out.end(() => {
          out.off('error', reject);
          resolve();
        });
      });
    }
    options.onProgress?.(labels);
    return { labels, pages, firstCode, lastCode };
  } finally {
    doc.off('data', onData);
    out.off('error', onOutError);
  }
}
