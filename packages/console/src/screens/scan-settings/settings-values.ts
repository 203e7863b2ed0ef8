/**
 * The scan-settings form's values and their conversion from and to the API: the enterprise's
 * settings (every field set) and a product's override (each field set or inherited).
 */
import type { paths } from '../../api/schema.js';

/** The enterprise's settings in force, as the API answers them. */
export type Settings = paths['/api/v1/scan-settings']['get']['responses'][200]['content']['application/json'];
/** A product's override and its settings in force. */
export type ProductSettings =
  paths['/api/v1/products/{productId}/scan-settings']['get']['responses'][200]['content']['application/json'];
/** The body of PUT /api/v1/scan-settings. */
export type EnterpriseBody = NonNullable<
  paths['/api/v1/scan-settings']['put']['requestBody']
>['content']['application/json'];
/** The body of PUT /api/v1/products/{productId}/scan-settings. */
export type OverrideBody = NonNullable<
  paths['/api/v1/products/{productId}/scan-settings']['put']['requestBody']
>['content']['application/json'];
/** The body of POST /api/v1/scan-settings/preview. */
export type PreviewBody = NonNullable<
  paths['/api/v1/scan-settings/preview']['post']['requestBody']
>['content']['application/json'];

/** The settings a product can set or inherit, one by one. */
export const fields = [
  'antiCounterfeitPopup',
  'queryLimit',
  'warningText',
  'promptText',
  'imageFileId',
  'links',
] as const;
/** One of {@link fields}. */
export type Field = (typeof fields)[number];

/** A link as the form edits it. */
export interface LinkValue {
  kind: 'shop' | 'news' | 'promotion';
  url: string;
  label?: string | null;
}

/** The form's values. */
export interface Values {
  antiCounterfeitPopup: boolean;
  /** null: no limit. */
  queryLimit: number | null;
  warningText: string;
  promptText: string;
  imageFileId: string | null;
  links: LinkValue[];
  /** For a product: which fields follow the enterprise's settings. */
  inherit: Record<Field, boolean>;
}

const inheritNone: Record<Field, boolean> = {
  antiCounterfeitPopup: false,
  queryLimit: false,
  warningText: false,
  promptText: false,
  imageFileId: false,
  links: false,
};

/** One field's value of the enterprise's settings, as the form holds it. */
export function enterpriseValue<F extends Field>(s: Settings, field: F): Values[F] {
  const v: Omit<Values, 'inherit'> = {
    antiCounterfeitPopup: s.antiCounterfeitPopup,
    queryLimit: s.queryLimit,
    warningText: s.warningText ?? '',
    promptText: s.promptText ?? '',
    imageFileId: s.imageFileId,
    links: s.links.map((l) => ({ kind: l.kind, url: l.url, label: l.label })),
  };
  return v[field as Exclude<F, 'inherit'>] as Values[F];
}

/** The form's values for the enterprise's settings. */
export function valuesOfEnterprise(s: Settings): Values {
  const v = Object.fromEntries(fields.map((f) => [f, enterpriseValue(s, f)])) as Omit<Values, 'inherit'>;
  return { ...v, inherit: { ...inheritNone } };
}

/** The form's values for a product: its own fields, and the enterprise's where it inherits. */
export function valuesOfProduct(p: ProductSettings, enterprise: Settings): Values {
  const o = p.override;
  const base = valuesOfEnterprise(enterprise);
  if (o === null)
    return { ...base, inherit: { ...inheritNone, ...Object.fromEntries(fields.map((f) => [f, true])) } };
  return {
    antiCounterfeitPopup: o.antiCounterfeitPopup ?? base.antiCounterfeitPopup,
    queryLimit: o.queryLimit === null ? base.queryLimit : o.queryLimit === 'none' ? null : o.queryLimit,
    warningText: o.warningText ?? base.warningText,
    promptText: o.promptText ?? base.promptText,
    imageFileId: o.imageFileId ?? base.imageFileId,
    links: o.links === null ? base.links : o.links.map((l) => ({ kind: l.kind, url: l.url, label: l.label })),
    inherit: {
      antiCounterfeitPopup: o.antiCounterfeitPopup === null,
      queryLimit: o.queryLimit === null,
      warningText: o.warningText === null,
      promptText: o.promptText === null,
      imageFileId: o.imageFileId === null,
      links: o.links === null,
    },
  };
}

// Form.List may hold a row still being filled in (no URL yet): it is left out.
function cleanLinks(links: readonly (Partial<LinkValue> | undefined)[] | undefined): LinkValue[] {
  return (links ?? [])
    .filter((l): l is LinkValue => l?.kind !== undefined && (l.url ?? '').trim() !== '')
    .map((l) => ({
      kind: l.kind,
      url: l.url.trim(),
      ...(l.label === undefined || l.label === null || l.label.trim() === ''
        ? {}
        : { label: l.label.trim() }),
    }));
}

function text(v: string | undefined): string | null {
  return v === undefined || v.trim() === '' ? null : v.trim();
}

/** The enterprise's settings to send. */
export function enterpriseBody(v: Partial<Values>): EnterpriseBody {
  return {
    antiCounterfeitPopup: v.antiCounterfeitPopup ?? true,
    queryLimit: v.queryLimit === undefined ? 10 : v.queryLimit,
    warningText: text(v.warningText),
    promptText: text(v.promptText),
    imageFileId: v.imageFileId ?? null,
    links: cleanLinks(v.links),
  };
}

/** A product's override to send: inherited fields null; an empty text means "none for this product". */
export function overrideBody(v: Partial<Values>): OverrideBody {
  const own = (f: Field): boolean => v.inherit?.[f] !== true;
  return {
    antiCounterfeitPopup: own('antiCounterfeitPopup') ? (v.antiCounterfeitPopup ?? true) : null,
    queryLimit: own('queryLimit') ? (v.queryLimit == null ? 'none' : v.queryLimit) : null,
    warningText: own('warningText') ? (v.warningText ?? '').trim() : null,
    promptText: own('promptText') ? (v.promptText ?? '').trim() : null,
    imageFileId: own('imageFileId') ? (v.imageFileId ?? null) : null,
    links: own('links') ? cleanLinks(v.links) : null,
  };
}
