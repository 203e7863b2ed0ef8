/**
 * Worker thread of {@link LabelRenderPool}: renders PDF files from items the main thread
 * posts, one file at a time. Messages are {@link ToLabelWorker} in and {@link FromLabelWorker}
 * out. On start it draws one label to nowhere (fonts parsed, code compiled) and then says
 * `ready`, so a job's first file starts at full speed.
 */
import { createWriteStream } from 'node:fs';
import { rm } from 'node:fs/promises';
import { Writable } from 'node:stream';
import { parentPort } from 'node:worker_threads';
import type { LabelItem, LabelSpec, LabelText } from './label-spec.js';
import { renderLabels } from './render-labels.js';

/** Main thread → worker. */
export type ToLabelWorker =
  | {
      readonly type: 'open';
      readonly file: number;
      readonly path: string;
      readonly spec: LabelSpec;
      readonly text: LabelText;
    }
  | { readonly type: 'items'; readonly file: number; readonly items: readonly LabelItem[] }
  | { readonly type: 'close'; readonly file: number };

/** Worker → main thread. */
export type FromLabelWorker =
  | { readonly type: 'ready' }
  | { readonly type: 'progress'; readonly file: number; readonly labels: number }
  | {
      readonly type: 'done';
      readonly file: number;
      readonly labels: number;
      readonly pages: number;
      readonly firstCode: string | undefined;
      readonly lastCode: string | undefined;
    }
  | { readonly type: 'failed'; readonly file: number; readonly message: string };

/** Progress messages at most this often: a roll finishes a page per label. */
const PROGRESS_INTERVAL_MS = 100;

/** An async iterable fed by messages: items wait here until the renderer takes them. */
class ItemQueue implements AsyncIterable<LabelItem> {
  #items: LabelItem[] = [];
  #closed = false;
  #wake: (() => void) | undefined;

  push(items: readonly LabelItem[]): void {
    for (const item of items) this.#items.push(item);
    this.#wake?.();
  }

  close(): void {
    this.#closed = true;
    this.#wake?.();
  }

  async *[Symbol.asyncIterator](): AsyncIterator<LabelItem> {
    for (;;) {
      if (this.#items.length > 0) {
        const batch = this.#items;
        this.#items = [];
        yield* batch;
      } else if (this.#closed) {
        return;
      } else {
        await new Promise<void>((resolve) => (this.#wake = resolve));
        this.#wake = undefined;
      }
    }
  }
}

const port = parentPort;
if (!port) throw new Error('label-worker runs only as a worker thread');
const post = (message: FromLabelWorker): void => port.postMessage(message);

await renderLabels(
  [{ code: '000000000000000', url: 'https://example.cn/c/000000000000000' }],
  { layout: 'classic', colour: 'red', widthMm: 20, heightMm: 30, sheet: 'roll' },
  { productName: '预热', platformName: '预热' },
  new Writable({ write: (_chunk, _encoding, callback) => callback() }),
);

const queues = new Map<number, ItemQueue>();

function open(file: number, path: string, spec: LabelSpec, text: LabelText): void {
  const items = new ItemQueue();
  queues.set(file, items);
  let lastProgress = 0;
  const out = createWriteStream(path);
  renderLabels(items, spec, text, out, {
    onProgress: (labels) => {
      const now = Date.now();
      if (now - lastProgress >= PROGRESS_INTERVAL_MS) {
        lastProgress = now;
        post({ type: 'progress', file, labels });
      }
    },
  }).then(
    (result) => {
      queues.delete(file);
      post({ type: 'done', file, ...result });
    },
    async (error: unknown) => {
      queues.delete(file);
      out.destroy();
      await rm(path, { force: true });
      post({ type: 'failed', file, message: error instanceof Error ? error.message : String(error) });
    },
  );
}

port.on('message', (message: ToLabelWorker) => {
  switch (message.type) {
    case 'open':
      open(message.file, message.path, message.spec, message.text);
      break;
    case 'items':
      queues.get(message.file)?.push(message.items);
      break;
    case 'close':
      queues.get(message.file)?.close();
      break;
  }
});
post({ type: 'ready' });
