import { Command, CommanderError } from 'commander';
import { createUserCommand } from './commands/user.js';
import {
  generateCommand,
  labelsCommand,
  verifyCommand,
  type GenerateOptions,
  type LabelsOptions,
} from './commands/codes.js';
import { demo } from './commands/demo.js';
import { rotateKeysCommand } from './commands/keys.js';
import { migrate } from './commands/migrate.js';
import { serve } from './commands/serve.js';
import type { Io } from './settings.js';

/**
 * Runs the `tracemark` command line and resolves with the process exit code. The environment
 * is read here, at the entry point, and handed down.
 */
export async function main(
  argv: readonly string[],
  env: Readonly<Record<string, string | undefined>>,
  io: Io = {
    out: (t) => process.stdout.write(t),
    err: (t) => process.stderr.write(t),
    progress: process.stderr.isTTY,
  },
): Promise<number> {
  let code = 0;
  const program = new Command('tracemark')
    .description(
      'Tracemark — product traceability and anti-counterfeiting platform (产品追溯防伪平台).\nSettings come from environment variables; see docs/configuration.md.',
    )
    .exitOverride()
    .configureOutput({ writeOut: io.out, writeErr: io.err });

  program
    .command('serve')
    .description('migrate the database and serve the API, scan pages and console')
    .action(async () => {
      code = await serve(env, io);
    });

  program
    .command('migrate')
    .description('bring the database schema up to date')
    .option('--check', 'only report pending migrations (exit 1 when some are pending)')
    .action(async (opts: { check?: boolean }) => {
      code = await migrate(env, io, opts.check === true);
    });

  const user = program.command('user').description('manage platform accounts');
  user
    .command('create')
    .description('create a platform operator or a regulator')
    .requiredOption('--username <name>', 'login name')
    .requiredOption('--role <role>', 'platform_operator or regulator')
    .option('--name <display>', 'display name')
    .option('--password <password>', 'initial password (generated and printed when omitted)')
    .option('--jurisdiction <code>', "a regulator's GB/T 2260 region code, e.g. 310000")
    .action(
      async (opts: {
        username: string;
        role: string;
        name?: string;
        password?: string;
        jurisdiction?: string;
      }) => {
        code = await createUserCommand(env, io, opts);
      },
    );

  const codes = program.command('codes').description('trace codes: generate, labels, verify');
  codes
    .command('generate')
    .description('issue N codes of a space and write them to a file (.csv, .txt, .csv.gz, .txt.gz or .zip)')
    .requiredOption('--space <id>', 'code space id')
    .requiredOption('--count <n>', 'how many codes (1 to 100000000)')
    .requiredOption('--out <file>', 'output file; its name picks format and compression')
    .option('--product <id>', 'product the codes are for')
    .option('--level <level>', 'packing level: item, box, case or pallet', 'item')
    .option('--pin', 'add a hidden PIN per code (scratch-off labels)')
    .option('--split <n>', 'codes per file part')
    .option('--no-url', 'leave out the QR URL column')
    .action(async (opts: GenerateOptions & { url?: boolean }) => {
      code = await generateCommand(env, io, { ...opts, noUrl: opts.url === false }, io.progress ?? false);
    });
  codes
    .command('labels')
    .description("print-ready PDF labels of a job's codes")
    .requiredOption('--job <id>', 'generation job id')
    .requiredOption('--out <file>', 'output PDF')
    .option('--layout <layout>', 'classic, framed or sidebar', 'classic')
    .option('--colour <colour>', 'red, orange, green or blue', 'red')
    .option('--size <WxH>', 'label size in mm, 2:3 (e.g. 20x30, 30x45) or 3:2', '20x30')
    .option('--sheet <sheet>', 'a4 or roll', 'a4')
    .option('--offset <n>', '0-based position of the first label', '0')
    .option('--count <n>', 'labels (at most 20000)', '1000')
    .action(async (opts: LabelsOptions) => {
      code = await labelsCommand(env, io, opts);
    });
  codes
    .command('verify <code>')
    .description('what the platform knows of a code: space, serial, status')
    .option('--json', 'print JSON, for scripts')
    .action(async (value: string, opts: { json?: boolean }) => {
      code = await verifyCommand(env, io, value, opts.json === true);
    });

  program
    .command('keys')
    .description('master keys')
    .command('rotate')
    .description('re-seal every code-space key under the newest master key (first in MASTER_KEY)')
    .action(async () => {
      code = await rotateKeysCommand(env, io);
    });

  program
    .command('demo')
    .description('create (or refresh) demo accounts, an approved demo enterprise, products and batches')
    .option('--json', 'print the accounts and an API key as JSON, for scripts')
    .action(async (opts: { json?: boolean }) => {
      code = await demo(env, io, opts.json === true);
    });

  try {
    await program.parseAsync([...argv]);
  } catch (error) {
    if (error instanceof CommanderError) return error.exitCode;
    throw error;
  }
  return code;
}
