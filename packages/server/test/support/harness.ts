import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import type { LightMyRequestResponse } from 'fastify';
import pino from 'pino';
import { migrateToLatest, openDatabase, type Db } from '@tracemark/db';
import {
  buildApp,
  createPlatformAccount,
  FileStore,
  loadConfig,
  systemContext,
  type App,
  type Config,
} from '@tracemark/server';
import { createTestDatabase, type TestDatabase } from '@tracemark/testing';
import type { DialectName } from '@tracemark/db';
import { orgCodeCheckCharacter, usccCheckCharacter } from '@tracemark/core';

/** A built app on a fresh, migrated database of one dialect. */
export interface Harness {
  readonly app: App;
  readonly db: Db;
  readonly config: Config;
  readonly t: TestDatabase;
  close(): Promise<void>;
}

/** Builds the app on a new database; `env` overrides settings; `logger` replaces the silent one. */
export async function harness(
  dialect: DialectName,
  env: Record<string, string> = {},
  { logger = pino({ level: 'silent' }) }: { logger?: pino.Logger } = {},
): Promise<Harness> {
  const t = await createTestDatabase(dialect);
  const config = loadConfig({
    DATA_DIR: t.dataDir,
    DATABASE_URL: t.url,
    LOG_LEVEL: 'silent',
    LOGIN_RATE_LIMIT: '1000',
    ...env,
  });
  const db = openDatabase(config.database);
  await migrateToLatest(db);
  const app = await buildApp({ config, db, logger });
  return {
    app,
    db,
    config,
    t,
    async close() {
      await app.close();
      await db.close();
      await t.dispose();
    },
  };
}

/** Someone talking to the app: keeps the session cookie and CSRF token between calls. */
export class Client {
  cookie = '';
  csrf = '';
  bearer = '';

  constructor(readonly app: App) {}

  /** Sends a request; JSON body when given. */
  async call(
    method: 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE',
    url: string,
    body?: unknown,
    headers: Record<string, string> = {},
  ): Promise<LightMyRequestResponse> {
    const res = await this.app.inject({
      method,
      url,
      headers: {
        ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
        ...(this.cookie !== '' ? { cookie: this.cookie } : {}),
        ...(this.csrf !== '' ? { 'x-csrf-token': this.csrf } : {}),
        ...(this.bearer !== '' ? { authorization: `Bearer ${this.bearer}` } : {}),
        ...headers,
      },
      ...(body !== undefined ? { payload: JSON.stringify(body) } : {}),
    });
    this.remember(res);
    return res;
  }

  /** Sends a multipart upload with text fields and one file. */
  async upload(
    method: 'POST' | 'PUT',
    url: string,
    fields: Record<string, string>,
    file?: { name: string; type: string; data: Buffer },
  ): Promise<LightMyRequestResponse> {
    const boundary = '----tmtestboundary';
    const parts: Buffer[] = [];
    for (const [k, v] of Object.entries(fields)) {
      parts.push(Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${k}"\r\n\r\n${v}\r\n`));
    }
    if (file !== undefined) {
      parts.push(
        Buffer.from(
          `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${file.name}"\r\nContent-Type: ${file.type}\r\n\r\n`,
        ),
        file.data,
        Buffer.from('\r\n'),
      );
    }
    parts.push(Buffer.from(`--${boundary}--\r\n`));
    const res = await this.app.inject({
      method,
      url,
      headers: {
        'content-type': `multipart/form-data; boundary=${boundary}`,
        ...(this.cookie !== '' ? { cookie: this.cookie } : {}),
        ...(this.csrf !== '' ? { 'x-csrf-token': this.csrf } : {}),
        ...(this.bearer !== '' ? { authorization: `Bearer ${this.bearer}` } : {}),
      },
      payload: Buffer.concat(parts),
    });
    this.remember(res);
    return res;
  }

  /** Logs in; fails the test if the login does not succeed. */
  async login(username: string, password: string): Promise<void> {
    const res = await this.call('POST', '/api/v1/auth/login', { username, password });
    if (res.statusCode !== 200) throw new Error(`login of ${username} failed: ${res.statusCode} ${res.body}`);
  }

  private remember(res: LightMyRequestResponse): void {
    const cookie = res.cookies.find((c) => c.name === 'tm_session');
    if (cookie !== undefined) this.cookie = `tm_session=${cookie.value}`;
    if (res.headers['content-type']?.toString().includes('json') === true && res.body !== '') {
      const body = JSON.parse(res.body) as { csrfToken?: unknown };
      if (typeof body.csrfToken === 'string') this.csrf = body.csrfToken;
    }
  }
}

/** The JSON body of a response. */
export function json<T = Record<string, unknown>>(res: LightMyRequestResponse): T {
  return JSON.parse(res.body) as T;
}

/** The error code of an error response. */
export function errorCode(res: LightMyRequestResponse): string {
  return json<{ error: { code: string } }>(res).error.code;
}

/** A password that meets the policy. */
export const password = 'Passw0rd-Strong';

/** Makes a valid unified social credit code from a region and an 8-character organisation body. */
export function makeUscc(region = '310115', body = 'MA1TEXT0'): string {
  const first17 = `91${region}${body}${orgCodeCheckCharacter(body) ?? '0'}`;
  return `${first17}${usccCheckCharacter(first17) ?? '0'}`;
}

/** Smallest files of each accepted kind (their first bytes are what counts). */
export const files = {
  pdf: Buffer.from('%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n'),
  png: Buffer.from('89504e470d0a1a0a0000000d4948445200000001000000010806000000', 'hex'),
  jpeg: Buffer.from('ffd8ffe000104a46494600010100000100010000ffd9', 'hex'),
  exe: Buffer.from('4d5a90000300000004000000ffff0000', 'hex'),
};

/** Creates a platform operator directly and returns a logged-in client. */
export async function operatorClient(h: Harness, username = 'op'): Promise<Client> {
  const ctx = systemContext({
    db: h.db,
    config: h.config,
    files: new FileStore(h.config.dataDir),
    log: pino({ level: 'silent' }),
  });
  await createPlatformAccount(ctx, {
    username,
    displayName: 'Operator',
    password,
    role: 'platform_operator',
  });
  const c = new Client(h.app);
  await c.login(username, password);
  return c;
}

/** Creates a regulator with a jurisdiction and returns a logged-in client. */
export async function regulatorClient(
  h: Harness,
  jurisdiction: string,
  username = `reg${jurisdiction}`,
): Promise<Client> {
  const ctx = systemContext({
    db: h.db,
    config: h.config,
    files: new FileStore(h.config.dataDir),
    log: pino({ level: 'silent' }),
  });
  await createPlatformAccount(ctx, {
    username,
    displayName: 'Regulator',
    password,
    role: 'regulator',
    jurisdiction,
  });
  const c = new Client(h.app);
  await c.login(username, password);
  return c;
}

/** Registers an enterprise; returns its administrator's client and the enterprise id. */
export async function registerEnterprise(
  h: Harness,
  opts: { username: string; orgBody: string; region?: string; name?: string },
): Promise<{ admin: Client; enterpriseId: string; uscc: string }> {
  const admin = new Client(h.app);
  const uscc = makeUscc(opts.region ?? '310115', opts.orgBody);
  const res = await admin.call('POST', '/api/v1/registrations', {
    enterprise: {
      name: opts.name ?? `企业 ${opts.username}`,
      uscc,
      legalRepresentative: '张三',
      address: '上海市浦东新区某路 1 号',
      regionCode: opts.region ?? '310115',
      contactName: '李四',
      contactPhone: '13800000000',
    },
    admin: { username: opts.username, displayName: opts.username, password },
  });
  if (res.statusCode !== 201) throw new Error(`registration failed: ${res.statusCode} ${res.body}`);
  return { admin, enterpriseId: json<{ enterprise: { id: string } }>(res).enterprise.id, uscc };
}

/** Registers, uploads a licence, submits and has the operator approve an enterprise. */
export async function approvedEnterprise(
  h: Harness,
  operator: Client,
  opts: { username: string; orgBody: string; region?: string; name?: string },
): Promise<{ admin: Client; enterpriseId: string; uscc: string }> {
  const e = await registerEnterprise(h, opts);
  const up = await e.admin.upload(
    'POST',
    `/api/v1/enterprises/${e.enterpriseId}/documents`,
    { kind: 'business_licence', number: e.uscc, expiresOn: '2040-01-01' },
    { name: 'licence.pdf', type: 'application/pdf', data: files.pdf },
  );
  if (up.statusCode !== 201) throw new Error(`upload failed: ${up.body}`);
  const sub = await e.admin.call('POST', `/api/v1/enterprises/${e.enterpriseId}/submit`);
  if (sub.statusCode !== 200) throw new Error(`submit failed: ${sub.body}`);
  const ok = await operator.call('POST', `/api/v1/enterprises/${e.enterpriseId}/approve`);
  if (ok.statusCode !== 200) throw new Error(`approve failed: ${ok.body}`);
  return e;
}

/**
 * Every file in the upload store (`DATA_DIR/files`), temporary parts included, as sorted paths
 * relative to it: compare two snapshots to prove a request left nothing behind.
 */
export function storedFiles(h: Harness): string[] {
  const root = join(h.t.dataDir, 'files');
  const walk = (dir: string): string[] =>
    readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
      e.isDirectory() ? walk(join(dir, e.name)) : [relative(root, join(dir, e.name))],
    );
  return existsSync(root) ? walk(root).sort() : [];
}

/** The bytes of an uploaded file as stored on disk (`DATA_DIR/files/<tenant>/<id>`), or undefined when absent. */
export function storedFile(h: Harness, tenantId: string, fileId: string): Buffer | undefined {
  const path = join(h.t.dataDir, 'files', tenantId, fileId);
  return existsSync(path) ? readFileSync(path) : undefined;
}
