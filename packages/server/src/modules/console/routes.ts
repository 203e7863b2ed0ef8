import { existsSync, statSync } from 'node:fs';
import { join, normalize, sep } from 'node:path';
import fastifyStatic from '@fastify/static';
import type { FastifyReply } from 'fastify';
import type { App } from '../../lib/fastify-types.js';

/**
 * The built console (`npm run build` → `vite build` of `@tracemark/console`), beside this
 * package in the workspace. The same relative path holds from `src/` (tests) and `dist/`.
 */
export const consoleDist: string = join(import.meta.dirname, '..', '..', '..', '..', 'console', 'dist');

/** Vite names every file under `assets/` by its content hash: it may be cached for a year. */
const immutable = 'public, max-age=31536000, immutable';

const notBuilt = `<!doctype html>
<html lang="zh-CN"><head><meta charset="utf-8"><title>Tracemark 控制台未构建 · console not built</title></head>
<body style="font-family:system-ui,sans-serif;max-width:40rem;margin:4rem auto;line-height:1.6">
<h1>控制台尚未构建</h1>
<p>请在项目根目录运行 <code>npm run build</code>（<code>npm start</code> 会自动构建），然后刷新本页。</p>
<h1>The console is not built</h1>
<p>Run <code>npm run build</code> in the project folder (<code>npm start</code> does it for you), then reload this page.</p>
</body></html>
`;

/**
 * Serves the web console at `/console/`: hashed assets with long caching, any other path under
 * `/console/` as `index.html` (the client's router takes it from there) with `no-cache`, so a
 * new build is picked up at once. `/` redirects to the console. When the console has not been
 * built, these routes answer 503 with a page that says how to build it. The folder is looked at
 * per request, so a build made while the server runs is served without a restart.
 */
export function consoleRoutes(app: App, dist: string = consoleDist): void {
  void app.register(async (scope) => {
    // Only `reply.sendFile` (ranges, ETag, Last-Modified, safe paths); the routes are ours.
    await scope.register(fastifyStatic, { serve: false, root: dist });

    const sendIndex = (reply: FastifyReply): FastifyReply => {
      if (!existsSync(join(dist, 'index.html'))) {
        return reply
          .code(503)
          .header('cache-control', 'no-store')
          .type('text/html; charset=utf-8')
          .send(notBuilt);
      }
      return reply.header('cache-control', 'no-cache').sendFile('index.html', dist, { cacheControl: false });
    };

    scope.get('/', { schema: { hide: true } }, (_request, reply) => reply.redirect('/console/', 302));
    // With `ignoreTrailingSlash`, `/console/` lands here too: that one is the console's start.
    scope.get('/console', { schema: { hide: true } }, (request, reply) =>
      request.url.startsWith('/console/') ? sendIndex(reply) : reply.redirect('/console/', 302),
    );
    scope.get<{ Params: { '*': string } }>('/console/*', { schema: { hide: true } }, (request, reply) => {
      const rest = normalize(request.params['*']);
      if (rest.startsWith('..') || rest.includes(`${sep}..`)) return reply.callNotFound();
      const file = join(dist, rest);
      if (rest.startsWith(`assets${sep}`)) {
        // A missing asset is a 404, not index.html: a browser would read HTML as a script.
        if (!isFile(file)) return reply.callNotFound();
        return reply.header('cache-control', immutable).sendFile(rest, dist, { cacheControl: false });
      }
      if (rest !== '.' && rest !== 'index.html' && isFile(file)) {
        return reply.header('cache-control', 'no-cache').sendFile(rest, dist, { cacheControl: false });
      }
      return sendIndex(reply);
    });
  });
}

function isFile(path: string): boolean {
  try {
    return statSync(path).isFile();
  } catch {
    return false;
  }
}
