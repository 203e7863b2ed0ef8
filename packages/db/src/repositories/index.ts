import type { Kysely } from 'kysely';
import type { Database } from '../schema.js';
import { ApiKeyRepository } from './api-key-repository.js';
import { AuditRepository } from './audit-repository.js';
import { BatchRepository } from './batch-repository.js';
import { CodeRepository } from './code-repository.js';
import { DocumentRepository } from './document-repository.js';
import { EnterpriseRepository } from './enterprise-repository.js';
import { EventRepository } from './event-repository.js';
import { FileRepository } from './file-repository.js';
import { ProductRepository } from './product-repository.js';
import { ScanRepository } from './scan-repository.js';
import { SupervisionRepository } from './supervision-repository.js';
import { SessionRepository } from './session-repository.js';
import { TraceActionRepository } from './trace-action-repository.js';
import { TraceRepository } from './trace-repository.js';
import { UserRepository } from './user-repository.js';
import { WebhookRepository } from './webhook-repository.js';

/** Every repository, bound to one executor (the database or an open transaction). */
export interface Repositories {
  readonly users: UserRepository;
  readonly sessions: SessionRepository;
  readonly apiKeys: ApiKeyRepository;
  readonly audit: AuditRepository;
  readonly enterprises: EnterpriseRepository;
  readonly documents: DocumentRepository;
  readonly files: FileRepository;
  readonly products: ProductRepository;
  readonly batches: BatchRepository;
  readonly codes: CodeRepository;
  readonly events: EventRepository;
  readonly scans: ScanRepository;
  readonly supervision: SupervisionRepository;
  readonly trace: TraceRepository;
  readonly traceActions: TraceActionRepository;
  readonly webhooks: WebhookRepository;
}

/** Binds every repository to `db`, which may be a transaction. */
export function repositories(db: Kysely<Database>): Repositories {
  return Object.freeze({
    users: new UserRepository(db),
    sessions: new SessionRepository(db),
    apiKeys: new ApiKeyRepository(db),
    audit: new AuditRepository(db),
    enterprises: new EnterpriseRepository(db),
    documents: new DocumentRepository(db),
    files: new FileRepository(db),
    products: new ProductRepository(db),
    batches: new BatchRepository(db),
    codes: new CodeRepository(db),
    events: new EventRepository(db),
    scans: new ScanRepository(db),
    supervision: new SupervisionRepository(db),
    traceActions: new TraceActionRepository(db),
    trace: new TraceRepository(db),
    webhooks: new WebhookRepository(db),
  });
}

export * from './api-key-repository.js';
export * from './audit-repository.js';
export * from './batch-repository.js';
export * from './code-repository.js';
export * from './document-repository.js';
export * from './enterprise-repository.js';
export * from './event-repository.js';
export * from './file-repository.js';
export * from './paging.js';
export * from './product-repository.js';
export * from './scan-repository.js';
export * from './supervision-repository.js';
export * from './session-repository.js';
export * from './trace-action-repository.js';
export * from './trace-repository.js';
export * from './user-repository.js';
export * from './webhook-repository.js';
