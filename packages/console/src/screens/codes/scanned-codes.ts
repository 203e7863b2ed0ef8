/**
 * What a scanner gun or a paste gives, read as the server reads codes: digits typed or printed in
 * groups (spaces, hyphens, full-width digits — `normalizeCode`), the short link `…/c/{code}` a
 * label's QR holds, or a GS1 Digital Link `…/01/{gtin}/21/{code}`. The check digit is verified
 * here with the same function the server uses, so a misread never reaches the API.
 */
import { normalizeCode, parseCode, parseDigitalLinkPath } from '@tracemark/codes';

/** Why a scanned line is not a code (each has a message `codes.scan_<reason>`). */
export type ScanProblem = 'not-digits' | 'unknown-layout' | 'bad-check-digit' | 'no-serial' | 'bad-link';

/** One scan read: the code, or why it is not one. */
export type ScanRead =
  | { readonly type: 'code'; readonly code: string }
  | { readonly type: 'problem'; readonly reason: ScanProblem };

/** Reads one scan (a line of text) into a code. */
export function readScan(text: string): ScanRead {
  const raw = text.trim();
  let candidate = raw;
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(raw) || raw.includes('/')) {
    let path = raw;
    try {
      path = new URL(raw).pathname;
    } catch {
      // Not a full URL: read it as a path.
    }
    const short = /(?:^|\/)c\/([^/?#]+)\/?$/.exec(path);
    if (short?.[1] !== undefined) candidate = decodeURIComponentSafe(short[1]);
    else {
      const link = parseDigitalLinkPath(path);
      if (link.type === 'error') return { type: 'problem', reason: 'bad-link' };
      if (link.serial === undefined) return { type: 'problem', reason: 'no-serial' };
      candidate = link.serial;
    }
  }
  const code = normalizeCode(candidate);
  const parsed = parseCode(code);
  if (parsed.type === 'error') {
    return {
      type: 'problem',
      reason:
        parsed.reason === 'other-space' || parsed.reason === 'wrong-length'
          ? 'unknown-layout'
          : parsed.reason,
    };
  }
  return { type: 'code', code };
}

function decodeURIComponentSafe(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}

/** A pasted or scanned list: the distinct codes (with the line each came from) and the bad lines. */
export interface CodeList {
  readonly codes: readonly string[];
  /** 1-based line number of each code in `codes`. */
  readonly lines: readonly number[];
  readonly problems: readonly {
    readonly line: number;
    readonly text: string;
    readonly reason: ScanProblem;
  }[];
  /** Lines naming a code already listed above (kept once). */
  readonly duplicates: number;
}

/** Reads a list: one code per line (commas, semicolons and tabs also separate, as spreadsheets paste). */
export function readCodeList(text: string): CodeList {
  const codes: string[] = [];
  const lines: number[] = [];
  const problems: { line: number; text: string; reason: ScanProblem }[] = [];
  const seen = new Set<string>();
  let duplicates = 0;
  text.split(/\r?\n/).forEach((row, i) => {
    for (const part of row.split(/[,;\t]/)) {
      if (part.trim() === '') continue;
      const read = readScan(part);
      if (read.type === 'problem') problems.push({ line: i + 1, text: part.trim(), reason: read.reason });
      else if (seen.has(read.code)) duplicates++;
      else {
        seen.add(read.code);
        codes.push(read.code);
        lines.push(i + 1);
      }
    }
  });
  return { codes, lines, problems, duplicates };
}
