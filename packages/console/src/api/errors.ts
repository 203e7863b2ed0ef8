/**
 * Errors shown where they happened: an {@link ApiError}'s `details[].field` (`body.enterprise.uscc`)
 * names a form field (`['enterprise', 'uscc']`); codes without details are placed by a per-form
 * table (`TRACE_PRODUCT_GTIN_INVALID` → `gtin`); the rest is shown above the form.
 */
import type { FormInstance } from 'antd';
import { hasMessage, type Translate } from '../i18n/index.js';
import { ApiError } from './client.js';

/** A field path of an antd form. */
export type FieldPath = string | readonly (string | number)[];

/** The translated text of an error: the console's words for its code, else the server's message. */
export function errorText(t: Translate, error: unknown): string {
  if (error instanceof ApiError) {
    const key = `errors.${error.code}`;
    return hasMessage(key) ? t(key as Parameters<Translate>[0]) : error.message;
  }
  return t('errors.network');
}

/**
 * Shows an API error on a form. Returns the text for the form's top-level alert, or undefined
 * when every part of it went to a field.
 */
export function applyFormError(
  form: FormInstance,
  t: Translate,
  error: unknown,
  codeFields: Readonly<Record<string, FieldPath>> = {},
): string | undefined {
  if (!(error instanceof ApiError)) return errorText(t, error);
  const text = errorText(t, error);
  const byCode = codeFields[error.code];
  if (byCode !== undefined) {
    form.setFields([{ name: byCode as never, errors: [text] }]);
    return undefined;
  }
  const known = new Set<string>(Object.keys(form.getFieldsValue(true) as object));
  const fields = error.details
    .map((d) => ({
      path: d.field.replace(/^(body|querystring|params)\.?/, '').split('.'),
      message: d.message,
    }))
    .filter((d) => d.path[0] !== undefined && known.has(d.path[0]));
  if (fields.length === 0) return text;
  form.setFields(
    fields.map((f) => ({ name: f.path as never, errors: [`${t('errors.fieldInvalid')} (${f.message})`] })),
  );
  return fields.length === error.details.length ? undefined : text;
}
