import { sql, type Kysely } from 'kysely';
import type { Database } from '../schema.js';
import { idFloor } from '../ids.js';

/** What a supervisor sees of one enterprise: its catalogue, codes and consumer queries. */
export interface EnterpriseFigures {
  readonly products: number;
  readonly codesIssued: number;
  readonly codesActivated: number;
  /** Consumer queries since the window's start. */
  readonly scans: number;
  /** Queries answered with a warning (limit passed, distant regions). */
  readonly warnings: number;
  /** Queries of codes never activated, voided, or with a wrong PIN. */
  readonly suspicious: number;
  /** Counterfeit reports not yet closed (new or being investigated). */
  readonly openReports: number;
}

/** PostgreSQL sums 64-bit integers as `numeric`, which arrives as a string; SQLite gives a number. */
type Numeric = number | string;

/** What a supervisor sees of one product of an enterprise. */
export interface ProductFigures {
  readonly batches: number;
  readonly codesActivated: number;
  /** Consumer queries since the window's start. */
  readonly scans: number;
}

const none: EnterpriseFigures = Object.freeze({
  products: 0,
  codesIssued: 0,
  codesActivated: 0,
  scans: 0,
  warnings: 0,
  suspicious: 0,
  openReports: 0,
});

/**
 * Figures across enterprises for regulators and the operator. Every query is grouped by tenant
 * over the tables' tenant-first keys (scans by their time-ordered ids), one query per figure for a
 * whole page of enterprises.
 */
export class SupervisionRepository {
  constructor(private readonly db: Kysely<Database>) {}

  /** Figures of each enterprise in `tenantIds` (at most a few hundred at a time), scans since `since`. */
  async figures(tenantIds: readonly string[], since: number): Promise<Map<string, EnterpriseFigures>> {
    const out = new Map<string, EnterpriseFigures>();
    if (tenantIds.length === 0) return out;
    const ids = [...tenantIds];
    const [products, issued, activated, scans, reports] = await Promise.all([
      this.db
        .selectFrom('products')
        .select(['tenant_id', (eb) => eb.fn.countAll<number>().as('n')])
        .where('tenant_id', 'in', ids)
        .groupBy('tenant_id')
        .execute(),
      this.db
        .selectFrom('code_jobs')
        .select(['tenant_id', (eb) => eb.fn.sum<Numeric>('count').as('n')])
        .where('tenant_id', 'in', ids)
        .groupBy('tenant_id')
        .execute(),
      this.db
        .selectFrom('code_activations')
        .select(['tenant_id', sql<Numeric>`sum(last_serial - first_serial + 1)`.as('n')])
        .where('tenant_id', 'in', ids)
        .groupBy('tenant_id')
        .execute(),
      this.db
        .selectFrom('scans')
        .select([
          'tenant_id',
          (eb) => eb.fn.countAll<number>().as('n'),
          sql<Numeric>`sum(case when verdict = 'warning' then 1 else 0 end)`.as('warnings'),
          sql<Numeric>`sum(case when verdict in ('not_activated', 'voided', 'pin_wrong') then 1 else 0 end)`.as(
            'suspicious',
          ),
        ])
        .where('tenant_id', 'in', ids)
        .where('id', '>=', idFloor(since))
        .groupBy('tenant_id')
        .execute(),
      this.db
        .selectFrom('counterfeit_reports')
        .select(['tenant_id', (eb) => eb.fn.countAll<number>().as('n')])
        .where('tenant_id', 'in', ids)
        .where('status', 'in', ['new', 'investigating'])
        .groupBy('tenant_id')
        .execute(),
    ]);
    const put = (tenantId: string, patch: Partial<EnterpriseFigures>): void => {
      out.set(tenantId, { ...(out.get(tenantId) ?? none), ...patch });
    };
    for (const id of ids) out.set(id, none);
    for (const r of products) put(r.tenant_id, { products: r.n });
    for (const r of issued) put(r.tenant_id, { codesIssued: Number(r.n) });
    for (const r of activated) put(r.tenant_id, { codesActivated: Number(r.n) });
    for (const r of scans)
      put(r.tenant_id, { scans: r.n, warnings: Number(r.warnings), suspicious: Number(r.suspicious) });
    for (const r of reports) put(r.tenant_id, { openReports: r.n });
    return out;
  }

  /**
   * Figures of each product in `productIds` of one enterprise (a page of them), scans since
   * `since`: one grouped query per figure.
   */
  async productFigures(
    tenantId: string,
    productIds: readonly string[],
    since: number,
  ): Promise<Map<string, ProductFigures>> {
    const out = new Map<string, ProductFigures>();
    if (productIds.length === 0) return out;
    const ids = [...productIds];
    const [batches, activated, scans] = await Promise.all([
      this.db
        .selectFrom('batches')
        .select(['product_id', (eb) => eb.fn.countAll<number>().as('n')])
        .where('tenant_id', '=', tenantId)
        .where('product_id', 'in', ids)
        .groupBy('product_id')
        .execute(),
      this.db
        .selectFrom('code_activations as a')
        .innerJoin('batches as b', (j) =>
          j.onRef('b.tenant_id', '=', 'a.tenant_id').onRef('b.id', '=', 'a.batch_id'),
        )
        .select(['b.product_id', sql<Numeric>`sum(a.last_serial - a.first_serial + 1)`.as('n')])
        .where('a.tenant_id', '=', tenantId)
        .where('b.product_id', 'in', ids)
        .groupBy('b.product_id')
        .execute(),
      // A query names its code job's product, else its batch's (as the scan page shows it).
      this.db
        .selectFrom('scans as s')
        .leftJoin('batches as b', (j) =>
          j.onRef('b.tenant_id', '=', 's.tenant_id').onRef('b.id', '=', 's.batch_id'),
        )
        .select([
          sql<string | null>`coalesce(s.product_id, b.product_id)`.as('product_id'),
          (eb) => eb.fn.countAll<number>().as('n'),
        ])
        .where('s.tenant_id', '=', tenantId)
        .where('s.id', '>=', idFloor(since))
        .where(sql<string>`coalesce(s.product_id, b.product_id)`, 'in', ids)
        .groupBy(sql`coalesce(s.product_id, b.product_id)`)
        .execute(),
    ]);
    for (const id of ids) out.set(id, { batches: 0, codesActivated: 0, scans: 0 });
    const put = (id: string | null, patch: Partial<ProductFigures>): void => {
      const f = id === null ? undefined : out.get(id);
      if (id !== null && f !== undefined) out.set(id, { ...f, ...patch });
    };
    for (const r of batches) put(r.product_id, { batches: r.n });
    for (const r of activated) put(r.product_id, { codesActivated: Number(r.n) });
    for (const r of scans) put(r.product_id, { scans: r.n });
    return out;
  }
}
