import { createWriteStream, mkdirSync } from 'node:fs';
import { pipeline } from 'node:stream/promises';
import { rename } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import { SingleBar } from 'cli-progress';
import pino from 'pino';
import { migrateToLatest, openDatabase, repositories, type PackingLevel } from '@tracemark/db';
import {
  AppError,
  createJob,
  jobLabelsPdf,
  FileStore,
  lookupCode,
  scanUrl,
  systemContext,
  writeExport,
  type Config,
  type ExportSpec,
  type LabelSpec,
  type ServiceContext,
} from '@tracemark/server';
import { commandActor, reportingAppErrors, settingsOrReport, type Io } from '../settings.js';

/** Runs `work` with a system context on a migrated database, closing it afterwards. */
async function withContext<T>(config: Config, work: (ctx: ServiceContext) => Promise<T>): Promise<T> {
  mkdirSync(config.dataDir, { recursive: true });
  const db = openDatabase(config.database);
  try {
    await migrateToLatest(db);
    return await work(
      systemContext({ db, config, files: new FileStore(config.dataDir), log: pino({ level: 'silent' }) }),
    );
  } finally {
    await db.close();
  }
}

/** `tracemark codes verify CODE [--json]`: what the platform knows of a code. */
export async function verifyCommand(
  env: Readonly<Record<string, string | undefined>>,
  io: Io,
  code: string,
  json: boolean,
): Promise<number> {
  const config = settingsOrReport(env, io);
  if (config === undefined) return 2;
  const result = await withContext(config, (ctx) => lookupCode(ctx, code));
  if (json) io.out(`${JSON.stringify(result, null, 2)}\n`);
  else if (result.status === 'invalid')
    io.out(`${result.code}: not a valid code (${result.reason}: ${result.message})\n`);
  else if (result.status === 'unknown_space')
    io.out(`${result.code}: well-formed, but no code space has the prefix ${result.prefix}\n`);
  else {
    io.out(
      [
        `code      ${result.code}`,
        `status    ${result.status}`,
        `space     ${result.spaceId} (prefix ${result.prefix})`,
        `serial    ${result.serial}`,
        `job       ${result.jobId ?? '—'}`,
        `batch     ${result.batchId ?? '—'}`,
        '',
      ].join('\n'),
    );
  }
  return result.status === 'active' || result.status === 'issued' ? 0 : 1;
}

/** Options of `tracemark codes generate`. */
export interface GenerateOptions {
  readonly space: string;
  readonly count: string;
  readonly out: string;
  readonly product?: string;
  readonly level?: string;
  readonly pin?: boolean;
  readonly split?: string;
  readonly noUrl?: boolean;
}

/**
 * `tracemark codes generate --space ID --count N --out FILE`: issues a job of N codes and writes
 * them to FILE (format from its name: .csv, .txt, with .gz, or .zip), with a progress bar.
 */
export async function generateCommand(
  env: Readonly<Record<string, string | undefined>>,
  io: Io,
  o: GenerateOptions,
  progress: boolean,
): Promise<number> {
  const config = settingsOrReport(env, io);
  if (config === undefined) return 2;
  const count = Number(o.count);
  const split = o.split === undefined ? undefined : Number(o.split);
  const levels: readonly string[] = ['item', 'box', 'case', 'pallet'];
  const m = /^(.*?)\.(csv|txt)(\.gz)?$|^(.*?)\.zip$/.exec(basename(o.out));
  const problems = [
    ...(!Number.isInteger(count) || count < 1 || count > 100_000_000
      ? ['--count must be a whole number from 1 to 100000000']
      : []),
    ...(split !== undefined && (!Number.isInteger(split) || split < 1 || split > 10_000_000)
      ? ['--split must be from 1 to 10000000']
      : []),
    ...(o.level !== undefined && !levels.includes(o.level)
      ? ['--level must be item, box, case or pallet']
      : []),
    ...(m === null ? ['--out must end in .csv, .txt, .csv.gz, .txt.gz or .zip'] : []),
  ];
  if (problems.length > 0 || m === null) {
    io.err(`${problems.join('\n')}\n`);
    return 2;
  }
  const zip = m[4] !== undefined;
  const spec: ExportSpec = {
    format: m[2] === 'txt' ? 'txt' : 'csv',
    compression: zip ? 'zip' : m[3] !== undefined ? 'gzip' : 'none',
    codesPerFile: split ?? Math.min(count, 10_000_000),
    includeUrl: o.noUrl !== true,
    includePin: o.pin === true,
    fileStem: zip ? (m[4] ?? 'codes') : (m[1] ?? 'codes'),
  };
  return reportingAppErrors(io, () =>
    withContext(config, async (ctx) => {
      const space = await repositories(ctx.db.kysely).codes.findSpaceById(o.space);
      if (space === undefined) throw new AppError('TRACE_CODE_SPACE_NOT_FOUND');
      const actor = commandActor(space.tenant_id, 'tracemark codes generate');
      const job = await createJob(
        { ...ctx, actor },
        {
          spaceId: space.id,
          count,
          packingLevel: (o.level ?? 'item') as PackingLevel,
          withPin: o.pin === true,
          ...(o.product !== undefined ? { productId: o.product } : {}),
        },
      );
      const product =
        job.product_id === null
          ? undefined
          : await repositories(ctx.db.kysely).products.find(space.tenant_id, job.product_id);
      const gtin = product?.gtin ?? null;
      const engine = ctx.engines.for(space);
      const bar = progress
        ? new SingleBar({
            format: 'codes [{bar}] {percentage}% | {value}/{total} | {eta_formatted} left',
            hideCursor: true,
          })
        : undefined;
      bar?.start(count, 0);
      const started = Date.now();
      const files = await writeExport(
        {
          firstSerial: job.first_serial,
          count,
          encode: (first, n) => engine.codec.encodeBatch(first, n),
          encodeInto: (first, n, target, offset, stride) =>
            engine.codec.encodeBatchInto(first, n, target, offset, stride),
          pins: (first, n) => engine.pins.pinBatch(first, n),
          url: (code) => scanUrl(config.publicUrl, code, gtin),
          urlPattern: scanUrl(config.publicUrl, '0'.repeat(space.code_length), gtin).replace(
            '0'.repeat(space.code_length),
            '{code}',
          ),
        },
        spec,
        dirname(resolve(o.out)),
        { onProgress: (p) => bar?.update(p.codesWritten) },
      );
      bar?.update(count);
      bar?.stop();
      // One plain or gzip part: give it exactly the name asked for (parts keep -0001… names).
      const only = files.length === 1 ? files[0] : undefined;
      if (only !== undefined && only.name !== basename(o.out)) {
        await rename(join(dirname(resolve(o.out)), only.name), resolve(o.out));
        files[0] = { ...only, name: basename(o.out) };
      }
      const seconds = (Date.now() - started) / 1000;
      io.out(
        `Issued job ${job.id}: ${count} codes of space ${space.prefix} (serials ${job.first_serial}–${job.first_serial + count - 1}) in ${seconds.toFixed(1)} s.\n` +
          files.map((f) => `  ${f.name}  ${f.codes} codes  ${f.bytes} bytes  sha256 ${f.sha256}\n`).join('') +
          'The codes stay inactive until activated for a batch.\n',
      );
      return 0;
    }),
  );
}

/** Options of `tracemark codes labels`. */
export interface LabelsOptions {
  readonly job: string;
  readonly out: string;
  readonly layout?: string;
  readonly colour?: string;
  readonly size?: string;
  readonly sheet?: string;
  readonly offset?: string;
  readonly count?: string;
}

/** `tracemark codes labels --job ID --out FILE.pdf`: print-ready label PDF of a job's codes. */
export async function labelsCommand(
  env: Readonly<Record<string, string | undefined>>,
  io: Io,
  o: LabelsOptions,
): Promise<number> {
  const config = settingsOrReport(env, io);
  if (config === undefined) return 2;
  const size = /^(\d+(?:\.\d+)?)x(\d+(?:\.\d+)?)$/.exec(o.size ?? '20x30');
  const offset = Number(o.offset ?? '0');
  const count = Number(o.count ?? '1000');
  if (size === null || !Number.isInteger(offset) || offset < 0 || !Number.isInteger(count) || count < 1) {
    io.err('--size is WIDTHxHEIGHT in mm (e.g. 20x30); --offset and --count are whole numbers\n');
    return 2;
  }
  return reportingAppErrors(io, () =>
    withContext(config, async (ctx) => {
      const job = await repositories(ctx.db.kysely).codes.findJobById(o.job);
      if (job === undefined) throw new AppError('TRACE_CODE_JOB_NOT_FOUND');
      const actor = commandActor(job.tenant_id, 'tracemark codes labels');
      const spec = {
        layout: (o.layout ?? 'classic') as LabelSpec['layout'],
        colour: (o.colour ?? 'red') as LabelSpec['colour'],
        widthMm: Number(size[1]),
        heightMm: Number(size[2]),
        sheet: (o.sheet ?? 'a4') as LabelSpec['sheet'],
      };
      const started = Date.now();
      const pdf = await jobLabelsPdf({ ...ctx, actor }, job.id, spec, { offset, count });
      await pipeline(pdf.stream, createWriteStream(resolve(o.out)));
      io.out(`Wrote ${pdf.count} labels to ${o.out} in ${((Date.now() - started) / 1000).toFixed(1)} s.\n`);
      return 0;
    }),
  );
}
