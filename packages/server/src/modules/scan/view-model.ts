import type { DocumentKind } from '@tracemark/db';
import type { TraceStage, Verdict, WarningReason } from '@tracemark/core';

/** Languages of the consumer pages: Simplified Chinese first, English second. */
export type Lang = 'zh' | 'en';

/** A link the enterprise shows on its scan page (shop, news, promotions). */
export interface ScanLink {
  readonly kind: 'shop' | 'news' | 'promotion';
  readonly url: string;
  /** The enterprise's own caption; the page falls back to a generic one per kind. */
  readonly label: string | null;
}

/** The product as the consumer sees it. */
export interface ProductView {
  readonly name: string;
  readonly brand: string | null;
  readonly specification: string | null;
  readonly category: string | null;
  readonly gtin: string | null;
  readonly executedStandard: string | null;
  readonly shelfLifeDays: number | null;
  readonly description: string | null;
  /** Public URL of the image to show (scan settings image, else the product's first image). */
  readonly imageUrl: string | null;
}

/** The batch (production lot) of an activated code. */
export interface BatchView {
  readonly lot: string;
  readonly productionDate: string;
  readonly expiryDate: string | null;
  /** Public URL of the inspection report (PDF or image), when the batch has one. */
  readonly inspectionReportUrl: string | null;
}

/** A verified qualification document: what it is, its number and until when it is valid. */
export interface QualificationView {
  readonly kind: DocumentKind;
  readonly title: string;
  readonly number: string;
  readonly expiresOn: string | null;
}

/** The enterprise behind the code. */
export interface EnterpriseView {
  readonly name: string;
  readonly uscc: string;
  readonly address: string;
  /** Region names from province down, e.g. ['上海市', '浦东新区']. */
  readonly regionNames: readonly string[];
  readonly qualifications: readonly QualificationView[];
}

/** Where this query was placed. */
export interface PlaceView {
  readonly regionCode: string;
  /** Names from province down. */
  readonly names: readonly string[];
  readonly source: 'ip' | 'position';
}

/** The recall a code is under: when the enterprise recalled it and why. */
export interface RecallView {
  /** When the recall event happened (epoch ms). */
  readonly at: number;
  /** The enterprise's stated reason, if it gave one. */
  readonly reason: string | null;
  /** What was recalled: the code itself, a case or pallet it is packed in, or its batch. */
  readonly scope: 'code' | 'container' | 'batch';
}

/** One step of a product's journey, as consumers see it (from the EPCIS trace). */
export interface TraceStepView {
  readonly stage: TraceStage;
  /** CBV business step (bare word for standard ones, else the URI), e.g. `shipping`. */
  readonly bizStep: string | null;
  readonly disposition: string | null;
  /** When it happened (epoch ms). */
  readonly at: number;
  /** A readable place (the enterprise's site or partner name, or a GLN), when known. */
  readonly place: string | null;
}

/** The trace shown with a scan: the batch's journey (raw materials, production, inspection …). */
export interface TraceView {
  readonly steps: readonly TraceStepView[];
  /** Steps not shown (the page shows the first ones). */
  readonly more: number;
}

/**
 * Everything the scan page and the JSON verify endpoint show for one query. Built by the scan
 * service; the page renders it without further lookups.
 */
export interface ScanView {
  /** The code as typed or scanned, normalised to digits (may be malformed for `invalid`). */
  readonly code: string;
  readonly verdict: Verdict;
  readonly warnings: readonly WarningReason[];
  /**
   * Whether this request was counted as a consumer query. Link previews and crawlers see the
   * product but are not counted; their page then shows no first-query time of their own.
   */
  readonly counted: boolean;
  /** The id of the recorded query (to attach a precise position to it), when counted. */
  readonly scanId: string | null;
  /** The locked first query time (epoch ms), or null when never queried / not known. */
  readonly firstQueryAt: number | null;
  /** How many times the code was queried, this query included. */
  readonly queryCount: number;
  /** Whether the label carries a hidden PIN (scratch-off). */
  readonly hasPin: boolean;
  /** Whether a correct PIN was given with this query. */
  readonly pinVerified: boolean;
  /** The enterprise's prompt text (提示语), shown with genuine verdicts. */
  readonly promptText: string | null;
  /** The enterprise's warning text, shown with `warning` verdicts. */
  readonly warningText: string | null;
  /** The per-code query limit in force, for the warning wording. */
  readonly queryLimit: number | null;
  /** Whether the anti-counterfeit verdict box shows at all (some enterprises only trace). */
  readonly antiCounterfeitPopup: boolean;
  readonly product: ProductView | null;
  readonly batch: BatchView | null;
  readonly enterprise: EnterpriseView | null;
  readonly links: readonly ScanLink[];
  readonly place: PlaceView | null;
  /** Whether a counterfeit report can be filed for this code (it belongs to an enterprise). */
  readonly reportable: boolean;
  /** The recall the code is under (verdict `recalled`), else null. */
  readonly recall: RecallView | null;
  /** The batch's trace (stages of its journey), when the code is active and events exist. */
  readonly trace: TraceView | null;
}
