import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, type Browser, type BrowserContext } from 'playwright-core';

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
