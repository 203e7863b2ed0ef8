import type { App } from '@tracemark/server';

/** A file part of a multipart upload. */
export interface FilePart {
  readonly name: string;
  readonly contentType: string;
  readonly data: Buffer;
}

/** Thrown when the API answers with an error body. */
export class ApiError extends Error {
  constructor(
    readonly statusCode: number,
    readonly body: unknown,
  ) {
    super(`API answered ${statusCode}: ${JSON.stringify(body)}`);
    this.name = 'ApiError';
  }
}

/**
 * Drives the HTTP API in-process through `app.inject()`, as one logged-in person (cookie and
 * CSRF token kept between calls) or anonymously. Commands use it so they follow exactly the
 * rules, validation and audit of the API rather than writing tables behind its back.
 */
export class ApiClient {
  private cookie = '';
  private csrf = '';

  constructor(private readonly app: App) {}

  /** Logs in; later calls act as this user. */
  async login(username: string, password: string): Promise<void> {
    await this.request('POST', '/api/v1/auth/login', { username, password });
  }

  /** Sends a JSON request and returns the parsed body; throws {@link ApiError} on 4xx/5xx. */
  async request<T = unknown>(
    method: 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE',
    url: string,
    body?: unknown,
  ): Promise<T> {
    const res = await this.app.inject({
      method,
      url,
      headers: this.headers(body === undefined ? {} : { 'content-type': 'application/json' }),
      ...(body === undefined ? {} : { payload: JSON.stringify(body) }),
    });
    return this.handle(res.statusCode, res.body, res.headers['set-cookie']) as T;
  }

  /** Sends a multipart upload of text fields and one file. */
  async upload<T = unknown>(
    method: 'POST' | 'PUT',
    url: string,
    fields: Record<string, string>,
    file: FilePart,
  ): Promise<T> {
    const boundary = `----tracemark${Date.now().toString(36)}`;
    const chunks: Buffer[] = [];
    for (const [k, v] of Object.entries(fields)) {
      chunks.push(
        Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${k}"\r\n\r\n${v}\r\n`),
      );
    }
    chunks.push(
      Buffer.from(
        `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${file.name}"\r\nContent-Type: ${file.contentType}\r\n\r\n`,
      ),
      file.data,
      Buffer.from(`\r\n--${boundary}--\r\n`),
    );
    const res = await this.app.inject({
      method,
      url,
      headers: this.headers({ 'content-type': `multipart/form-data; boundary=${boundary}` }),
      payload: Buffer.concat(chunks),
    });
    return this.handle(res.statusCode, res.body, res.headers['set-cookie']) as T;
  }

  private headers(extra: Record<string, string>): Record<string, string> {
    return {
      ...extra,
      ...(this.cookie !== '' ? { cookie: this.cookie } : {}),
      ...(this.csrf !== '' ? { 'x-csrf-token': this.csrf } : {}),
    };
  }

  private handle(status: number, text: string, setCookie: string | string[] | undefined): unknown {
    const body: unknown = text === '' ? null : JSON.parse(text);
    if (status >= 400) throw new ApiError(status, body);
    const cookies = setCookie === undefined ? [] : Array.isArray(setCookie) ? setCookie : [setCookie];
    const session = cookies.map((c) => /^tm_session=([^;]*)/.exec(c)?.[1]).find((v) => v !== undefined);
    if (session !== undefined) this.cookie = `tm_session=${session}`;
    const csrf = (body as { csrfToken?: unknown } | null)?.csrfToken;
    if (typeof csrf === 'string') this.csrf = csrf;
    return body;
  }
}
