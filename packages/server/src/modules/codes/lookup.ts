import { normalizeCode, parseCode, type CodeErrorReason } from '@tracemark/codes';
import { reader, type ServiceContext } from '../../lib/context.js';

/** What the platform knows of any code, whoever asks: the basis of verification. */
export type CodeLookup =
  | {
      readonly status: 'invalid';
      readonly code: string;
      readonly reason: CodeErrorReason;
      readonly message: string;
    }
  | { readonly status: 'unknown_space'; readonly code: string; readonly prefix: string }
  | {
      readonly status: 'not_issued' | 'issued' | 'active' | 'voided';
      readonly code: string;
      readonly enterpriseId: string;
      readonly spaceId: string;
      readonly prefix: string;
      readonly serial: number;
      readonly jobId: string | null;
      readonly productId: string | null;
      readonly batchId: string | null;
      readonly activatedAt: number | null;
    };

/**
 * Looks a code up without knowing whose it is: check digit → prefix → the space's key →
 * serial → issued by a job? active for a batch? voided? — range arithmetic and index lookups,
 * no per-code table. Never throws for bad input: the answer says what is wrong.
 */
export async function lookupCode(ctx: ServiceContext, raw: string): Promise<CodeLookup> {
  const code = normalizeCode(raw);
  const parsed = parseCode(code);
  if (parsed.type === 'error')
    return { status: 'invalid', code, reason: parsed.reason, message: parsed.message };
  const repos = reader(ctx);
  const space = await repos.codes.findSpaceByPrefix(parsed.layout.length, parsed.prefix);
  if (space === undefined) return { status: 'unknown_space', code, prefix: parsed.prefix };
  const decoded = ctx.engines.for(space).codec.decode(code);
  if (decoded.type === 'error')
    return { status: 'invalid', code, reason: decoded.reason, message: decoded.message };
  const base = {
    code,
    enterpriseId: space.tenant_id,
    spaceId: space.id,
    prefix: space.prefix,
    serial: decoded.serial,
  };
  const job = await repos.codes.findJobOfSerial(space.tenant_id, space.id, decoded.serial);
  if (job === undefined)
    return { ...base, status: 'not_issued', jobId: null, productId: null, batchId: null, activatedAt: null };
  const ref = { spaceId: space.id, serial: decoded.serial };
  const [activation, voided] = await Promise.all([
    repos.codes.findActivation(space.tenant_id, space.id, decoded.serial),
    repos.codes.findVoid(space.tenant_id, ref),
  ]);
  const batch =
    activation === undefined ? undefined : await repos.batches.find(space.tenant_id, activation.batch_id);
  return {
    ...base,
    status: voided !== undefined ? 'voided' : activation !== undefined ? 'active' : 'issued',
    jobId: job.id,
    productId: batch?.product_id ?? job.product_id,
    batchId: activation?.batch_id ?? null,
    activatedAt: activation?.activated_at ?? null,
  };
}
