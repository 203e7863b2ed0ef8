import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import type { Browser, BrowserContext, BrowserContextOptions, Page } from 'playwright-core';

/** Debian's Chromium; `.ci/run` installs it when missing. Never a downloaded browser. */
export const chromiumPath: string = process.env['CHROMIUM_PATH'] ?? '/usr/bin/chromium';

/** Flags that keep headless Chromium quiet on a machine with a closed network. */
const flags = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];

/**
 * Launches Debian's Chromium through playwright-core. Throws with what to do when it is not
 * installed: browser tests fail rather than skip.
 */
export async function launchChromium(): Promise<Browser> {
  if (!existsSync(chromiumPath)) {
    throw new Error(
      `Chromium is not installed at ${chromiumPath}: run \`apt-get install -y chromium fonts-wqy-microhei\` ` +
        '(.ci/run does this) or set CHROMIUM_PATH. Browser tests do not skip.',
    );
  }
  // Loaded here, not with this module: most suites use the test databases only, and loading
  // playwright-core took ~0.7 s of each of their starts.
  const { chromium } = await import('playwright-core');
  return chromium.launch({ executablePath: chromiumPath, args: flags });
}

/** A git-ignored folder for screenshots of one suite, created if missing. */
export function screenshotDir(suite: string): string {
  const dir = join(import.meta.dirname, '..', '..', '..', 'screenshots', suite);
  mkdirSync(dir, { recursive: true });
  return dir;
}

/**
 * Photographs every page still open in `contexts` as `last-page-N.png` under `dir`: the state the
 * suite left its pages in, which after a failed step is that step's page. It runs after every
 * suite, passed or not, so the files say "last", not "failure".
 */
export async function photographOpenPages(contexts: readonly BrowserContext[], dir: string): Promise<void> {
  let n = 0;
  for (const c of contexts)
    for (const p of c.pages())
      await p.screenshot({ path: join(dir, `last-page-${++n}.png`) }).catch(() => undefined);
}

/** A phone as most consumers hold it: 390×844 CSS pixels, WeChat's in-app browser. */
export const phone = {
  viewport: { width: 390, height: 844 },
  deviceScaleFactor: 2,
  isMobile: true,
  hasTouch: true,
  userAgent:
    'Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile/15E148 MicroMessenger/8.0.47(0x18002f2c) NetType/WIFI Language/zh_CN',
  locale: 'zh-CN',
} as const;

/** A browser window's size in CSS pixels. */
export interface Viewport {
  readonly width: number;
  readonly height: number;
}

/** The widths the console's screens are photographed at: a laptop's and a tablet's. */
export const desktop: Viewport = { width: 1440, height: 900 };
export const tablet: Viewport = { width: 1024, height: 768 };

/** antd's loading states: a screen is not photographed while one of them shows. */
const loading = '.ant-spin-spinning, .ant-skeleton-active, .ant-table-placeholder .ant-spin';

/**
 * Waits until the console's spinners and skeletons are gone and `settleMs` more (antd's messages,
 * transitions and chart animations), then photographs the page as `<dir>/<name>.png`.
 */
export async function photograph(page: Page, dir: string, name: string, settleMs = 250): Promise<void> {
  await page.waitForFunction(`document.querySelector(${JSON.stringify(loading)}) === null`);
  await page.waitForTimeout(settleMs);
  await page.screenshot({ path: join(dir, `${name}.png`) });
}

/**
 * Opens a console screen as a click in its menu does: inside the loaded app, the address pushed
 * the way the router pushes it and the router told (a `popstate`), then waits until the screen
 * that was shown is gone. Loading the whole console again for every screen of a tour cost 1–4 s
 * a screen on two cores, most of a tour. A page not showing the console yet, or a screen asked
 * for again with other parameters (the same screen stays mounted), is loaded as a deep link.
 * Callers then wait for what the new screen shows, as after `page.goto`.
 */
export async function openScreen(page: Page, url: string): Promise<void> {
  const here = page.url();
  const target = new URL(url, here.startsWith('http') ? here : 'http://localhost/');
  const current = here.startsWith('http') ? new URL(here) : undefined;
  const heading = page.locator('h1, h2, h3, h4').first();
  if (
    current === undefined ||
    current.origin !== target.origin ||
    !current.pathname.startsWith('/console/') ||
    !target.pathname.startsWith('/console/') ||
    current.pathname === target.pathname ||
    (await heading.count()) === 0
  ) {
    await page.goto(url);
    return;
  }
  const shown = await heading.elementHandle();
  // React Router's own kind of history entry: its state carries the entry's index.
  await page.evaluate(`{
    const idx = ((history.state ?? {}).idx ?? 0) + 1;
    history.pushState({ usr: null, key: 'tour' + idx, idx }, '', ${JSON.stringify(target.pathname + target.search)});
    dispatchEvent(new PopStateEvent('popstate', { state: history.state }));
  }`);
  await shown.waitForElementState('hidden');
  await shown.dispose();
}

/**
 * A tour's two passes: Chinese, the first language, at the desktop and the tablet width side by
 * side (two cores), then English at the desktop width.
 */
export async function eachWidth(
  photographAt: (width: 'desktop' | 'tablet', viewport: Viewport, language: 'zh' | 'en') => Promise<void>,
): Promise<void> {
  await Promise.all([photographAt('desktop', desktop, 'zh'), photographAt('tablet', tablet, 'zh')]);
  await photographAt('desktop', desktop, 'en');
}

/** How {@link BrowserSessions.open} opens a browser context. */
export interface SessionOptions {
  /** The window's size; the desktop width unless given. */
  readonly viewport?: Viewport | undefined;
  /** The console's language, stored as its choice before any page loads; else the console's default. */
  readonly language?: 'zh-CN' | 'en-US' | undefined;
  /** Logs in through the API first: the session cookie the login form would have set. */
  readonly login?: { readonly username: string; readonly password: string };
  /** Further context options (a time zone, downloads), or a whole device such as {@link phone}. */
  readonly context?: BrowserContextOptions;
}

/**
 * A suite's Chromium and the contexts it opens against the suite's server: each one a console
 * user's (Chinese locale, the server's address as base URL, optionally a language and a login) or
 * a device's. It keeps every context it opened, so that {@link end} can photograph what a failed
 * step left open. Made with the suite, launched in its `before`, ended in its `after`.
 */
export class BrowserSessions {
  #browser: Browser | undefined;
  readonly #contexts: BrowserContext[] = [];
  /** The server's address, set once it listens. */
  base = '';

  /** Launches Debian's Chromium ({@link launchChromium}). */
  async launch(): Promise<Browser> {
    this.#browser = await launchChromium();
    return this.#browser;
  }

  get browser(): Browser {
    if (this.#browser === undefined) throw new Error('BrowserSessions: launch() first');
    return this.#browser;
  }

  /** A new context and its first page. Throws with the server's answer if the login is refused. */
  async open(options: SessionOptions = {}): Promise<{ context: BrowserContext; page: Page }> {
    const context = await this.browser.newContext({
      viewport: options.viewport ?? desktop,
      locale: 'zh-CN',
      baseURL: this.base,
      ...options.context,
    });
    this.#contexts.push(context);
    if (options.language !== undefined) {
      await context.addInitScript({
        content: `localStorage.setItem('tm_lang', ${JSON.stringify(options.language)})`,
      });
    }
    if (options.login !== undefined) {
      const res = await context.request.post(`${this.base}/api/v1/auth/login`, { data: options.login });
      if (res.status() !== 200) {
        throw new Error(`login of ${options.login.username} answered ${res.status()}: ${await res.text()}`);
      }
    }
    return { context, page: await context.newPage() };
  }

  /** {@link open}'s page alone. */
  async page(options: SessionOptions = {}): Promise<Page> {
    return (await this.open(options)).page;
  }

  /** Closes every context opened so far: a step that passed leaves nothing for {@link end}. */
  async closeAll(): Promise<void> {
    for (const context of this.#contexts.splice(0)) await context.close();
  }

  /**
   * The suite's end, passed or not: photographs the pages still open into `dir` (after a failed
   * step, that step's pages; see {@link photographOpenPages}) and closes the browser.
   */
  async end(dir: string): Promise<void> {
    if (this.#browser === undefined) return;
    await photographOpenPages(this.#contexts, dir);
    await this.#browser.close();
  }
}

/** One rule a page breaks, as axe-core reports it: the rule, its weight and where. */
export interface AccessibilityViolation {
  readonly rule: string;
  readonly impact: string | null;
  readonly help: string;
  /** CSS selectors of the offending elements (at most five). */
  readonly elements: readonly string[];
  /** What axe says is wrong with the first of them (for contrast: the colours and the ratio). */
  readonly summary: string;
}

/** WCAG 2.0 and 2.1, levels A and AA: what the pages promise. */
const WCAG_AA = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'];

let axeSource: string | undefined;

/**
 * Runs axe-core (Deque's accessibility engine) on the page as it is now and returns the WCAG 2.1
 * A/AA rules it breaks: contrast, names and labels, language, structure. `exclude` takes CSS
 * selectors of parts not to check (WCAG exempts inactive controls from contrast, and axe does not
 * recognise every part of a disabled antd control as disabled).
 */
export async function accessibilityViolations(
  page: Page,
  { exclude = [] }: { readonly exclude?: readonly string[] } = {},
): Promise<AccessibilityViolation[]> {
  axeSource ??= readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');
  // Evaluated through the DevTools protocol, which a page's Content-Security-Policy does not govern.
  if ((await page.evaluate('typeof axe')) === 'undefined') await page.evaluate(axeSource);
  // Colours are read as painted: transitions under way (antd fades colours in over 0.2–0.3 s)
  // end first, waited for at most a second (spinners never end).
  await page.evaluate(`Promise.race([
    Promise.all(document.getAnimations()
      .filter((a) => a.effect === null || a.effect.getTiming().iterations !== Infinity)
      .map((a) => a.finished.catch(() => undefined))),
    new Promise((resolve) => setTimeout(resolve, 1000)),
  ])`);
  const context = { include: [['html']], exclude: exclude.map((selector) => [selector]) };
  const found = await page.evaluate(`axe
    .run(${JSON.stringify(context)}, { runOnly: { type: 'tag', values: ${JSON.stringify(WCAG_AA)} }, resultTypes: ['violations'] })
    .then((r) => r.violations.map((v) => ({
      rule: v.id,
      impact: v.impact ?? null,
      help: v.help,
      elements: v.nodes.slice(0, 5).map((n) => n.target.join(' ')),
      summary: (v.nodes[0] && v.nodes[0].failureSummary) || '',
    })))`);
  return found as AccessibilityViolation[];
}

/**
 * What axe finds on the pages a test looks at, one line per rule broken and naming the page, for
 * one assertion at the end (`assert.deepEqual(audit.findings, [])`): a failure lists every page.
 */
export class AccessibilityAudit {
  readonly findings: string[] = [];
  readonly #exclude: readonly string[];

  /** `exclude`: as for {@link accessibilityViolations}, on every page checked. */
  constructor({ exclude = [] }: { readonly exclude?: readonly string[] } = {}) {
    this.#exclude = exclude;
  }

  /** Checks the page as it is now; `where` names it in the findings. */
  async check(page: Page, where: string): Promise<void> {
    for (const v of await accessibilityViolations(page, { exclude: this.#exclude }))
      this.findings.push(
        `${where}: ${v.rule} (${v.impact ?? '?'}) ${v.help} — ${v.elements.join(', ')}: ${v.summary}`,
      );
  }
}
