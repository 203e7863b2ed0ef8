import { regionPath, regionName } from '@tracemark/core';
import { repositories, type Db, type ScanSettingsRow } from '@tracemark/db';
import type { ChangeNotices } from '../../lib/changes.js';
import { effectiveScanSettings, type EffectiveScanSettings } from '../scan-settings/service.js';
import { loadRecalls, recallReason, type RecallSet } from './recalls.js';
import type { BatchView, EnterpriseView, ProductView, TraceView } from './view-model.js';

/** Loads the trace a scan page shows for a batch (the trace module's walk, given by the app). */
export type BatchTraceLoader = (tenantId: string, batchId: string) => Promise<TraceView | null>;

/** How long a cached product, batch, enterprise or setting may be shown after it changed elsewhere. */
export const PRESENTATION_TTL_MS = 5000;

/** The public path of a file that may be shown on scan pages (product images, inspection reports). */
export function mediaPath(fileId: string): string {
  return `/c/media/${fileId}`;
}

/** A product with what the page needs to pick its image. */
export interface ProductPresentation {
  readonly view: Omit<ProductView, 'imageUrl'>;
  readonly firstImageId: string | null;
}

interface Entry<T> {
  readonly value: Promise<T>;
  readonly expires: number;
}

/** What is cached, one map per kind and enterprise, keyed by id: no key is built per lookup. */
const enum Kind {
  Enterprise,
  SettingsRows,
  Settings,
  Product,
  Batch,
  Recalls,
  RecallReason,
  Trace,
}
/** The key of what an enterprise has once (its view, its settings rows, its recalls). */
const ONLY = '';
/** Most entries kept; past it the expired ones go, and if that is not enough, all. */
const MAX_ENTRIES = 50_000;

/**
 * What scan pages show besides the verdict — the product, the batch, the enterprise with its
 * verified qualifications, the scan settings — cached for {@link PRESENTATION_TTL_MS} so a scan
 * does not read them again. This process's own changes drop the entries at once.
 */
export class ScanPresentation {
  readonly #db: Db;
  /** Per enterprise, one map per {@link Kind}, made on first use. */
  readonly #tenants = new Map<string, Array<Map<string, Entry<unknown>> | undefined>>();
  #size = 0;

  readonly #traceOf: BatchTraceLoader | undefined;

  constructor(db: Db, changes: ChangeNotices, traceOf?: BatchTraceLoader) {
    this.#db = db;
    this.#traceOf = traceOf;
    changes.subscribe((topic, tenantId) => {
      if (topic !== 'scan-presentation') return;
      const maps = this.#tenants.get(tenantId);
      if (maps === undefined) return;
      this.#tenants.delete(tenantId);
      for (const map of maps) this.#size -= map?.size ?? 0;
    });
  }

  /** The enterprise as consumers see it, or undefined if it is gone. */
  enterprise(tenantId: string): Promise<EnterpriseView | undefined> {
    return this.#cached(Kind.Enterprise, tenantId, ONLY, async () => {
      const repos = repositories(this.#db.kysely);
      const e = await repos.enterprises.findById(tenantId);
      if (e === undefined) return undefined;
      const docs = await this.#db.kysely
        .selectFrom('enterprise_documents')
        .select(['kind', 'title', 'number', 'expires_on'])
        .where('tenant_id', '=', tenantId)
        .where('status', '=', 'verified')
        .orderBy('created_at')
        .execute();
      const today = new Date().toISOString().slice(0, 10);
      const view: EnterpriseView = {
        name: e.name,
        uscc: e.uscc,
        address: e.address,
        regionNames: (regionPath(e.region_code) ?? []).map((c) => regionName(c) ?? c),
        qualifications: docs
          .filter((d) => d.expires_on === null || d.expires_on >= today)
          .map((d) => ({ kind: d.kind, title: d.title, number: d.number, expiresOn: d.expires_on })),
      };
      return view;
    });
  }

  /** The effective scan settings of a product (or of the enterprise when `productId` is null). */
  settings(tenantId: string, productId: string | null): Promise<EffectiveScanSettings> {
    return this.#cached(Kind.Settings, tenantId, productId ?? ONLY, async () => {
      const rows = await this.#cached<ScanSettingsRow[]>(Kind.SettingsRows, tenantId, ONLY, () =>
        this.#db.kysely.selectFrom('scan_settings').selectAll().where('tenant_id', '=', tenantId).execute(),
      );
      return effectiveScanSettings(rows, productId);
    });
  }

  /** A product, or undefined. */
  product(tenantId: string, productId: string): Promise<ProductPresentation | undefined> {
    return this.#cached(Kind.Product, tenantId, productId, async () => {
      const repos = repositories(this.#db.kysely);
      const p = await repos.products.find(tenantId, productId);
      if (p === undefined) return undefined;
      const images = await repos.products.listImages(tenantId, productId);
      const presentation: ProductPresentation = {
        view: {
          name: p.name,
          brand: p.brand,
          specification: p.specification,
          category: p.category,
          gtin: p.gtin,
          executedStandard: p.executed_standard,
          shelfLifeDays: p.shelf_life_days,
          description: p.description,
        },
        firstImageId: images[0] ?? null,
      };
      return presentation;
    });
  }

  /** A batch with the product it belongs to, or undefined. */
  batch(tenantId: string, batchId: string): Promise<{ view: BatchView; productId: string } | undefined> {
    return this.#cached(Kind.Batch, tenantId, batchId, async () => {
      const b = await repositories(this.#db.kysely).batches.find(tenantId, batchId);
      if (b === undefined) return undefined;
      return {
        productId: b.product_id,
        view: {
          lot: b.lot,
          productionDate: b.production_date,
          expiryDate: b.expiry_date,
          inspectionReportUrl: b.inspection_file_id === null ? null : mediaPath(b.inspection_file_id),
        },
      };
    });
  }

  /** The enterprise's recalls (re-read at most every {@link PRESENTATION_TTL_MS}). */
  recalls(tenantId: string): Promise<RecallSet> {
    return this.#cached(Kind.Recalls, tenantId, ONLY, () => loadRecalls(this.#db, tenantId));
  }

  /** The reason given by a recall event. */
  recallReason(tenantId: string, eventPk: string): Promise<string | null> {
    return this.#cached(Kind.RecallReason, tenantId, eventPk, () =>
      recallReason(this.#db, tenantId, eventPk),
    );
  }

  /** The batch's trace for the scan page, or null without events (or without a loader). */
  trace(tenantId: string, batchId: string): Promise<TraceView | null> {
    const load = this.#traceOf;
    if (load === undefined) return Promise.resolve(null);
    return this.#cached(Kind.Trace, tenantId, batchId, () => load(tenantId, batchId));
  }

  #cached<T>(kind: Kind, tenantId: string, id: string, load: () => Promise<T>): Promise<T> {
    const now = Date.now();
    let maps = this.#tenants.get(tenantId);
    if (maps === undefined) {
      maps = [];
      this.#tenants.set(tenantId, maps);
    }
    const map = (maps[kind] ??= new Map()) as Map<string, Entry<T>>;
    const hit = map.get(id);
    if (hit !== undefined && hit.expires > now) return hit.value;
    const value = load();
    const entry = { value, expires: now + PRESENTATION_TTL_MS };
    if (hit === undefined) this.#size += 1;
    map.set(id, entry);
    value.catch(() => {
      // A failed load is not kept (unless it was replaced, or its enterprise dropped since).
      if (map.get(id) !== entry || this.#tenants.get(tenantId) !== maps) return;
      map.delete(id);
      this.#size -= 1;
    });
    if (this.#size > MAX_ENTRIES) this.#evictExpired(now);
    return value;
  }

  #evictExpired(now: number): void {
    for (const maps of this.#tenants.values()) {
      for (const map of maps) {
        if (map === undefined) continue;
        for (const [id, e] of map) {
          if (e.expires > now) continue;
          map.delete(id);
          this.#size -= 1;
        }
      }
    }
    if (this.#size > MAX_ENTRIES) {
      this.#tenants.clear();
      this.#size = 0;
    }
  }
}
