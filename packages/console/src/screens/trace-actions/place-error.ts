/**
 * Puts an API error of a business action under the field at fault. The actions' details name
 * fields as `body.lots.0.lot`, `lots[0].inspectionFileId`, `values.fertiliser` or `codes`; a
 * field inside a list becomes `['lots', 0, 'lot']` (antd's name path), and a part that is not a
 * field of the form (`codes.3`) falls back to the nearest field that is (`codes`). Codes without
 * details go to the field their table names. Whatever has no field is returned for the alert.
 */
import type { FormInstance } from 'antd';
import { ApiError } from '../../api/client.js';
import { errorText } from '../../api/errors.js';
import type { Translate } from '../../i18n/index.js';

type Path = (string | number)[];

function pathOf(field: string): Path {
  return field
    .replace(/^(body|querystring|params)\.?/, '')
    .replace(/\[(\d+)\]/g, '.$1')
    .split('.')
    .filter((s) => s !== '')
    .map((s) => (/^\d+$/.test(s) ? Number(s) : s));
}

/** Shows the error on the form; answers the text for the alert above the button, if any. */
export function placeError(
  form: FormInstance,
  t: Translate,
  error: unknown,
  codeFields: Readonly<Record<string, string | Path>> = {},
): string | undefined {
  const text = errorText(t, error);
  if (!(error instanceof ApiError)) return text;
  // A code named in the server's words (e.g. "No such code among yours: 1234…") is worth showing.
  const named = /\b\d{15,21}\b/.exec(error.message)?.[0];
  const shown = named === undefined ? text : `${text}（${named}）`;
  const isField = (p: Path): boolean =>
    form.getFieldInstance(p) !== undefined || form.getFieldValue(p) !== undefined;
  const placed: { name: Path; errors: string[] }[] = [];
  for (const d of error.details) {
    let p = pathOf(d.field);
    while (p.length > 0 && !isField(p)) p = p.slice(0, -1);
    if (p.length > 0)
      placed.push({ name: p, errors: [`${shown}${d.message === '' ? '' : ` (${d.message})`}`] });
  }
  const byCode = codeFields[error.code];
  if (placed.length === 0 && byCode !== undefined) {
    placed.push({ name: typeof byCode === 'string' ? [byCode] : byCode, errors: [shown] });
  }
  if (placed.length > 0) form.setFields(placed.map((f) => ({ name: f.name as never, errors: f.errors })));
  return placed.length > 0 && placed.length >= error.details.length ? undefined : shown;
}
