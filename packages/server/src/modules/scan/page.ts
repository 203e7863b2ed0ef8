/**
 * The consumer pages as HTML strings: the scan result, manual entry, the thanks after a report
 * and the problem pages. Pure functions of their input (no I/O, no clock), so routes, tests and
 * the sample renderer all see the same page.
 *
 * Everything from data goes through the {@link html} tag, which escapes it; only our own markup
 * is marked {@link raw}. The first render needs no script: the one inline script (precise
 * location) only reveals and drives a button that is `hidden` in the markup.
 */
import { PIN_MAX_DIGITS, PIN_MIN_DIGITS } from '@tracemark/codes';
import type { Verdict, WarningReason } from '@tracemark/core';
import { formatDate, formatDateTime, isMessageKey, t } from './messages.js';
import { PAGE_STYLE } from './page-style.js';
import type {
  BatchView,
  EnterpriseView,
  Lang,
  ProductView,
  ScanLink,
  ScanView,
  TraceStepView,
  TraceView,
} from './view-model.js';

// ---------------------------------------------------------------------------------------------
// The html tag

/**
 * Markup that is safe to insert as is: written by us, or built by {@link html}. Text, or a list of
 * pieces some of which are already UTF-8 (the cards drawn once per cached view, see {@link memo}):
 * a page is encoded piece by piece ({@link SafeHtml.toBytes}), the cards' bytes copied as they are.
 */
export class SafeHtml {
  readonly #markup: string | readonly Piece[];
  constructor(markup: string | readonly Piece[]) {
    this.#markup = markup;
  }
  /** The pieces, appended to `out` (text, or encoded markup). */
  appendTo(out: Piece[]): void {
    if (typeof this.#markup === 'string') out.push(this.#markup);
    else for (const piece of this.#markup) out.push(piece);
  }
  /** Whether some of it is already encoded (then templates keep it as a piece of its own). */
  get encoded(): boolean {
    return typeof this.#markup !== 'string';
  }
  toString(): string {
    const m = this.#markup;
    return typeof m === 'string'
      ? m
      : m.map((p) => (typeof p === 'string' ? p : p.toString('utf8'))).join('');
  }
  /** The markup as UTF-8. */
  toBytes(): Buffer {
    const m = this.#markup;
    if (typeof m === 'string') return Buffer.from(m);
    // Room for the most a text piece can take (3 bytes per UTF-16 unit), so the text is encoded
    // once, straight into the page, instead of measured first.
    let room = 0;
    for (const p of m) room += typeof p === 'string' ? 3 * p.length : p.length;
    const out = pageRoom(room);
    let at = 0;
    for (const p of m) {
      if (typeof p === 'string') at += out.write(p, at);
      else at += p.copy(out, at);
    }
    return keepPage(out, at);
  }
}

/**
 * Pages are written into slabs, as Node's own pool does for small buffers: a page's bytes are a
 * slice of one, so a page costs no allocation of its own (a fresh ArrayBuffer for each ~7 KB page
 * was a tenth of the render). A slab stays alive while a page in it is referenced.
 */
const SLAB_BYTES = 256 * 1024;
let slab = Buffer.alloc(0);
let slabUsed = 0;

/** Room for `bytes` at the slab's free end (a new slab when it does not fit); see {@link keepPage}. */
function pageRoom(bytes: number): Buffer {
  if (bytes > SLAB_BYTES / 8) return Buffer.allocUnsafe(bytes);
  if (slabUsed + bytes > slab.length) {
    slab = Buffer.allocUnsafe(SLAB_BYTES);
    slabUsed = 0;
  }
  return slab.subarray(slabUsed, slabUsed + bytes);
}

/** The first `length` bytes of `room`, the page, kept: the slab's free part starts after them. */
function keepPage(room: Buffer, length: number): Buffer {
  if (room.buffer === slab.buffer) slabUsed += (length + 7) & ~7;
  return room.subarray(0, length);
}

/** A piece of markup: text, or markup already encoded as UTF-8. */
type Piece = string | Buffer;

/** What may go into an {@link html} template: text is escaped, nothing-ish values vanish. */
export type HtmlValue = SafeHtml | string | number | boolean | null | undefined | readonly HtmlValue[];

const ESCAPES: Readonly<Record<string, string>> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};

/** Escapes text for HTML content and double- or single-quoted attribute values. */
export function escapeHtml(text: string): string {
  // Most text needs nothing: testing first is several times cheaper than replacing.
  return NEEDS_ESCAPE.test(text) ? text.replace(/[&<>"']/g, (c) => ESCAPES[c] ?? c) : text;
}

const NEEDS_ESCAPE = /[&<>"']/;

/** Marks trusted markup (ours, never data) so {@link html} inserts it unescaped. */
export function raw(markup: string): SafeHtml {
  return new SafeHtml(markup);
}

function renderValue(value: HtmlValue): string {
  if (value instanceof SafeHtml) return value.toString();
  if (typeof value === 'string') return escapeHtml(value);
  if (typeof value === 'number') return String(value);
  if (value === null || value === undefined || typeof value === 'boolean') return '';
  return value.map(renderValue).join('');
}

// The literal parts of our templates are indented source (prettier formats them as HTML). Line
// breaks with their indentation are squeezed once per template: to nothing next to a tag, else to
// one space (between attributes, or words), which is what they mean in this markup.
const compacted = new WeakMap<TemplateStringsArray, readonly string[]>();

function compact(literal: string): string {
  return literal
    .replace(/>[ \t]*\n\s*/g, '>')
    .replace(/\s*\n\s*</g, '<')
    .replace(/\s*\n\s*/g, ' ');
}

/**
 * Tagged template for HTML: every interpolated string is escaped, arrays are joined, `null`,
 * `undefined` and booleans render nothing (so `cond && html\`…\`` works), and {@link SafeHtml}
 * goes in as is.
 *
 * @example
 * ```ts
 * html`<p title="${name}">${name}</p>`; // name = '<b>' gives <p title="&lt;b&gt;">&lt;b&gt;</p>
 * ```
 */
export function html(strings: TemplateStringsArray, ...values: readonly HtmlValue[]): SafeHtml {
  let parts = compacted.get(strings);
  if (parts === undefined) {
    parts = strings.map(compact);
    compacted.set(strings, parts);
  }
  let out = parts[0] ?? '';
  let pieces: Piece[] | undefined;
  for (let i = 0; i < values.length; i++) {
    const value = values[i];
    if (value instanceof SafeHtml && value.encoded) {
      pieces ??= [];
      if (out !== '') pieces.push(out);
      value.appendTo(pieces);
      out = parts[i + 1] ?? '';
    } else {
      out += renderValue(value) + (parts[i + 1] ?? '');
    }
  }
  if (pieces === undefined) return new SafeHtml(out);
  if (out !== '') pieces.push(out);
  return new SafeHtml(pieces);
}

/**
 * The cards drawn from the scan path's cached views (product, batch, enterprise, links, a batch's
 * journey), rendered once per view object and language: the views are immutable and replaced,
 * never changed, when their data changes, so a view object always draws the same markup.
 */
const fragments = new WeakMap<object, Map<string | number, SafeHtml>>();

function memo(view: object, variant: string | number, render: () => SafeHtml): SafeHtml {
  let byVariant = fragments.get(view);
  if (byVariant === undefined) {
    byVariant = new Map();
    fragments.set(view, byVariant);
  }
  let markup = byVariant.get(variant);
  if (markup === undefined) {
    // Kept encoded: the pages copy its bytes instead of encoding it again each time.
    markup = new SafeHtml([Buffer.from(render().toString())]);
    byVariant.set(variant, markup);
  }
  return markup;
}

/** Our own constant markup (icons, the script), kept as UTF-8: pages copy its bytes. */
function encoded(markup: string): SafeHtml {
  return new SafeHtml([Buffer.from(markup)]);
}

/**
 * Markup that is the same on every page but for a few values (an action URL, a nonce, the title),
 * drawn once per variant with a marker where each value goes and kept as UTF-8 between them: a
 * page copies those bytes and writes only the values (the report form alone is a quarter of a
 * page). The values are escaped as {@link html} escapes them.
 */
class Stencil {
  /** The markup between the values, one more than the values. */
  readonly #between: readonly Buffer[];
  /** Which value goes after each piece of markup (a value may be used more than once). */
  readonly #order: readonly number[];

  constructor(holes: number, draw: (...holes: SafeHtml[]) => SafeHtml) {
    // Markers from Unicode's private use area, which none of our markup or messages contain.
    const markers = Array.from({ length: holes }, (_, i) => raw(`\uE000${i}\uE001`));
    const parts = draw(...markers)
      .toString()
      .split(/\uE000(\d+)\uE001/);
    this.#between = parts.filter((_, i) => i % 2 === 0).map((p) => Buffer.from(p));
    this.#order = parts.filter((_, i) => i % 2 === 1).map(Number);
  }

  fill(values: readonly HtmlValue[]): SafeHtml {
    const between = this.#between;
    const pieces: Piece[] = [];
    for (let i = 0; i < between.length; i++) {
      const bytes = between[i];
      if (bytes !== undefined && bytes.length > 0) pieces.push(bytes);
      const at = this.#order[i];
      if (at === undefined) continue;
      const value = values[at];
      if (value instanceof SafeHtml) value.appendTo(pieces);
      else {
        const text = renderValue(value);
        if (text !== '') pieces.push(text);
      }
    }
    return new SafeHtml(pieces);
  }
}

/** The kinds of stencil; each kind numbers its own variants. */
const SHELL = 0;
const REPORT = 1;
const POSITION = 2;
const BANNER = 3;

const stencils = new Map<number, Stencil>();

/**
 * The stencil of one kind and variant (language, what is shown: a number, built per page without
 * a string to hash) filled with `values`; drawn on first use with as many markers as values.
 */
function stencil(
  kind: number,
  variant: number,
  values: readonly HtmlValue[],
  draw: (...holes: SafeHtml[]) => SafeHtml,
): SafeHtml {
  const key = variant * 4 + kind;
  let s = stencils.get(key);
  if (s === undefined) {
    s = new Stencil(values.length, draw);
    stencils.set(key, s);
  }
  return s.fill(values);
}

/** 0 for Chinese, 1 for English: the low part of a variant. */
function langBit(lang: Lang): number {
  return lang === 'zh' ? 0 : 1;
}

/** Stylesheet URLs the shell was drawn with, numbered for its variants (one in production). */
const styleHrefs = new Map<string | undefined, number>();

function styleIndex(href: string | undefined): number {
  let i = styleHrefs.get(href);
  if (i === undefined) {
    i = styleHrefs.size;
    styleHrefs.set(href, i);
  }
  return i;
}

// ---------------------------------------------------------------------------------------------
// Small pieces

/** Options of {@link renderScanPage}. */
export interface ScanPageOptions {
  readonly lang: Lang;
  /** This page's path, for the language switch. */
  readonly path: string;
  /** POST JSON `{latitude, longitude, accuracy}` → `{place: {names}}`; null: no position button. */
  readonly positionEndpoint: string | null;
  /** Target of the multipart counterfeit report form; null: no report form. */
  readonly reportAction: string | null;
  /** Target of the PIN form (field `pin`). */
  readonly pinAction: string;
  /** Nonce for the inline `<style>` and `<script>`, when the server sends a CSP with one. */
  readonly nonce?: string;
  /** The stylesheet's URL (cached by the browser); without it the stylesheet is inlined. */
  readonly styleHref?: string;
  /** The manual entry page, offered again after an invalid code. */
  readonly entryUrl?: string;
  /** The page with the code's full journey (`/c/{code}/trace`); null: no link. */
  readonly traceUrl?: string | null;
}

type Tone = 'ok' | 'warn' | 'bad';

const TONES: Readonly<Record<Verdict, Tone>> = {
  genuine_first: 'ok',
  genuine_repeat: 'ok',
  warning: 'warn',
  pin_required: 'warn',
  not_activated: 'warn',
  invalid: 'bad',
  pin_wrong: 'bad',
  voided: 'bad',
  recalled: 'bad',
};

/** Verdicts shown even when the enterprise turned the anti-counterfeit box off: safety first. */
const ALWAYS_SHOWN: ReadonlySet<Verdict> = new Set<Verdict>([
  'warning',
  'not_activated',
  'invalid',
  'pin_wrong',
  'voided',
  'recalled',
]);

/** Verdicts after which the report form opens by itself and the banner links to it. */
const SUSPICIOUS: ReadonlySet<Verdict> = new Set<Verdict>(['warning', 'not_activated', 'voided']);

function icon(paths: string): SafeHtml {
  return encoded(
    `<svg viewBox="0 0 24 24" aria-hidden="true" focusable="false" fill="none" stroke="currentColor" stroke-width="2.4" stroke-linecap="round" stroke-linejoin="round">${paths}</svg>`,
  );
}

const ICON_CHECK = icon('<path d="M5 12.5l4.5 4.5L19 7.5"/>');
const ICON_ALERT = icon('<path d="M12 5.5v9"/><path d="M12 19h.01"/>');
const ICON_CROSS = icon('<path d="M7 7l10 10M17 7L7 17"/>');
const ICON_BAN = icon('<circle cx="12" cy="12" r="8"/><path d="M6.5 17.5l11-11"/>');
const ICON_LOCK = icon(
  '<rect x="5" y="10.5" width="14" height="10" rx="2"/><path d="M8.5 10.5v-3a3.5 3.5 0 0 1 7 0v3"/>',
);
const ICON_INFO = icon('<circle cx="12" cy="12" r="9"/><path d="M12 11v5.5"/><path d="M12 7.6h.01"/>');
const ICON_SHIELD = encoded(
  '<svg viewBox="0 0 24 24" aria-hidden="true" focusable="false" fill="none" stroke="currentColor" stroke-width="2" stroke-linecap="round" stroke-linejoin="round"><path d="M12 2.8l7.5 2.8v5.7c0 4.6-3.1 8.6-7.5 9.9-4.4-1.3-7.5-5.3-7.5-9.9V5.6z"/><path d="M8.6 12l2.4 2.4 4.6-4.8"/></svg>',
);

const VERDICT_ICONS: Readonly<Record<Verdict, SafeHtml>> = {
  genuine_first: ICON_CHECK,
  genuine_repeat: ICON_CHECK,
  warning: ICON_ALERT,
  pin_required: ICON_LOCK,
  not_activated: ICON_ALERT,
  invalid: ICON_CROSS,
  pin_wrong: ICON_CROSS,
  voided: ICON_BAN,
  recalled: ICON_ALERT,
};

/**
 * A URL from data that may become an `href` or `src`: absolute http(s) or a path on this site.
 * Anything else (`javascript:`, `data:`, `//host`) is dropped rather than rendered.
 */
function safeUrl(url: string | null | undefined): string | null {
  if (url === null || url === undefined) return null;
  const u = url.trim();
  if (/^https?:\/\/[^\s]+$/i.test(u)) return u;
  // `//host` and `/\host` are other sites to a browser.
  if (/^\/(?![/\\])/.test(u) && !/\s/.test(u)) return u;
  return null;
}

/** This page with `lang` set in its query string (other parameters kept, any fragment dropped). */
function withLang(path: string, lang: Lang): string {
  // A scan page's own path has neither: nothing to parse.
  if (!path.includes('?') && !path.includes('#')) return `${path}?lang=${lang}`;
  const noFragment = path.split('#', 1)[0] ?? '';
  const at = noFragment.indexOf('?');
  const base = at < 0 ? noFragment : noFragment.slice(0, at);
  const params = new URLSearchParams(at < 0 ? '' : noFragment.slice(at + 1));
  params.set('lang', lang);
  return `${base}?${params.toString()}`;
}

function otherLang(lang: Lang): Lang {
  return lang === 'zh' ? 'en' : 'zh';
}

/** A code in groups of four digits, as labels print it; odd input (invalid codes) is cut short. */
function displayCode(code: string): string {
  const shown = code.length > 40 ? `${code.slice(0, 40)}…` : code;
  if (!DIGITS.test(shown)) return shown;
  let grouped = shown.slice(0, 4);
  for (let at = 4; at < shown.length; at += 4) grouped += ` ${shown.slice(at, at + 4)}`;
  return grouped;
}

const DIGITS = /^\d+$/;

interface ShellOptions {
  readonly lang: Lang;
  /** Text, or markup already escaped (a title kept per product view). */
  readonly title: string | SafeHtml;
  readonly nonce: string | undefined;
  /** The language switch target; null for none. */
  readonly switchHref: string | null;
  readonly main: SafeHtml;
  readonly script?: SafeHtml | undefined;
  /** The stylesheet's URL; without it the stylesheet is inlined (previews, tests). */
  readonly styleHref?: string | undefined;
}

function nonceAttr(nonce: string | undefined): SafeHtml {
  return nonce === undefined ? raw('') : html` nonce="${nonce}"`;
}

function shell(o: ShellOptions): SafeHtml {
  const variant =
    styleIndex(o.styleHref) * 8 +
    (o.switchHref !== null ? 4 : 0) +
    (o.script !== undefined ? 2 : 0) +
    langBit(o.lang);
  return stencil(
    SHELL,
    variant,
    [o.title, o.switchHref, o.main, nonceAttr(o.nonce), o.script],
    (title, switchHref, main, nonce, script) =>
      drawShell(
        o.lang,
        o.styleHref,
        title,
        o.switchHref === null ? null : switchHref,
        main,
        nonce,
        o.script === undefined ? undefined : script,
      ),
  );
}

function drawShell(
  lang: Lang,
  styleHref: string | undefined,
  title: SafeHtml,
  switchHref: SafeHtml | null,
  main: SafeHtml,
  nonce: SafeHtml,
  script: SafeHtml | undefined,
): SafeHtml {
  const other = otherLang(lang);
  return html`<!doctype html>
    <html lang="${lang === 'zh' ? 'zh-CN' : 'en'}">
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width,initial-scale=1" />
        <meta name="robots" content="noindex,nofollow" />
        <meta name="format-detection" content="telephone=no" />
        <meta name="referrer" content="strict-origin-when-cross-origin" />
        <title>${title}</title>
        <link rel="icon" href="data:," />
        ${
          styleHref !== undefined
            ? html`<link rel="stylesheet" href="${styleHref}" />`
            : html`<style${nonce}>${raw(PAGE_STYLE)}</style>`
        }
      </head>
      <body>
        <header class="top">
          <span class="brand">${ICON_SHIELD}${t(lang, 'site.name')}</span>
          ${
            switchHref !== null &&
            html`<a
              class="lang"
              href="${switchHref}"
              hreflang="${other}"
              lang="${other === 'zh' ? 'zh-CN' : 'en'}"
              aria-label="${t(lang, 'lang.otherLabel')}"
              ><span>${t(lang, 'lang.other')}</span></a
            >`
          }
        </header>
        <main>${main}</main>
        <footer>
          <p>${t(lang, 'site.footer')}</p>
          <p><a href="tel:12315">${t(lang, 'site.hotline')}</a></p>
        </footer>
        ${script !== undefined && html`<script${nonce}>${script}</script>`}
      </body>
    </html>`;
}

function facts(rows: readonly (readonly [string, HtmlValue] | false | null)[]): SafeHtml {
  const shown = rows.filter((r): r is readonly [string, HtmlValue] => r !== false && r !== null);
  if (shown.length === 0) return raw('');
  return html`<dl class="facts">
    ${shown.map(
      ([k, v]) =>
        html`<dt>${k}</dt>
          <dd>${v}</dd>`,
    )}
  </dl>`;
}

// ---------------------------------------------------------------------------------------------
// The scan page

function verdictTitle(view: ScanView, lang: Lang): string {
  return titleOf(view.verdict, !view.counted && TONES[view.verdict] === 'ok', lang);
}

/** The verdict's heading; `preview`: a genuine code shown without counting the query. */
function titleOf(verdict: Verdict, preview: boolean, lang: Lang): string {
  return preview ? t(lang, 'verdict.preview.title') : t(lang, `verdict.${verdict}.title`);
}

function warningReason(view: ScanView, lang: Lang, reason: WarningReason): string {
  if (reason === 'distant_regions') return t(lang, 'warning.distant_regions');
  return view.queryLimit === null
    ? t(lang, 'warning.query_limit_unknown', { count: view.queryCount })
    : t(lang, 'warning.query_limit', { count: view.queryCount, limit: view.queryLimit });
}

/**
 * The locked first query time and the count, for a counted query of a known code: `first` when
 * this query is the code's first, else `count` is the number of queries.
 */
function queryRecord(lang: Lang, first: boolean, firstAt: HtmlValue, count: HtmlValue): SafeHtml {
  return html`<div class="record">
    <p>
      <span class="record-label">${t(lang, 'record.firstQuery')}</span
      ><span class="record-time">${firstAt}</span>
    </p>
    <p class="record-count">
      ${first ? t(lang, 'record.thisQuery') : t(lang, 'record.count', { count: String(count) })}
    </p>
  </div>`;
}

/** Where the query came from, in words, and from what it was known (empty when unknown). */
function placeWords(view: ScanView, lang: Lang): readonly [names: string, source: string] {
  const place = view.place;
  const names = place === null || place.names.length === 0 ? t(lang, 'place.unknown') : place.names.join(' ');
  const source = place === null ? '' : t(lang, place.source === 'ip' ? 'place.ip' : 'place.position');
  return [names, source];
}

function queryFacts(view: ScanView, lang: Lang): SafeHtml {
  const [names, source] = placeWords(view, lang);
  return drawQueryFacts(
    lang,
    view.verdict !== 'invalid',
    view.pinVerified,
    displayCode(view.code),
    names,
    source,
  );
}

/** The code, the place (for a known code) and whether the PIN was verified. */
function drawQueryFacts(
  lang: Lang,
  known: boolean,
  pinVerified: boolean,
  code: HtmlValue,
  placeNames: HtmlValue,
  placeSource: HtmlValue,
): SafeHtml {
  return facts([
    [t(lang, 'fact.code'), html`<span class="code">${code}</span>`],
    known && [
      t(lang, 'fact.place'),
      html`<span id="place-names">${placeNames}</span><span id="place-source">${placeSource}</span>`,
    ],
    pinVerified && [t(lang, 'fact.pin'), t(lang, 'fact.pinVerified')],
  ]);
}

function positionShown(view: ScanView, endpoint: string | null): endpoint is string {
  return view.counted && view.scanId !== null && endpoint !== null;
}

function positionBlock(view: ScanView, lang: Lang, endpoint: string | null): SafeHtml {
  if (!positionShown(view, endpoint)) return raw('');
  return stencil(POSITION, langBit(lang), [endpoint], (at) => drawPositionBlock(lang, at));
}

function drawPositionBlock(lang: Lang, endpoint: SafeHtml): SafeHtml {
  return html`<div class="pos">
    <button
      type="button"
      class="btn btn-2"
      id="pos-btn"
      hidden
      data-endpoint="${endpoint}"
      data-busy="${t(lang, 'position.busy')}"
      data-done="${t(lang, 'position.done')}"
      data-denied="${t(lang, 'position.denied')}"
      data-failed="${t(lang, 'position.failed')}"
      data-source="${t(lang, 'place.position')}"
    >
      ${t(lang, 'position.button')}
    </button>
    <p class="muted" id="pos-note" hidden>${t(lang, 'position.note')}</p>
    <p class="muted" id="pos-status" role="status"></p>
  </div>`;
}

/**
 * The precise-location enhancement, ES5 for old in-app browsers. It reads its words and the
 * endpoint from the button's data attributes and writes region names with textContent, so no
 * data is ever inside the script and nothing is parsed as markup.
 */
const POSITION_SCRIPT = encoded(
  "(function(){var b=document.getElementById('pos-btn');" +
    'if(!b||!navigator.geolocation||!window.fetch||window.isSecureContext===false)return;' +
    "var d=b.dataset,st=document.getElementById('pos-status'),nm=document.getElementById('place-names')," +
    "src=document.getElementById('place-source');b.hidden=false;document.getElementById('pos-note').hidden=false;" +
    'function fail(m){st.textContent=m;b.disabled=false}' +
    "b.addEventListener('click',function(){b.disabled=true;st.textContent=d.busy;" +
    'navigator.geolocation.getCurrentPosition(function(p){' +
    "fetch(d.endpoint,{method:'POST',credentials:'same-origin',headers:{'content-type':'application/json'}," +
    'body:JSON.stringify({latitude:p.coords.latitude,longitude:p.coords.longitude,accuracy:p.coords.accuracy})})' +
    '.then(function(r){if(!r.ok)throw r;return r.json()})' +
    '.then(function(j){var a=j&&j.place&&j.place.names;if(!a||!a.length)throw j;' +
    "nm.textContent=a.join(' ');src.textContent=d.source;st.textContent=d.done;b.hidden=true})" +
    '.catch(function(){fail(d.failed)})},' +
    'function(e){fail(e&&e.code===1?d.denied:d.failed)},' +
    '{enableHighAccuracy:true,timeout:20000,maximumAge:60000})})})();',
);

function pinForm(lang: Lang, action: string, wrong: boolean): SafeHtml {
  return html`<form class="field" method="post" action="${action}">
    <label for="pin">${t(lang, 'pin.label')}</label>
    <span class="hint" id="pin-hint"
      >${t(lang, 'pin.hint', { min: PIN_MIN_DIGITS, max: PIN_MAX_DIGITS })}</span
    >
    <div class="row">
      <input
        id="pin"
        name="pin"
        type="text"
        inputmode="numeric"
        autocomplete="off"
        autocapitalize="off"
        spellcheck="false"
        enterkeyhint="done"
        required
        minlength="${PIN_MIN_DIGITS}"
        maxlength="${PIN_MAX_DIGITS}"
        pattern="[0-9]{${PIN_MIN_DIGITS},${PIN_MAX_DIGITS}}"
        aria-describedby="pin-hint"
        ${wrong ? raw('aria-invalid="true"') : ''}
      />
      <button type="submit" class="btn">${t(lang, 'pin.submit')}</button>
    </div>
  </form>`;
}

/**
 * What the verdict box shows, as far as it decides the markup: each shape is a stencil, drawn
 * once, and a page writes only the values (the first query's time, the count, the code, the
 * place…). Most pages are the same few shapes of a genuine code.
 */
interface BannerShape {
  /** All of the below as one number, the stencil's variant. */
  readonly variant: number;
  readonly lang: Lang;
  readonly verdict: Verdict;
  /** A genuine code shown without counting the query (a link preview). */
  readonly preview: boolean;
  /** The locked first query time with, unless this query is the first, the count. */
  readonly record: 'none' | 'first' | 'count';
  readonly reasons: readonly WarningReason[];
  /** The enterprise's own warning text instead of ours. */
  readonly customBody: boolean;
  readonly reportLink: boolean;
  readonly entryLink: boolean;
  readonly prompt: boolean;
  readonly pinVerified: boolean;
  readonly position: boolean;
}

const VERDICTS = Object.keys(TONES) as readonly Verdict[];
const VERDICT_NUMBERS = Object.fromEntries(VERDICTS.map((v, i) => [v, i])) as Readonly<
  Record<Verdict, number>
>;
const REASON_NUMBERS: Readonly<Record<WarningReason, number>> = { query_limit: 1, distant_regions: 2 };
const REASON_BASE = Object.keys(REASON_NUMBERS).length + 1;
const RECORDS: Readonly<Record<BannerShape['record'], number>> = { none: 0, first: 1, count: 2 };

function bannerShape(view: ScanView, o: ScanPageOptions): BannerShape {
  const { lang } = o;
  const v = view.verdict;
  const tone = TONES[v];
  const preview = !view.counted && tone === 'ok';
  const record =
    preview || !view.counted || view.firstQueryAt === null || v === 'invalid'
      ? 'none'
      : v === 'genuine_first' || view.queryCount <= 1
        ? 'first'
        : 'count';
  const reasons = v === 'warning' ? view.warnings : [];
  const customBody =
    !preview && v === 'warning' && view.warningText !== null && view.warningText.trim() !== '';
  const reportLink = SUSPICIOUS.has(v) && view.reportable && o.reportAction !== null;
  const entryLink = v === 'invalid' && safeUrl(o.entryUrl) !== null;
  const prompt = tone === 'ok' && !preview && view.promptText !== null && view.promptText.trim() !== '';
  const position = positionShown(view, o.positionEndpoint);
  const flags =
    (customBody ? 1 : 0) |
    (reportLink ? 2 : 0) |
    (entryLink ? 4 : 0) |
    (prompt ? 8 : 0) |
    (view.pinVerified ? 16 : 0) |
    (position ? 32 : 0) |
    (preview ? 64 : 0);
  // The reasons in order, as digits of base REASON_BASE (each reason's number is at least 1).
  let reasonDigits = 0;
  for (const r of reasons) reasonDigits = reasonDigits * REASON_BASE + REASON_NUMBERS[r];
  return {
    variant:
      (((reasonDigits * 128 + flags) * 3 + RECORDS[record]) * VERDICTS.length + VERDICT_NUMBERS[v]) * 2 +
      langBit(lang),
    lang,
    verdict: v,
    preview,
    record,
    reasons,
    customBody,
    reportLink,
    entryLink,
    prompt,
    pinVerified: view.pinVerified,
    position,
  };
}

function verdictBanner(view: ScanView, o: ScanPageOptions): SafeHtml {
  const s = bannerShape(view, o);
  const { lang } = s;
  const v = s.verdict;
  const [placeNames, placeSource] = placeWords(view, lang);
  // In the order drawBanner takes them; values its shape does not show are left out as null.
  const values: HtmlValue[] = [
    s.record === 'none' || view.firstQueryAt === null ? null : formatDateTime(lang, view.firstQueryAt),
    s.record === 'count' ? view.queryCount : null,
    s.customBody ? view.warningText : null,
    v === 'recalled' ? recallFacts(view, lang) : null,
    v === 'pin_required' || v === 'pin_wrong' ? pinForm(lang, o.pinAction, v === 'pin_wrong') : null,
    s.entryLink ? safeUrl(o.entryUrl) : null,
    s.prompt ? view.promptText : null,
    displayCode(view.code),
    placeNames,
    placeSource,
    s.position ? o.positionEndpoint : null,
    ...s.reasons.map((r) => warningReason(view, lang, r)),
  ];
  return stencil(BANNER, s.variant, values, (...holes) => drawBanner(s, holes));
}

function drawBanner(s: BannerShape, holes: readonly SafeHtml[]): SafeHtml {
  const [
    firstAt,
    count,
    warningText,
    recall,
    pin,
    entryUrl,
    promptText,
    code,
    placeNames,
    placeSource,
    endpoint,
  ] = holes;
  const reasons = holes.slice(11);
  const { lang, verdict: v, preview } = s;
  const tone = TONES[v];
  const body = s.customBody ? warningText : t(lang, preview ? 'verdict.preview.body' : `verdict.${v}.body`);
  const actions = [
    s.reportLink && html`<a class="btn" href="#report">${t(lang, 'action.report')}</a>`,
    v === 'invalid' && html`<a class="btn" href="tel:12315">${t(lang, 'action.hotline')}</a>`,
    s.entryLink && html`<a class="btn btn-2" href="${entryUrl}">${t(lang, 'action.entry')}</a>`,
  ].filter((a) => a !== false);
  return html`<section class="v v-${tone}" aria-labelledby="verdict-title">
    <div class="v-head" role="${tone === 'ok' ? 'status' : 'alert'}">
      <div class="v-icon">${VERDICT_ICONS[v]}</div>
      <h1 id="verdict-title">${titleOf(v, preview, lang)}</h1>
    </div>
    <div class="v-body">
      ${s.record !== 'none' && queryRecord(lang, s.record === 'first', firstAt, count)}
      ${
        reasons.length > 0 &&
        html`<p class="vh">${t(lang, 'warning.reasons')}</p>
          <ul class="reasons">
            ${reasons.map((r) => html`<li>${r}</li>`)}
          </ul>`
      }
      <p>${body}</p>
      ${v === 'genuine_repeat' && !preview && html`<p class="advice">${t(lang, 'verdict.genuine_repeat.advice')}</p>`}
      ${v === 'recalled' && recall} ${(v === 'pin_required' || v === 'pin_wrong') && pin}
      ${actions.length > 0 && html`<div class="actions">${actions}</div>`}
      ${
        s.prompt &&
        html`<div class="prompt">
          <strong>${t(lang, 'prompt.heading')}</strong>
          <p>${promptText}</p>
        </div>`
      }
      ${drawQueryFacts(lang, v !== 'invalid', s.pinVerified, code, placeNames, placeSource)}
      ${s.position ? drawPositionBlock(lang, endpoint ?? raw('')) : raw('')}
    </div>
  </section>`;
}

function recallFacts(view: ScanView, lang: Lang): SafeHtml {
  const r = view.recall;
  if (r === null) return raw('');
  return facts([
    [t(lang, 'recall.scope'), t(lang, `recall.scope.${r.scope}`)],
    [t(lang, 'recall.at'), formatDateTime(lang, r.at)],
    r.reason !== null && [t(lang, 'recall.reason'), r.reason],
  ]);
}

/** A step's words: a recall as such, the business step's name when we have one, else the stage's. */
function stepName(step: TraceStepView, lang: Lang): string {
  if (step.disposition === 'recalled') return t(lang, 'step.recalled');
  const key = `step.${step.bizStep ?? ''}`;
  return isMessageKey(key) ? t(lang, key) : t(lang, `stage.${step.stage}`);
}

/** The steps of a journey as an ordered list, oldest first. */
export function traceSteps(steps: readonly TraceStepView[], lang: Lang): SafeHtml {
  return html`<ol class="steps">
    ${steps.map(
      (s) =>
        html`<li>
          <span class="step-stage">${t(lang, `stage.${s.stage}`)}</span>
          <strong>${stepName(s, lang)}</strong>
          <span class="muted">${formatDateTime(lang, s.at)}${s.place !== null && html` · ${s.place}`}</span>
        </li>`,
    )}
  </ol>`;
}

function traceCard(view: ScanView, lang: Lang, traceUrl: string | null): SafeHtml {
  const trace = view.trace;
  const link = safeUrl(traceUrl);
  if ((trace === null || trace.steps.length === 0) && link === null) return raw('');
  return html`<section class="card trace" aria-labelledby="trace-title">
    <h2 id="trace-title">${t(lang, 'trace.heading')}</h2>
    ${
      trace !== null &&
      trace.steps.length > 0 &&
      memo(
        trace,
        lang,
        () =>
          html`<p class="muted">${t(lang, 'trace.intro')}</p>
            ${traceSteps(trace.steps, lang)}`,
      )
    }
    ${trace !== null && trace.more > 0 && html`<p class="muted">${t(lang, 'trace.more', { n: trace.more })}</p>`}
    ${link !== null && html`<p><a href="${link}">${t(lang, 'trace.full')}</a></p>`}
  </section>`;
}

/**
 * What is kept per product view, numbered apart: its card (heading level and language, 2–5) and
 * the page titles naming it (verdict, counted or not, language, from 8).
 */
const PRODUCT_CARD = 0;
const PAGE_TITLE = 8;

function productCard(product: ProductView, lang: Lang, headingLevel: 1 | 2): SafeHtml {
  return memo(product, PRODUCT_CARD + headingLevel * 2 + langBit(lang), () =>
    drawProductCard(product, lang, headingLevel),
  );
}

function drawProductCard(product: ProductView, lang: Lang, headingLevel: 1 | 2): SafeHtml {
  const image = safeUrl(product.imageUrl);
  const sub = [product.brand, product.specification].filter((s): s is string => s !== null && s !== '');
  const heading =
    headingLevel === 1
      ? html`<h1 id="product-title">${product.name}</h1>`
      : html`<h2 id="product-title">${product.name}</h2>`;
  return html`<section class="card product" aria-labelledby="product-title">
    <div class="product-head">
      ${image !== null && html`<img src="${image}" alt="${t(lang, 'product.imageAlt', { name: product.name })}" width="96" height="96" loading="lazy" decoding="async" />`}
      <div>${heading}${sub.length > 0 && html`<p class="muted">${sub.join(' · ')}</p>`}</div>
    </div>
    ${product.description !== null && product.description.trim() !== '' && html`<p class="desc">${product.description}</p>`}
    ${facts([
      product.category !== null && [t(lang, 'product.category'), product.category],
      product.gtin !== null && [t(lang, 'product.gtin'), html`<span class="code">${product.gtin}</span>`],
      product.executedStandard !== null && [t(lang, 'product.standard'), product.executedStandard],
      product.shelfLifeDays !== null && [
        t(lang, 'product.shelfLife'),
        t(lang, 'product.shelfLifeDays', { days: product.shelfLifeDays }),
      ],
    ])}
  </section>`;
}

function batchCard(batch: BatchView | null, lang: Lang): SafeHtml {
  return batch === null ? raw('') : memo(batch, lang, () => drawBatchCard(batch, lang));
}

function drawBatchCard(batch: BatchView, lang: Lang): SafeHtml {
  const report = safeUrl(batch.inspectionReportUrl);
  return html`<section class="card batch" aria-labelledby="batch-title">
    <h2 id="batch-title">${t(lang, 'batch.heading')}</h2>
    ${facts([
      [t(lang, 'batch.lot'), html`<span class="code">${batch.lot}</span>`],
      [t(lang, 'batch.productionDate'), formatDate(lang, batch.productionDate)],
      batch.expiryDate !== null && [t(lang, 'batch.expiryDate'), formatDate(lang, batch.expiryDate)],
      report !== null && [
        t(lang, 'batch.inspection'),
        html`<a href="${report}" rel="noopener">${t(lang, 'batch.inspectionLink')}</a>`,
      ],
    ])}
  </section>`;
}

function enterpriseCard(e: EnterpriseView | null, lang: Lang): SafeHtml {
  return e === null ? raw('') : memo(e, lang, () => drawEnterpriseCard(e, lang));
}

function drawEnterpriseCard(e: EnterpriseView, lang: Lang): SafeHtml {
  return html`<section class="card enterprise" aria-labelledby="enterprise-title">
    <h2 id="enterprise-title">${t(lang, 'enterprise.heading')}</h2>
    ${facts([
      [t(lang, 'enterprise.name'), e.name],
      [t(lang, 'enterprise.uscc'), html`<span class="code">${e.uscc}</span>`],
      e.regionNames.length > 0 && [t(lang, 'enterprise.region'), e.regionNames.join(' ')],
      e.address !== '' && [t(lang, 'enterprise.address'), e.address],
    ])}
    ${
      e.qualifications.length > 0 &&
      html`<h3>${t(lang, 'qualifications.heading')}</h3>
        <p class="muted">${t(lang, 'qualifications.note')}</p>
        <ul class="quals">
          ${e.qualifications.map(
            (q) =>
              html`<li>
                ${ICON_SHIELD}
                <div>
                  <strong>${t(lang, `doc.${q.kind}`)}</strong>
                  ${q.title !== '' && q.title !== t(lang, `doc.${q.kind}`) && html`<span>${q.title}</span>`}
                  <span>${t(lang, 'qualification.number', { number: q.number })}</span>
                  <span
                    >${q.expiresOn === null ? t(lang, 'qualification.noExpiry') : t(lang, 'qualification.expires', { date: formatDate(lang, q.expiresOn) })}</span
                  >
                </div>
              </li>`,
          )}
        </ul>`
    }
  </section>`;
}

function linksCard(links: readonly ScanLink[], lang: Lang): SafeHtml {
  return memo(links, lang, () => drawLinksCard(links, lang));
}

function drawLinksCard(links: readonly ScanLink[], lang: Lang): SafeHtml {
  const shown = links
    .map((l) => ({ url: safeUrl(l.url), label: l.label ?? t(lang, `link.${l.kind}`) }))
    .filter((l): l is { url: string; label: string } => l.url !== null);
  if (shown.length === 0) return raw('');
  return html`<section class="card" aria-labelledby="links-title">
    <h2 id="links-title">${t(lang, 'links.heading')}</h2>
    <ul class="links">
      ${shown.map((l) => html`<li><a href="${l.url}" rel="noopener">${l.label}</a></li>`)}
    </ul>
  </section>`;
}

function reportCard(view: ScanView, lang: Lang, action: string | null): SafeHtml {
  if (!view.reportable || action === null) return raw('');
  const open = SUSPICIOUS.has(view.verdict);
  return stencil(REPORT, (open ? 2 : 0) + langBit(lang), [action], (to) => drawReportCard(lang, open, to));
}

function drawReportCard(lang: Lang, open: boolean, action: SafeHtml): SafeHtml {
  return html`<section class="card" id="report">
    <details${open ? raw(' open') : ''}>
    <summary><h2>${t(lang, 'report.heading')}</h2></summary>
    <p class="muted">${t(lang, 'report.intro')}</p>
    <form method="post" action="${action}" enctype="multipart/form-data">
    <div class="field"><label for="r-where">${t(lang, 'report.where')}</label>
    <span class="hint" id="r-where-hint">${t(lang, 'report.whereHint')}</span>
    <input id="r-where" name="where" type="text" required maxlength="200" aria-describedby="r-where-hint"></div>
    <div class="field"><label for="r-price">${t(lang, 'report.price')}</label>
    <input id="r-price" name="price" type="text" inputmode="decimal" autocomplete="off" maxlength="12" pattern="[0-9]{1,9}([.][0-9]{1,2})?"></div>
    <div class="field"><label for="r-note">${t(lang, 'report.note')}</label>
    <textarea id="r-note" name="note" rows="3" maxlength="2000"></textarea></div>
    <div class="field"><label for="r-contact">${t(lang, 'report.contact')}</label>
    <span class="hint" id="r-contact-hint">${t(lang, 'report.contactHint')}</span>
    <input id="r-contact" name="contact" type="text" inputmode="email" autocomplete="tel" maxlength="100" aria-describedby="r-contact-hint"></div>
    <div class="field"><label for="r-photo">${t(lang, 'report.photo')}</label>
    <span class="hint" id="r-photo-hint">${t(lang, 'report.photoHint')}</span>
    <input id="r-photo" name="photo" type="file" accept="image/jpeg,image/png" capture="environment" aria-describedby="r-photo-hint"></div>
    <button type="submit" class="btn btn-block">${t(lang, 'report.submit')}</button>
    </form>
    </details>
    </section>`;
}

/**
 * The scan result page. With the anti-counterfeit box turned off (tracing-only enterprises) the
 * genuine and PIN verdicts give way to the product; warnings, unknown, voided, not activated codes
 * and a wrong PIN still show, for the consumer's safety.
 *
 * Sections in order: verdict (with the recall notice), product, batch, trace (the batch's
 * journey and a link to the code's full one), enterprise, links, this query (without the verdict
 * box), report.
 *
 * @example
 * ```ts
 * reply.type('text/html').send(renderScanPage(view, { lang, path: `/c/${code}`, pinAction: `/c/${code}`,
 *   positionEndpoint: `/api/scans/${view.scanId}/position`, reportAction: `/c/${code}/reports` }));
 * ```
 */
export function renderScanPage(view: ScanView, options: ScanPageOptions): string {
  return scanPage(view, options).toString();
}

/** {@link renderScanPage} as UTF-8, to send: the cached cards' bytes are copied, not encoded again. */
export function scanPageBytes(view: ScanView, options: ScanPageOptions): Buffer {
  return scanPage(view, options).toBytes();
}

function scanPage(view: ScanView, options: ScanPageOptions): SafeHtml {
  const { lang } = options;
  const banner = view.antiCounterfeitPopup || ALWAYS_SHOWN.has(view.verdict);
  const product = view.product;
  const productName = product?.name ?? null;
  const title = banner
    ? product === null
      ? verdictTitle(view, lang)
      : memo(
          product,
          PAGE_TITLE + (VERDICT_NUMBERS[view.verdict] * 2 + (view.counted ? 1 : 0)) * 2 + langBit(lang),
          () =>
            html`${t(lang, 'title.withProduct', { verdict: verdictTitle(view, lang), product: product.name })}`,
        )
    : (productName ?? t(lang, 'title.tracing'));
  const main = html`${banner && verdictBanner(view, options)}
  ${!banner && product === null && html`<h1 class="vh">${t(lang, 'title.tracing')}</h1>`}
  ${product !== null && productCard(product, lang, banner ? 2 : 1)} ${batchCard(view.batch, lang)}
  ${view.verdict !== 'invalid' && traceCard(view, lang, options.traceUrl ?? null)}
  ${enterpriseCard(view.enterprise, lang)} ${linksCard(view.links, lang)}
  ${
    !banner &&
    html`<section class="card" aria-labelledby="query-title">
      <h2 id="query-title">${t(lang, 'query.heading')}</h2>
      ${queryFacts(view, lang)} ${positionBlock(view, lang, options.positionEndpoint)}
    </section>`
  }
  ${reportCard(view, lang, options.reportAction)}`;
  return shell({
    lang,
    title,
    nonce: options.nonce,
    switchHref: withLang(options.path, otherLang(lang)),
    main,
    script: positionShown(view, options.positionEndpoint) ? POSITION_SCRIPT : undefined,
    styleHref: options.styleHref,
  });
}

// ---------------------------------------------------------------------------------------------
// The other pages

/** Options of {@link renderEntryPage}. */
export interface EntryPageOptions {
  readonly lang: Lang;
  /** Target of the form (POST, fields `code` and `pin`). */
  readonly action: string;
  readonly error?: 'invalid_code' | 'rate_limited' | undefined;
  /** What was typed before, shown again after an error. */
  readonly code?: string;
  readonly nonce?: string;
  readonly styleHref?: string;
}

/**
 * Manual entry of a code (and the hidden PIN, for scratch-off labels). The language switch is a
 * relative `?lang=` link: the same path, whatever the route is.
 */
export function renderEntryPage(options: EntryPageOptions): string {
  const { lang, error } = options;
  const codeError = error === 'invalid_code';
  const main = html`<section class="card" aria-labelledby="entry-title">
    <h1 id="entry-title">${t(lang, 'entry.title')}</h1>
    <p class="muted">${t(lang, 'entry.intro')}</p>
    ${error !== undefined && html`<p class="error" id="entry-error" role="alert">${t(lang, `entry.error.${error}`)}</p>`}
    <form method="post" action="${options.action}">
      <div class="field">
        <label for="code">${t(lang, 'entry.code')}</label>
        <span class="hint" id="code-hint">${t(lang, 'entry.codeHint')}</span>
        <input
          class="code-input"
          id="code"
          name="code"
          type="text"
          inputmode="numeric"
          autocomplete="off"
          autocapitalize="off"
          spellcheck="false"
          required
          maxlength="40"
          pattern="[0-9０-９ \\-－]{15,40}"
          value="${options.code ?? ''}"
          aria-describedby="${codeError ? 'entry-error code-hint' : 'code-hint'}"
          ${codeError ? raw(' aria-invalid="true"') : ''}
        />
      </div>
      <div class="field">
        <label for="pin">${t(lang, 'entry.pin')}</label>
        <span class="hint" id="pin-hint">${t(lang, 'entry.pinHint')}</span>
        <input
          id="pin"
          name="pin"
          type="text"
          inputmode="numeric"
          autocomplete="off"
          autocapitalize="off"
          spellcheck="false"
          maxlength="${PIN_MAX_DIGITS}"
          pattern="[0-9]{${PIN_MIN_DIGITS},${PIN_MAX_DIGITS}}"
          aria-describedby="pin-hint"
        />
      </div>
      <button type="submit" class="btn btn-block">${t(lang, 'entry.submit')}</button>
    </form>
  </section>`;
  return shell({
    lang,
    title: t(lang, 'entry.title'),
    nonce: options.nonce,
    styleHref: options.styleHref,
    switchHref: `?lang=${otherLang(lang)}`,
    main,
  }).toString();
}

function simplePage(
  lang: Lang,
  page: { readonly nonce?: string | undefined; readonly styleHref?: string | undefined },
  pageIcon: SafeHtml,
  title: string,
  lines: readonly string[],
  actions: HtmlValue,
): string {
  const main = html`<section class="card simple" aria-labelledby="page-title">
    <div class="page-icon${pageIcon === ICON_CHECK ? ' ok' : ''}">${pageIcon}</div>
    <h1 id="page-title">${title}</h1>
    ${lines.map((l) => html`<p>${l}</p>`)} ${actions !== false && html`<div class="actions">${actions}</div>`}
  </section>`;
  return shell({
    lang,
    title,
    nonce: page.nonce,
    styleHref: page.styleHref,
    switchHref: `?lang=${otherLang(lang)}`,
    main,
  }).toString();
}

/** Options of {@link renderJourneyPage}. */
export interface JourneyPageOptions {
  readonly lang: Lang;
  readonly code: string;
  readonly journey: TraceView;
  /** The code's scan page. */
  readonly backUrl: string;
  readonly nonce?: string;
  readonly styleHref?: string;
}

/** A code's full journey (its containers, batch and raw materials), oldest first. Not a query. */
export function renderJourneyPage(options: JourneyPageOptions): string {
  const { lang, journey } = options;
  const back = safeUrl(options.backUrl);
  const main = html`<section class="card trace" aria-labelledby="page-title">
    <h1 id="page-title">${t(lang, 'trace.pageTitle')}</h1>
    ${facts([[t(lang, 'fact.code'), html`<span class="code">${displayCode(options.code)}</span>`]])}
    <p class="muted">${t(lang, 'trace.pageIntro')}</p>
    ${journey.steps.length === 0 ? html`<p>${t(lang, 'trace.empty')}</p>` : traceSteps(journey.steps, lang)}
    ${journey.more > 0 && html`<p class="muted">${t(lang, 'trace.more', { n: journey.more })}</p>`}
    ${back !== null && html`<div class="actions"><a class="btn btn-2" href="${back}">${t(lang, 'trace.back')}</a></div>`}
  </section>`;
  return shell({
    lang,
    title: t(lang, 'trace.pageTitle'),
    nonce: options.nonce,
    styleHref: options.styleHref,
    switchHref: `?lang=${otherLang(lang)}`,
    main,
  }).toString();
}

/** Options of {@link renderReportThanks}. */
export interface ReportThanksOptions {
  readonly lang: Lang;
  /** The scan page the report came from. */
  readonly backUrl: string;
  readonly nonce?: string;
  readonly styleHref?: string;
}

/** The page after a counterfeit report was received. */
export function renderReportThanks(options: ReportThanksOptions): string {
  const { lang } = options;
  const back = safeUrl(options.backUrl);
  return simplePage(
    lang,
    options,
    ICON_CHECK,
    t(lang, 'thanks.title'),
    [t(lang, 'thanks.body')],
    back !== null && html`<a class="btn" href="${back}">${t(lang, 'thanks.back')}</a>`,
  );
}

/** What went wrong, for {@link renderProblemPage}. */
export type ProblemKind = 'rate_limited' | 'bad_request' | 'not_found' | 'unavailable';

/** Options of {@link renderProblemPage}. */
export interface ProblemPageOptions {
  readonly lang: Lang;
  readonly kind: ProblemKind;
  /** For `rate_limited` and `unavailable`: when to try again (the Retry-After value). */
  readonly retryAfterSeconds?: number;
  readonly nonce?: string;
  readonly styleHref?: string;
}

function retryText(lang: Lang, seconds: number | undefined): string {
  if (seconds === undefined || !Number.isFinite(seconds) || seconds <= 0)
    return t(lang, 'problem.retryLater');
  if (seconds < 90) return t(lang, 'problem.retrySeconds', { n: Math.ceil(seconds) });
  return t(lang, 'problem.retryMinutes', { n: Math.ceil(seconds / 60) });
}

/** A page for a request the scan pages cannot answer: too many, malformed, unknown, or down. */
export function renderProblemPage(options: ProblemPageOptions): string {
  const { lang, kind } = options;
  const key = `problem.${kind}` as const;
  const lines = [t(lang, `${key}.body`)];
  if (kind === 'rate_limited' || kind === 'unavailable')
    lines.push(retryText(lang, options.retryAfterSeconds));
  return simplePage(
    lang,
    options,
    kind === 'rate_limited' || kind === 'unavailable' ? ICON_ALERT : ICON_INFO,
    t(lang, `${key}.title`),
    lines,
    false,
  );
}
