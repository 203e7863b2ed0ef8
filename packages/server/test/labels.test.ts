import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, readFile, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { inflateSync } from 'node:zlib';
import PDFDocument from 'pdfkit';
import QRCode from 'qrcode';
import {
  LABEL_COLOURS,
  LABEL_LAYOUTS,
  LabelRenderPool,
  LabelSpecError,
  groupCode,
  labelsPerPage,
  qrMatrix,
  qrRects,
  renderLabelFiles,
  renderLabels,
  validateLabelSpec,
  type LabelColour,
  type LabelItem,
  type LabelSpec,
  type LabelText,
} from '../src/modules/codes/labels/index.js';
import { registerLabelFonts } from '../src/modules/codes/labels/label-fonts.js';
import { LabelPainter } from '../src/modules/codes/labels/label-painter.js';

const TEXT: LabelText = {
  productName: '五常有机稻花香大米',
  brandName: '北大荒',
  platformName: '产品追溯防伪',
  hint: '扫码验真伪',
};
const A4: LabelSpec = { layout: 'classic', colour: 'red', widthMm: 20, heightMm: 30, sheet: 'a4' };
const ROLL: LabelSpec = { ...A4, sheet: 'roll' };

function codeAt(i: number, length = 21): string {
  return String(123456789012345678901n + BigInt(i) * 7919n).slice(0, length);
}

function items(count: number, options: { length?: number; pin?: boolean; gs1?: boolean } = {}): LabelItem[] {
  return Array.from({ length: count }, (_, i) => {
    const code = codeAt(i, options.length);
    const url = options.gs1
      ? `https://trace.example.cn/01/06901234567892/21/${code}`
      : `https://trace.example.cn/c/${code}`;
    return { code, url, ...(options.pin ? { pin: String(40_000_000 + i * 37) } : {}) };
  });
}

/** Renders into memory. */
async function render(
  list: Iterable<LabelItem> | AsyncIterable<LabelItem>,
  spec: LabelSpec,
  text: LabelText = TEXT,
) {
  const chunks: Buffer[] = [];
  const out = new Writable({
    write(chunk: Buffer, _encoding, callback) {
      chunks.push(chunk);
      callback();
    },
  });
  const result = await renderLabels(list, spec, text, out);
  return { ...result, pdf: Buffer.concat(chunks) };
}

// ---- a small reader for what pdfkit writes (plain objects, Flate streams, no object streams) ----

interface PdfObject {
  readonly dict: string;
  readonly stream: Buffer | undefined;
}

function pdfObjects(pdf: Buffer): Map<number, PdfObject> {
  const text = pdf.toString('latin1'); // one char per byte, so string offsets are byte offsets
  const objects = new Map<number, PdfObject>();
  const header = /(\d+) 0 obj\n/g;
  let match: RegExpExecArray | null;
  while ((match = header.exec(text))) {
    const start = match.index + match[0].length;
    const end = text.indexOf('\nendobj', start);
    const body = text.slice(start, end);
    const streamAt = body.indexOf('\nstream\n');
    if (streamAt < 0) {
      objects.set(Number(match[1]), { dict: body, stream: undefined });
      continue;
    }
    const dict = body.slice(0, streamAt);
    const length = Number(/\/Length (\d+)/.exec(dict)?.[1]);
    const from = start + streamAt + '\nstream\n'.length;
    const raw = pdf.subarray(from, from + length);
    objects.set(Number(match[1]), { dict, stream: dict.includes('/FlateDecode') ? inflateSync(raw) : raw });
  }
  return objects;
}

/** Glyph id → text, from a font's ToUnicode CMap as pdfkit writes it (bfrange with arrays). */
function toUnicode(cmap: string): Map<number, string> {
  const map = new Map<number, string>();
  for (const range of cmap.matchAll(/<([0-9a-f]+)> <[0-9a-f]+> \[([^\]]*)\]/gi)) {
    let gid = parseInt(range[1] ?? '0', 16);
    for (const entry of (range[2] ?? '').matchAll(/<([0-9a-f ]+)>/gi)) {
      const units = (entry[1] ?? '').split(' ').map((hex) => parseInt(hex, 16));
      map.set(gid++, String.fromCharCode(...units));
    }
  }
  return map;
}

const refsIn = (dict: string, key: string): Map<string, number> => {
  const block = new RegExp(`/${key} <<([^>]*)>>`).exec(dict)?.[1] ?? '';
  return new Map([...block.matchAll(/\/(\w+) (\d+) 0 R/g)].map((m) => [m[1] ?? '', Number(m[2])]));
};

/**
 * The text runs of each page, in drawing order, decoded through the fonts' ToUnicode maps and
 * following form XObjects: what a PDF reader's text extraction sees, without poppler.
 */
function pdfText(pdf: Buffer): string[][] {
  const objects = pdfObjects(pdf);
  const dictOf = (id: number): string => objects.get(id)?.dict ?? '';
  const unicodeOfFont = (fontId: number): Map<number, string> => {
    const cmapId = Number(/\/ToUnicode (\d+) 0 R/.exec(dictOf(fontId))?.[1]);
    return toUnicode(objects.get(cmapId)?.stream?.toString('latin1') ?? '');
  };
  const decode = (hex: string, map: Map<number, string>): string =>
    (hex.match(/.{4}/g) ?? []).map((g) => map.get(parseInt(g, 16)) ?? '?').join('');
  const run = (content: string, resources: string, out: string[]): void => {
    const fonts = refsIn(resources, 'Font');
    const forms = refsIn(resources, 'XObject');
    let map = new Map<number, string>();
    for (const op of content.matchAll(/\/(\w+) [\d.]+ Tf|<([0-9a-f]+)> Tj|\[([^\]]*)\] TJ|\/(\w+) Do/gi)) {
      if (op[1]) map = unicodeOfFont(fonts.get(op[1]) ?? -1);
      else if (op[2]) out.push(decode(op[2], map));
      else if (op[3])
        out.push([...op[3].matchAll(/<([0-9a-f]+)>/gi)].map((m) => decode(m[1] ?? '', map)).join(''));
      else if (op[4]) {
        const form = objects.get(forms.get(op[4]) ?? -1);
        if (form?.stream) run(form.stream.toString('latin1'), form.dict, out);
      }
    }
  };
  const pages: string[][] = [];
  for (const { dict } of objects.values()) {
    if (!/\/Type \/Page\b/.test(dict)) continue;
    const content =
      objects.get(Number(/\/Contents (\d+) 0 R/.exec(dict)?.[1]))?.stream?.toString('latin1') ?? '';
    const resources = dictOf(Number(/\/Resources (\d+) 0 R/.exec(dict)?.[1]));
    const out: string[] = [];
    run(content, resources, out);
    pages.push(out);
  }
  return pages;
}

/** The QR symbols drawn on a page: each `cm` into module units followed by integer rectangles and a fill. */
function drawnQrs(pdf: Buffer): Uint8Array[] {
  const symbols: Uint8Array[] = [];
  for (const { dict, stream } of pdfObjects(pdf).values()) {
    if (!stream || dict.includes('/Subtype /Form') || !dict.includes('/Length')) continue;
    const content = stream.toString('latin1');
    for (const block of content.matchAll(/ cm\n((?:\d+ \d+ \d+ \d+ re\n)+)f\n/g)) {
      const rects = [...(block[1] ?? '').matchAll(/(\d+) (\d+) (\d+) (\d+) re/g)].map((m) =>
        m.slice(1, 5).map(Number),
      );
      const size = Math.max(
        ...rects.map(([x = 0, , w = 0]) => x + w),
        ...rects.map(([, y = 0, , h = 0]) => y + h),
      );
      const modules = new Uint8Array(size * size);
      for (const [x = 0, y = 0, w = 0, h = 0] of rects) {
        for (let r = y; r < y + h; r++)
          for (let c = x; c < x + w; c++) modules[r * size + c] = (modules[r * size + c] ?? 0) + 1;
      }
      symbols.push(modules);
    }
  }
  return symbols;
}

const pageCount = (pdf: Buffer): number => (pdf.toString('latin1').match(/\/Type \/Page\b/g) ?? []).length;

describe('label specs', () => {
  test('2:3 and 3:2 labels from 15 mm up are accepted in every layout and colour', () => {
    for (const layout of LABEL_LAYOUTS) {
      for (const colour of Object.keys(LABEL_COLOURS) as LabelColour[]) {
        for (const [widthMm, heightMm] of [
          [20, 30],
          [30, 20],
          [30, 45],
          [40, 60],
          [15, 22.5],
        ] as const) {
          for (const sheet of ['a4', 'roll'] as const) {
            assert.deepEqual(validateLabelSpec({ layout, colour, widthMm, heightMm, sheet }), { ok: true });
          }
        }
      }
    }
  });

  test('other ratios, QRs too small to scan, unknown layouts, colours and sheets are rejected with the reason', () => {
    const problem = (spec: unknown): string => {
      const check = validateLabelSpec(spec);
      if (check.ok) assert.fail(`accepted ${JSON.stringify(spec)}`);
      return check.problem;
    };
    assert.match(problem({ ...A4, heightMm: 25 }), /ratio 2:3/);
    assert.match(problem({ ...A4, widthMm: 30, heightMm: 30 }), /ratio 2:3/);
    assert.match(problem({ ...A4, widthMm: 10, heightMm: 15 }), /at least 15 mm/);
    assert.match(problem({ ...A4, layout: 'fancy' }), /Unknown layout/);
    assert.match(problem({ ...A4, colour: 'purple' }), /Unknown colour/);
    assert.match(problem({ ...A4, colour: 'toString' }), /Unknown colour/);
    assert.match(problem({ ...A4, sheet: 'letter' }), /Unknown sheet/);
    assert.match(problem({ ...A4, widthMm: Number.NaN }), /positive numbers/);
    assert.match(problem({ ...A4, marginMm: -1 }), /marginMm/);
    assert.match(problem({ ...A4, widthMm: 180, heightMm: 120, marginMm: 20 }), /does not fit on A4/);
    assert.match(problem({ ...A4, widthMm: 150, heightMm: 225, sheet: 'roll' }), /at most 180 mm/);
    assert.match(problem(null), /object/);
  });

  test('an invalid spec makes renderLabels throw before writing anything', async () => {
    let written = 0;
    const out = new Writable({
      write(chunk: Buffer, _e, callback) {
        written += chunk.length;
        callback();
      },
    });
    await assert.rejects(renderLabels(items(1), { ...A4, heightMm: 25 }, TEXT, out), LabelSpecError);
    await assert.rejects(renderLabels(items(1), A4, { ...TEXT, productName: ' ' }, out), /product name/);
    assert.equal(written, 0);
  });

  test('an A4 page holds the grid that fits inside the margins; a roll page holds one label', () => {
    assert.equal(labelsPerPage(A4), 64); // 8 × 8 with 10 mm margins and 2 mm gaps
    assert.equal(labelsPerPage({ ...A4, gapMm: 0 }), 81);
    assert.equal(labelsPerPage({ ...A4, widthMm: 30, heightMm: 20 }), 72);
    assert.equal(labelsPerPage({ ...A4, widthMm: 40, heightMm: 60 }), 16);
    assert.equal(labelsPerPage(ROLL), 1);
  });

  test('codes print in groups of 4', () => {
    assert.deepEqual(groupCode('123456789012345678901'), ['1234', '5678', '9012', '3456', '7890', '1']);
    assert.deepEqual(groupCode('123456789012345'), ['1234', '5678', '9012', '345']);
  });
});

describe('QR symbols', () => {
  test('qrMatrix gives exactly the qrcode module’s symbol (mask, modules) at levels M and Q', () => {
    const urls = [
      ...items(150).map((i) => i.url),
      ...items(150, { gs1: true, length: 15 }).map((i) => i.url),
      ...Array.from(
        { length: 60 },
        (_, i) => `https://x${i}.example.cn/${'路径'.repeat(i % 3)}${'abcdefghij'.repeat(1 + (i % 20))}`,
      ),
    ];
    for (const url of urls) {
      for (const level of ['M', 'Q'] as const) {
        const fast = qrMatrix(url, level);
        const reference = QRCode.create(url, { errorCorrectionLevel: level });
        assert.equal(fast.maskPattern, reference.maskPattern, url);
        assert.equal(fast.version, reference.version, url);
        assert.deepEqual(fast.modules, reference.modules.data, url);
      }
    }
  });

  test('the rectangles of a symbol cover every dark module once and no light one', () => {
    for (const { url } of items(40, { gs1: true })) {
      const qr = qrMatrix(url, 'M');
      const covered = new Uint8Array(qr.size * qr.size);
      for (const [x, y, w, h] of qrRects(qr)) {
        for (let r = y; r < y + h; r++)
          for (let c = x; c < x + w; c++) covered[r * qr.size + c] = (covered[r * qr.size + c] ?? 0) + 1;
      }
      assert.deepEqual(covered, qr.modules);
      assert.ok(qrRects(qr).length < qr.modules.reduce((a, b) => a + b, 0) / 2, 'runs are merged');
    }
  });

  test('the QR drawn on each label is the symbol of its URL', async () => {
    const list = [...items(3), ...items(2, { gs1: true })];
    for (const layout of LABEL_LAYOUTS) {
      const { pdf } = await render(list, { ...ROLL, layout });
      const drawn = drawnQrs(pdf);
      assert.equal(drawn.length, list.length);
      drawn.forEach((modules, i) => {
        const url = list[i]?.url ?? '';
        const matches = (['M', 'Q'] as const).some((level) => {
          const reference = QRCode.create(url, { errorCorrectionLevel: level }).modules.data;
          return modules.length === reference.length && modules.every((m, j) => m === reference[j]);
        });
        assert.ok(matches, `label ${i} of ${layout} draws the QR of ${url}`);
      });
    }
  });
});

describe('label PDFs', () => {
  test('a sheet is a complete PDF', async () => {
    const { pdf } = await render(items(10), A4);
    assert.equal(pdf.subarray(0, 5).toString('latin1'), '%PDF-');
    assert.equal(pdf.toString('latin1').trimEnd().slice(-5), '%%EOF');
  });

  test('A4 takes ceil(N / 64) pages for 20 × 30 mm labels; a roll one page per label, sized to it', async () => {
    const a4 = await render(items(130), A4);
    assert.deepEqual([a4.labels, a4.pages, pageCount(a4.pdf)], [130, 3, 3]);
    const roll = await render(items(5), ROLL);
    assert.deepEqual([roll.labels, roll.pages, pageCount(roll.pdf)], [5, 5, 5]);
    assert.match(roll.pdf.toString('latin1'), /\/MediaBox \[0 0 56\.69\d* 85\.03\d*\]/);
    const none = await render([], A4);
    assert.deepEqual([none.labels, none.pages, pageCount(none.pdf)], [0, 1, 1]);
  });

  test('Noto Sans SC is embedded as a subset, in two weights', async () => {
    const { pdf } = await render(items(2), A4);
    const raw = pdf.toString('latin1');
    assert.match(raw, /\/BaseFont \/[A-Z]{6}\+NotoSansSC-Regular/);
    assert.match(raw, /\/BaseFont \/[A-Z]{6}\+NotoSansSC-Bold/);
    assert.equal((raw.match(/\/FontFile2 /g) ?? []).length, 2);
    assert.ok(pdf.length < 60_000, `subset, not the 10 MB font: ${pdf.length} bytes`);
  });

  test('every layout prints the platform name, the product name and the code digits, in every colour', async () => {
    for (const layout of LABEL_LAYOUTS) {
      for (const colour of Object.keys(LABEL_COLOURS) as LabelColour[]) {
        for (const [widthMm, heightMm] of [
          [20, 30],
          [30, 20],
        ] as const) {
          const { pdf } = await render(items(2), { ...A4, layout, colour, widthMm, heightMm });
          const text = pdfText(pdf)[0]?.join('\n') ?? '';
          const where = `${layout} ${colour} ${widthMm}×${heightMm}`;
          // The sidebar sets the platform name vertically, a character per run.
          assert.ok(text.replace(/\n/g, '').includes(TEXT.platformName), `${where}: platform name`);
          assert.ok(text.replace(/\n/g, '').includes(TEXT.productName), `${where}: product name`);
          for (const item of items(2)) {
            assert.equal(text.replace(/\s/g, '').includes(item.code), true, `${where}: code ${item.code}`);
            assert.match(
              text,
              new RegExp(groupCode(item.code).slice(0, 2).join('\\s')),
              `${where}: grouped digits`,
            );
          }
        }
      }
    }
  });

  test('codes drawn glyph by glyph measure what pdfkit’s shaping measures (tabular, unkerned digits)', () => {
    const doc = new PDFDocument({ autoFirstPage: false });
    registerLabelFonts(doc);
    doc.addPage();
    const painter = new LabelPainter(doc, A4, TEXT);
    for (const weight of ['regular', 'bold'] as const) {
      for (const text of [
        '0123456789',
        '1234\u20025678\u20029012',
        '9876\u20025432\u20021',
        '11111111',
        '1010 0101',
      ]) {
        const plain = painter.drawPlain(text, weight, 6.2, 0, 0, '#000000');
        const shaped = doc.font(weight).fontSize(6.2).widthOfString(text);
        assert.ok(Math.abs(plain - shaped) < 1e-9, `${weight} ${text}: ${plain} vs ${shaped}`);
      }
    }
  });

  test('a PIN prints in the box captioned 刮开涂层, and without PINs there is no box', async () => {
    const list = items(3, { pin: true });
    const withPin = pdfText((await render(list, A4)).pdf)[0]?.join('\n') ?? '';
    assert.ok(withPin.includes('刮开涂层'));
    for (const item of list)
      assert.ok(withPin.replace(/\s/g, '').includes(item.pin ?? '?'), `PIN ${item.pin}`);
    const without = pdfText((await render(items(3), A4)).pdf)[0]?.join('\n') ?? '';
    assert.ok(!without.includes('刮开涂层'));
    assert.ok(without.includes('扫码验真伪'), 'the hint shows when there is no PIN');
  });

  test('a long product name is shortened with … rather than overflowing; mixed code lengths share a sheet', async () => {
    const text = { ...TEXT, productName: '黑龙江五常有机稻花香大米礼盒装特级精选新米二十五公斤' };
    const list = [...items(2, { length: 15 }), ...items(2, { length: 17 }), ...items(2)];
    const runs = pdfText((await render(list, { ...A4, layout: 'sidebar' }, text)).pdf)[0] ?? [];
    const name = runs.find((r) => r.startsWith('黑龙江'));
    assert.ok(name?.endsWith('…'), `shortened: ${name}`);
    for (const item of list) assert.ok(runs.join('').replace(/\s/g, '').includes(item.code));
  });

  test('a destination that goes away (a client hanging up) ends the rendering with an error, not a hang', async () => {
    const out = new Writable({
      highWaterMark: 1024,
      write: () => undefined, // never takes more: the first page fills the buffer
    });
    setTimeout(() => out.destroy(), 50);
    await assert.rejects(renderLabels(items(500), A4, TEXT, out), /closed|destroyed/);
  });

  test('items are drawn as they arrive: an endless source is stopped by the signal between pages', async () => {
    const controller = new AbortController();
    let pulled = 0;
    async function* endless(): AsyncGenerator<LabelItem> {
      for (let i = 0; ; i++) {
        await Promise.resolve();
        pulled++;
        yield { code: codeAt(i), url: `https://trace.example.cn/c/${codeAt(i)}` };
      }
    }
    const out = new Writable({ write: (_c, _e, callback) => callback() });
    const rendering = renderLabels(endless(), A4, TEXT, out, {
      signal: controller.signal,
      onProgress: (labels) => {
        if (labels >= 128) controller.abort();
      },
    });
    await assert.rejects(rendering, { name: 'AbortError' });
    assert.ok(pulled <= 129, `pulled ${pulled} items for 2 pages`);
  });
});

describe('label files on worker threads', () => {
  let dir: string;
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'tracemark-labels-'));
  });
  after(() => rm(dir, { recursive: true, force: true }));

  test('2 workers write the same files, labels and pages as 1, each a complete PDF in item order', async () => {
    const list = items(300);
    const results = [];
    for (const workers of [1, 2]) {
      const out = join(dir, `w${workers}`);
      const progress: number[] = [];
      const result = await renderLabelFiles(list, A4, TEXT, out, {
        workers,
        labelsPerFile: 100,
        onProgress: (n) => progress.push(n),
      });
      // 100 rounds up to two A4 pages (128 labels): 128 + 128 + 44.
      assert.deepEqual(
        result.files.map((f) => [f.labels, f.pages]),
        [
          [128, 2],
          [128, 2],
          [44, 1],
        ],
      );
      assert.deepEqual((await readdir(out)).sort(), [
        'labels-0001.pdf',
        'labels-0002.pdf',
        'labels-0003.pdf',
      ]);
      for (const file of result.files) {
        const pdf = await readFile(file.path);
        assert.equal(pdf.toString('latin1').trimEnd().slice(-5), '%%EOF');
        assert.equal(pageCount(pdf), file.pages);
      }
      assert.equal(progress.at(-1), 300);
      results.push(
        result.files.map((f) => ({
          labels: f.labels,
          pages: f.pages,
          firstCode: f.firstCode,
          lastCode: f.lastCode,
        })),
      );
    }
    assert.deepEqual(results[1], results[0]);
    assert.equal(results[0]?.[0]?.firstCode, list[0]?.code);
    assert.equal(results[0]?.[2]?.lastCode, list[299]?.code);
  });

  test('a pool serves jobs one after another and at once', async () => {
    const pool = new LabelRenderPool({ workers: 2 });
    try {
      await pool.warm();
      const [a, b] = await Promise.all([
        pool.renderFiles(items(150), ROLL, TEXT, join(dir, 'job-a'), { labelsPerFile: 50 }),
        pool.renderFiles(items(70, { pin: true }), A4, TEXT, join(dir, 'job-b'), { labelsPerFile: 64 }),
      ]);
      assert.deepEqual([a.labels, a.pages, a.files.length], [150, 150, 3]);
      assert.deepEqual([b.labels, b.pages, b.files.length], [70, 2, 2]);
      const c = await pool.renderFiles(items(10), A4, TEXT, join(dir, 'job-c'));
      assert.deepEqual([c.labels, c.files.length], [10, 1]);
    } finally {
      await pool.close();
    }
  });

  test('a bad item fails the job, keeps finished files and removes the unfinished one', async () => {
    const list = items(200);
    list[150] = { code: codeAt(150), url: '' };
    const out = join(dir, 'bad');
    await assert.rejects(
      renderLabelFiles(list, A4, TEXT, out, { workers: 2, labelsPerFile: 64 }),
      /Label 23 needs a code and a URL/,
    );
    const left = (await readdir(out)).sort();
    assert.ok(!left.includes('labels-0003.pdf'), `unfinished file removed: ${left.join()}`);
    for (const name of left) {
      assert.equal((await readFile(join(out, name))).toString('latin1').trimEnd().slice(-5), '%%EOF', name);
    }
  });

  test('aborting a job stops it and leaves no half-written file', async () => {
    const controller = new AbortController();
    const out = join(dir, 'aborted');
    const job = renderLabelFiles(items(3000), ROLL, TEXT, out, {
      workers: 2,
      labelsPerFile: 1000,
      signal: controller.signal,
      onProgress: () => controller.abort(),
    });
    await assert.rejects(job, { name: 'AbortError' });
    assert.deepEqual(await readdir(out), []);
  });
});
