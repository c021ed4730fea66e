// The HTTP surface: small composable Hono routers over Web-standard Request/Response.
import { Hono } from 'hono';
import { bodyLimit } from './http/body-limit.ts';
import { routePath } from 'hono/route';
import { REQUEST_ID_HEADER, acceptRequestId, withRequestId } from './request-id.ts';
import type { Services } from './services.ts';
import { API_BODY_LIMIT, apiRoutes } from './api/routes.ts';
import { fail } from './api/envelope.ts';
import { demoRoutes } from './demo/routes.tsx';
import { callbackRoutes } from './callbacks/routes.ts';
import { embedRoutes } from './embed/routes.ts';
import { newPageMemory, pageRoutes, type PageMemory } from './page/routes.ts';
import { portalRoutes } from './portal/routes.tsx';
import { BANKS_PATH, banksJson } from './page/banks.tsx';
import { publicFile, staticAssets } from './http/static.ts';
import { healthRoutes } from './http/health.ts';
import { HSTS, logAnswer, loggedPath } from './http/every-answer.ts';

export const MAX_URL_LENGTH = 4096;
export const MAX_BODY_BYTES = 64 * 1024;

/** `page`: what the page keeps between answers, shared with its lean GET when main.ts serves one. */
export function createApp(s: Services, page: PageMemory = newPageMemory()): Hono {
  const hsts = s.config.environment === 'production';
  // Clients that join a base URL ending in '/' with '/createPayout' send '//': same endpoint.
  const app = new Hono({ getPath: (req) => new URL(req.url).pathname.replace(/\/{2,}/g, '/') });
  app.use('*', async (c, next) => {
    const started = performance.now();
    const requestId = acceptRequestId(c.req.header(REQUEST_ID_HEADER));
    // Set before the answer is made: set after, Hono copies the finished answer into a stream.
    c.header('X-Content-Type-Options', 'nosniff');
    if (hsts) c.header('Strict-Transport-Security', HSTS);
    c.header(REQUEST_ID_HEADER, requestId);
    await withRequestId(requestId, next);
    // An answer made as a Response object does not take headers set beforehand.
    if (!c.res.headers.has('X-Content-Type-Options')) c.header('X-Content-Type-Options', 'nosniff');
    if (hsts && !c.res.headers.has('Strict-Transport-Security')) c.header('Strict-Transport-Security', HSTS);
    if (!c.res.headers.has(REQUEST_ID_HEADER)) c.header(REQUEST_ID_HEADER, requestId);
    logAnswer(
      s,
      { reqId: requestId, method: c.req.method, route: routePath(c), path: c.req.path, status: c.res.status },
      started,
    );
  });
  // Before anything reads the request: a bounded path, and a bounded body on every route
  // (the API, the page and callbacks set tighter ones of their own).
  app.use('*', async (c, next) => {
    if (c.req.url.length > MAX_URL_LENGTH) return c.text('URI too long', 414);
    await next();
  });
  app.use(
    '*',
    bodyLimit({
      maxSize: MAX_BODY_BYTES,
      onError: (c) => {
        c.header('Connection', 'close');
        return c.req.path.startsWith('/api/')
          ? fail(c, 'PAYLOAD_TOO_LARGE', `body must be at most ${API_BODY_LIMIT} bytes`)
          : c.text('body too large', 413);
      },
    }),
  );
  app.route('/', healthRoutes(s));
  app.route('/api/v1', apiRoutes(s));
  app.route('/callbacks', callbackRoutes(s));
  app.route('/embed', embedRoutes());
  app.route('/pay', pageRoutes(s, page));
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
