// The HTTP surface: small composable Hono routers over Web-standard Request/Response.
import { Hono } from 'hono';
import type { Services } from './services.ts';
import { apiRoutes } from './api/routes.ts';
import { fail } from './api/envelope.ts';
import { demoRoutes } from './demo/routes.tsx';
import { callbackRoutes } from './callbacks/routes.ts';
import { embedRoutes } from './embed/routes.ts';
import { pageRoutes } from './page/routes.ts';
import { portalRoutes } from './portal/routes.tsx';
import { BANKS_PATH, banksJson } from './page/banks.tsx';
import { publicFile, staticAssets } from './http/static.ts';

/** Paths under /pay/ carry the link token: logs name the route, not the path. */
function loggedPath(path: string): string {
  return path.startsWith('/pay/') ? '/pay/:token' : path;
}

export function createApp(s: Services): Hono {
  // Clients that join a base URL ending in '/' with '/createPayout' send '//': same endpoint.
  const app = new Hono({ getPath: (req) => new URL(req.url).pathname.replace(/\/{2,}/g, '/') });
  app.use('*', async (c, next) => {
    const started = performance.now();
    // Set before the answer is made: set after, Hono copies the finished answer into a stream.
    c.header('X-Content-Type-Options', 'nosniff');
    await next();
    // An answer made as a Response object does not take headers set beforehand.
    if (!c.res.headers.has('X-Content-Type-Options')) c.header('X-Content-Type-Options', 'nosniff');
    if (!s.log.isLevelEnabled('debug')) return;
    s.log.debug(
      {
        method: c.req.method,
        path: loggedPath(c.req.path),
        status: c.res.status,
        ms: Math.round(performance.now() - started),
      },
      'request',
    );
  });
  app.get('/healthz', (c) => c.json({ ok: true }));
  app.route('/api/v1', apiRoutes(s));
  app.route('/callbacks', callbackRoutes(s));
  app.route('/embed', embedRoutes());
  app.route('/pay', pageRoutes(s));
  app.route('/portal', portalRoutes(s));
  app.get(`${BANKS_PATH}/:file`, banksJson);
  app.get('/assets/:file', staticAssets());
  app.get('/robots.txt', publicFile('robots.txt', 'text/plain; charset=utf-8'));
  if (s.config.demo) app.route('/demo', demoRoutes(s));
  app.get('/', (c) => (s.config.demo ? c.redirect('/demo') : c.text('Payee')));
  app.onError((err, c) => {
    s.log.error({ err: { message: err.message, stack: err.stack }, path: loggedPath(c.req.path) }, 'unhandled error');
    if (c.req.path.startsWith('/api/')) return fail(c, 'INTERNAL_ERROR', 'Internal error; please retry later');
    return c.text('Internal error', 500);
  });
  return app;
}
