import type { FastifyBaseLogger } from 'fastify';
import { newId, repositories, type Db, type Repositories } from '@tracemark/db';
import type { Config } from '../config.js';
import type { Actor } from './actor.js';
import { ChangeNotices, type ChangeTopic } from './changes.js';
import type { FileStore } from './file-store.js';
import { loadKeyVault, type KeyVault } from './key-vault.js';
import { CodeEngines } from '../modules/codes/code-engine.js';
import { AppError } from '../errors.js';

/** What every service call gets: the process-wide dependencies plus who is asking. */
export interface ServiceContext {
  readonly db: Db;
  readonly config: Config;
  readonly files: FileStore;
  readonly vault: KeyVault;
  readonly engines: CodeEngines;
  /** Tells this process's caches that data changed. */
  readonly changes: ChangeNotices;
  readonly log: FastifyBaseLogger;
  readonly actor: Actor | undefined;
  readonly requestId: string | null;
  readonly ip: string | null;
}

/** One audit entry to record; who, when and which request come from the context. */
export interface AuditEntry {
  readonly tenantId: string | null;
  readonly action: string;
  readonly targetType: string;
  readonly targetId: string | null;
  readonly details?: Readonly<Record<string, unknown>>;
}

/** The actor of a context, or 401 when the route let an anonymous caller through. */
export function requireActor(ctx: ServiceContext): Actor {
  if (ctx.actor === undefined) throw new AppError('TRACE_AUTH_REQUIRED');
  return ctx.actor;
}

/** The enterprise the actor works for, or 403 for operators and regulators. */
export function requireTenant(ctx: ServiceContext): string {
  const actor = requireActor(ctx);
  if (actor.tenantId === null) throw new AppError('TRACE_ENTERPRISE_NO_TENANT');
  return actor.tenantId;
}

/**
 * Runs `work` in one transaction with repositories bound to it; `audit` appends to the audit
 * log inside the same transaction, so a change and its record commit or fail together.
 */
export async function inTransaction<T>(
  ctx: ServiceContext,
  work: (repos: Repositories, audit: (entry: AuditEntry) => Promise<void>) => Promise<T>,
): Promise<T> {
  const touched = new Set<string>();
  const result = await ctx.db.kysely.transaction().execute(async (trx) => {
    const repos = repositories(trx);
    const audit = (entry: AuditEntry): Promise<void> => {
      if (entry.tenantId !== null) touched.add(`${cacheTopicOf(entry.action)}\u0000${entry.tenantId}`);
      return repos.audit.append(auditRow(ctx, entry));
    };
    return work(repos, audit);
  });
  // Every change is audited, so the audit entries say which caches hold stale data now.
  for (const key of touched) {
    const [topic = 'scan-presentation', tenantId = ''] = key.split('\u0000');
    ctx.changes.notify(topic as ChangeTopic, tenantId);
  }
  return result;
}

/** Which cache an audited action makes stale: code spaces and jobs, or what scan pages show. */
function cacheTopicOf(action: string): ChangeTopic {
  return action.startsWith('code_space.') || action.startsWith('code_job.') ? 'codes' : 'scan-presentation';
}

/** Repositories outside a transaction, for reads. */
export function reader(ctx: ServiceContext): Repositories {
  return repositories(ctx.db.kysely);
}

function auditRow(ctx: ServiceContext, entry: AuditEntry) {
  const actor = ctx.actor;
  return {
    id: newId(),
    tenant_id: entry.tenantId,
    at: Date.now(),
    actor_type: actor?.type ?? ('system' as const),
    actor_id: actor?.id ?? null,
    actor_name: actor?.name ?? 'system',
    action: entry.action,
    target_type: entry.targetType,
    target_id: entry.targetId,
    details: JSON.stringify(entry.details ?? {}),
    request_id: ctx.requestId,
    ip: ctx.ip,
  };
}

/** A context for work outside any request (command line, jobs): no caller unless given. */
export function systemContext(
  deps: Pick<ServiceContext, 'db' | 'config' | 'files' | 'log'> &
    Partial<Pick<ServiceContext, 'vault' | 'engines' | 'changes'>>,
): ServiceContext {
  const vault = deps.vault ?? loadKeyVault(deps.config, deps.log);
  return {
    ...deps,
    vault,
    engines: deps.engines ?? new CodeEngines(vault),
    changes: deps.changes ?? new ChangeNotices(),
    actor: undefined,
    requestId: null,
    ip: null,
  };
}
