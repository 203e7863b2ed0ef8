import { mkdir, rm } from 'node:fs/promises';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import type { FromLabelWorker, ToLabelWorker } from './label-worker.js';
import {
  assertLabelSpec,
  labelsPerPage,
  type LabelItem,
  type LabelSpec,
  type LabelText,
} from './label-spec.js';
import { assertLabelText } from './render-labels.js';

/** Options of {@link LabelRenderPool.renderFiles} and {@link renderLabelFiles}. */
export interface RenderLabelFilesOptions {
  /**
   * Labels per PDF file, rounded up to whole pages so only the last file ends on a part-filled
   * sheet. Default 1,000 (16 A4 sheets of 20 × 30 mm labels). Files are the unit of work: a
   * job of fewer labels than this uses one core.
   */
  readonly labelsPerFile?: number;
  /** The name of file `index` (1-based) inside `outDir`; default `labels-0001.pdf`. */
  readonly fileName?: (index: number) => string;
  /** Called as pages are finished (at most every 100 ms per worker) with the labels drawn so far. */
  readonly onProgress?: (labels: number) => void;
  /** Stops the job: its workers are stopped (and replaced), unfinished files removed, and the promise rejects with the signal's reason. */
  readonly signal?: AbortSignal;
}

/** One PDF file of a job. */
export interface LabelFile {
  readonly path: string;
  readonly labels: number;
  readonly pages: number;
  readonly firstCode: string | undefined;
  readonly lastCode: string | undefined;
}

/** What a job wrote. */
export interface RenderLabelFilesResult {
  /** In item order: file 1 holds the first `labelsPerFile` items, and so on. */
  readonly files: readonly LabelFile[];
  readonly labels: number;
  readonly pages: number;
}

/** Options of {@link LabelRenderPool}. */
export interface LabelRenderPoolOptions {
  /** Worker threads; default every core the process may use (`os.availableParallelism()`), at most 16. */
  readonly workers?: number;
}

const DEFAULT_LABELS_PER_FILE = 1000;
const MAX_WORKERS = 16;
/** Items per message to a worker: large enough that messaging costs nothing next to drawing. */
const BATCH = 256;

/**
 * Starts a label worker: the compiled `label-worker.js` next to this file in production. From
 * TypeScript sources (tests, benchmarks) Node 20 cannot start a worker from a .ts entry even
 * with tsx in `execArgv`, so a one-line JavaScript entry registers tsx's loader in the worker
 * and then imports `label-worker.ts`.
 */
function startWorker(): Worker {
  const here = import.meta.url;
  if (!here.endsWith('.ts')) return new Worker(new URL('./label-worker.js', here));
  const tsx = import.meta.resolve('tsx/esm/api');
  const entry = new URL('./label-worker.ts', here).href;
  const bootstrap = `import(${JSON.stringify(tsx)}).then(({ register }) => { register(); return import(${JSON.stringify(entry)}); });`;
  return new Worker(bootstrap, { eval: true });
}

/** What the pool tells the job that owns a file. */
interface FileListener {
  readonly progress: (labels: number) => void;
  readonly done: (result: Extract<FromLabelWorker, { type: 'done' }>) => void;
  readonly failed: (error: Error) => void;
}

interface PoolWorker {
  readonly worker: Worker;
  readonly ready: Promise<void>;
  /** The file it is rendering, if any. */
  file: number | undefined;
}

/**
 * A set of worker threads that render label PDFs, kept alive between jobs (starting a worker
 * and parsing the CJK fonts costs ~0.1–0.7 s). Jobs deal their items out a file at a time to
 * whichever worker is free, so one big job keeps every core drawing and several jobs share the
 * cores. A worker that dies is replaced at the next file.
 *
 * @example
 * const pool = new LabelRenderPool();         // one worker per core
 * const result = await pool.renderFiles(items, spec, text, outDir, { onProgress });
 * await pool.close();                         // at shutdown
 */
export class LabelRenderPool {
  /** The number of worker threads the pool runs at most. */
  readonly size: number;
  readonly #workers = new Set<PoolWorker>();
  readonly #idle: PoolWorker[] = [];
  readonly #waiting: ((worker: PoolWorker) => void)[] = [];
  readonly #listeners = new Map<number, FileListener>();
  #nextFile = 1;
  #closed = false;

  constructor(options: LabelRenderPoolOptions = {}) {
    const size = options.workers ?? Math.min(availableParallelism(), MAX_WORKERS);
    if (!Number.isInteger(size) || size < 1 || size > MAX_WORKERS) {
      throw new RangeError(`workers must be an integer from 1 to ${MAX_WORKERS}.`);
    }
    this.size = size;
  }

  /** Starts every worker and waits until each is ready (fonts parsed, code warm). Optional. */
  async warm(): Promise<void> {
    while (this.#workers.size < this.size) this.#idle.push(this.#spawn());
    await Promise.all([...this.#workers].map((w) => w.ready));
  }

  /** Stops the workers; jobs still running fail. */
  async close(): Promise<void> {
    this.#closed = true;
    const workers = [...this.#workers];
    this.#workers.clear();
    this.#idle.length = 0;
    for (const listener of this.#listeners.values())
      listener.failed(new Error('The label render pool was closed.'));
    this.#listeners.clear();
    await Promise.all(workers.map((w) => w.worker.terminate()));
  }

  #spawn(): PoolWorker {
    const worker = startWorker();
    let markReady: () => void = () => undefined;
    const entry: PoolWorker = {
      worker,
      ready: new Promise<void>((resolve) => (markReady = resolve)),
      file: undefined,
    };
    this.#workers.add(entry);
    worker.on('message', (message: FromLabelWorker) => {
      if (message.type === 'ready') {
        markReady();
        return;
      }
      const listener = this.#listeners.get(message.file);
      if (!listener) return;
      switch (message.type) {
        case 'progress':
          listener.progress(message.labels);
          break;
        case 'done':
          this.#listeners.delete(message.file);
          entry.file = undefined;
          this.#release(entry);
          listener.done(message);
          break;
        case 'failed':
          this.#listeners.delete(message.file);
          entry.file = undefined;
          this.#release(entry);
          listener.failed(new Error(`Label file ${message.file}: ${message.message}`));
          break;
      }
    });
    const lost = (error: Error): void => {
      if (!this.#workers.delete(entry)) return; // already closed or stopped on purpose
      const index = this.#idle.indexOf(entry);
      if (index >= 0) this.#idle.splice(index, 1);
      markReady();
      if (entry.file !== undefined) {
        const listener = this.#listeners.get(entry.file);
        this.#listeners.delete(entry.file);
        listener?.failed(error);
      }
      // A waiting job gets a fresh worker in place of the lost one.
      const next = this.#waiting.shift();
      if (next && !this.#closed) next(this.#spawn());
    };
    worker.on('error', lost);
    worker.on('exit', (code) => lost(new Error(`A label worker stopped (exit code ${code}).`)));
    return entry;
  }

  #release(entry: PoolWorker): void {
    if (!this.#workers.has(entry)) return;
    const next = this.#waiting.shift();
    if (next) next(entry);
    else this.#idle.push(entry);
  }

  async #acquire(): Promise<PoolWorker> {
    if (this.#closed) throw new Error('The label render pool is closed.');
    const free = this.#idle.pop();
    if (free) return free;
    if (this.#workers.size < this.size) return this.#spawn();
    return new Promise<PoolWorker>((resolve) => this.#waiting.push(resolve));
  }

  /** Stops a worker on purpose (an aborted job); the pool spawns another when needed. */
  async #stop(entry: PoolWorker): Promise<void> {
    this.#workers.delete(entry);
    const index = this.#idle.indexOf(entry);
    if (index >= 0) this.#idle.splice(index, 1);
    await entry.worker.terminate();
    const next = this.#waiting.shift();
    if (next && !this.#closed) next(this.#spawn());
  }

  /**
   * Renders `items` into PDF files in `outDir`, in parallel on the pool's workers. The main
   * thread only reads items and posts them in batches; memory stays bounded whatever the job's
   * size (at most one file's items per worker in flight, ~150 B an item; each worker streams
   * its PDF to disk page by page).
   *
   * On failure the files already finished stay, the unfinished ones are removed, and the
   * promise rejects.
   */
  async renderFiles(
    items: Iterable<LabelItem> | AsyncIterable<LabelItem>,
    spec: LabelSpec,
    text: LabelText,
    outDir: string,
    options: RenderLabelFilesOptions = {},
  ): Promise<RenderLabelFilesResult> {
    assertLabelSpec(spec);
    assertLabelText(text);
    const requested = options.labelsPerFile ?? DEFAULT_LABELS_PER_FILE;
    if (!Number.isInteger(requested) || requested < 1)
      throw new RangeError('labelsPerFile must be a positive integer.');
    const perPage = labelsPerPage(spec);
    const perFile = Math.ceil(requested / perPage) * perPage;
    const fileName =
      options.fileName ?? ((index: number): string => `labels-${String(index).padStart(4, '0')}.pdf`);
    const signal = options.signal;
    signal?.throwIfAborted();
    await mkdir(outDir, { recursive: true });

    const files: LabelFile[] = [];
    /** Files started and not yet done: their path, worker, and the promise settled when they end. */
    const open = new Map<number, { path: string; entry: PoolWorker; ended: Promise<void> }>();
    const progress = new Map<number, number>();
    let labelsDone = 0;
    let failure: Error | undefined;
    let wakeOnFailure: (() => void) | undefined;
    const fail = (error: unknown): void => {
      failure ??= error instanceof Error ? error : new Error(String(error));
      wakeOnFailure?.();
    };
    const onAbort = (): void => fail(signal?.reason);
    signal?.addEventListener('abort', onAbort, { once: true });
    const report = (): void => {
      if (!options.onProgress) return;
      let inFlight = 0;
      for (const labels of progress.values()) inFlight += labels;
      options.onProgress(labelsDone + inFlight);
    };
    /** Waits for `promise` unless the job fails first. */
    const unlessFailed = async <T>(promise: Promise<T>): Promise<T> => {
      const failed = new Promise<never>((_, reject) => {
        wakeOnFailure = () => {
          if (failure) reject(failure);
        };
        if (failure) reject(failure);
      });
      try {
        return await Promise.race([promise, failed]);
      } finally {
        wakeOnFailure = undefined;
        failed.catch(() => undefined);
      }
    };

    let current:
      { entry: PoolWorker; file: number; index: number; batch: LabelItem[]; count: number } | undefined;
    const send = (entry: PoolWorker, message: ToLabelWorker): void => entry.worker.postMessage(message);
    const flush = (): void => {
      if (current && current.batch.length > 0) {
        send(current.entry, { type: 'items', file: current.file, items: current.batch });
        current.batch = [];
      }
    };
    const closeFile = (): void => {
      if (!current) return;
      flush();
      send(current.entry, { type: 'close', file: current.file });
      current = undefined;
    };

    try {
      let index = 0;
      for await (const item of items) {
        if (failure !== undefined) throw failure;
        if (!current) {
          const acquiring = this.#acquire();
          const entry = await unlessFailed(acquiring).catch((error: unknown) => {
            // Do not strand a worker handed over after the job failed.
            void acquiring.then(
              (late) => this.#release(late),
              () => undefined,
            );
            throw error;
          });
          index++;
          const file = this.#nextFile++;
          const path = join(outDir, fileName(index));
          const slot = index - 1;
          const ended = new Promise<void>((resolve) => {
            this.#listeners.set(file, {
              progress: (labels) => {
                progress.set(file, labels);
                report();
              },
              done: (result) => {
                open.delete(file);
                progress.delete(file);
                labelsDone += result.labels;
                files[slot] = {
                  path,
                  labels: result.labels,
                  pages: result.pages,
                  firstCode: result.firstCode,
                  lastCode: result.lastCode,
                };
                report();
                resolve();
              },
              failed: (error) => {
                fail(error);
                resolve();
              },
            });
          });
          entry.file = file;
          open.set(file, { path, entry, ended });
          send(entry, { type: 'open', file, path, spec, text });
          current = { entry, file, index, batch: [], count: 0 };
        }
        current.batch.push(item);
        current.count++;
        if (current.count === perFile) closeFile();
        else if (current.batch.length === BATCH) flush();
      }
      closeFile();
      await unlessFailed(Promise.all([...open.values()].map((f) => f.ended)));
      if (failure !== undefined) throw failure;
      return {
        files,
        labels: files.reduce((sum, f) => sum + f.labels, 0),
        pages: files.reduce((sum, f) => sum + f.pages, 0),
      };
    } catch (error) {
      // Stop the workers still on this job's files, then remove what they left half written.
      const unfinished = [...open.entries()];
      for (const [file] of unfinished) this.#listeners.delete(file);
      // (A worker whose file failed has moved on, maybe to another job: leave it be.)
      await Promise.all(
        unfinished.map(([file, f]) => (f.entry.file === file ? this.#stop(f.entry) : Promise.resolve())),
      );
      await Promise.all(unfinished.map(([, f]) => rm(f.path, { force: true })));
      throw error;
    } finally {
      signal?.removeEventListener('abort', onAbort);
    }
  }
}

/**
 * Renders labels into several PDF files in parallel with a pool of worker threads started for
 * this job (see {@link LabelRenderPool}; a service rendering many jobs should keep one pool).
 * Printers take a job as several files; file 1 holds the first `labelsPerFile` items.
 *
 * @example
 * const { files, labels } = await renderLabelFiles(
 *   items, // e.g. an async generator over a generation job's codes
 *   { layout: 'classic', colour: 'green', widthMm: 20, heightMm: 30, sheet: 'a4' },
 *   { productName: '五常有机稻花香大米', platformName: '产品追溯防伪', hint: '扫码验真伪' },
 *   '/var/lib/tracemark/jobs/42/labels',
 *   { labelsPerFile: 2048, workers: 2, onProgress: (n) => bar.update(n) },
 * );
 */
export async function renderLabelFiles(
  items: Iterable<LabelItem> | AsyncIterable<LabelItem>,
  spec: LabelSpec,
  text: LabelText,
  outDir: string,
  options: RenderLabelFilesOptions & LabelRenderPoolOptions = {},
): Promise<RenderLabelFilesResult> {
  const pool = new LabelRenderPool(options.workers === undefined ? {} : { workers: options.workers });
  try {
    return await pool.renderFiles(items, spec, text, outDir, options);
  } finally {
    await pool.close();
  }
}
