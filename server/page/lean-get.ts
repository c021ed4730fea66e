// GET /pay/:token straight from node:http: the page's most frequent request, answered
// without the Web Request and Response objects and the middleware chain the router makes for
// every request (together they cost several times what a kept page does: page-cache.ts).
//
// The answer is the router's own: the same kept page (keptPage), the same security headers,
// request id and access log line. Whatever is not a known link's page is handed to the router
// untouched, which answers it as before: an unknown link (it counts the guess), an address
// that guessed too many, a path it would normalise, a long URL, any error.
import type { IncomingMessage, RequestListener, ServerResponse } from 'node:http';
import type { Services } from '../services.ts';
import { acceptRequestId, REQUEST_ID_HEADER, withRequestId } from '../request-id.ts';
import { forwardedAddress } from '../limits/client.ts';
import { HSTS, logAnswer } from '../http/every-answer.ts';
import { findPayout, pageSecurityHeaders } from './middleware.ts';
import { htmlHeaders, keptPage, type PageMemory } from './routes.ts';
import { newNonce } from './headers.ts';

const PAGE_URL = /^\/pay\/[A-Za-z0-9_-]{43}(?:\?|$)/;
/** Longer URLs (a page URL is about 60 bytes, 200 with a frame's theme) go the router's way, past its limit. */
const LEAN_URL_LENGTH = 1024;

/** A header as the router reads it: repeated ones joined, absent ones undefined. */
function header(req: IncomingMessage, name: string): string | undefined {
  const value = req.headers[name.toLowerCase()];
  return Array.isArray(value) ? value.join(', ') : value;
}

/** node:http's listener: GET /pay/:token answered here when it can be, everything else by `router`. */
export function leanPageListener(s: Services, memory: PageMemory, router: RequestListener): RequestListener {
  const answer = leanPageGet(s, memory);
  return (req, res) => {
    const url = req.url ?? '';
    if (req.method !== 'GET' || url.length > LEAN_URL_LENGTH || !PAGE_URL.test(url)) return router(req, res);
    answer(req, res).then(
      (answered) => answered || router(req, res),
      // Before the answer is sent, the router meets the error again and answers it as any other (logged, a 500).
      () => res.headersSent || router(req, res),
    );
  };
}

/** Answers a known link's page; false, having sent nothing, for anything else. */
function leanPageGet(s: Services, { pages, guessing }: PageMemory) {
  const hsts = s.config.environment === 'production';
  const { trustProxy } = s.config.limits;
  return async (req: IncomingMessage, res: ServerResponse): Promise<boolean> => {
    const started = performance.now();
    const address =
      forwardedAddress(header(req, 'x-forwarded-for'), trustProxy) ?? req.socket.remoteAddress ?? 'unknown';
    if ((guessing.get(address) ?? 0) > Date.now()) return false;
    const url = req.url!;
    const at = url.indexOf('?');
    const path = at < 0 ? url : url.slice(0, at);
    let params: URLSearchParams | undefined;
    const query = (name: string) => {
      if (at < 0) return undefined;
      params ??= new URLSearchParams(url.slice(at + 1));
      return params.get(name) ?? undefined;
    };
    const reqId = acceptRequestId(header(req, 'x-request-id'));
    const page = await withRequestId(reqId, async () => {
      const found = await findPayout(s, path.slice('/pay/'.length));
      if (!found) return undefined;
      const nonce = newNonce();
      const r = { services: s, nonce, path, query, header: (name: string) => header(req, name), ...found };
      return { ...(await keptPage(r, pages)), nonce, merchant: found.merchant };
    });
    if (!page) return false;
    const headers = pageSecurityHeaders(page.nonce, page.merchant);
    if (hsts) headers['Strict-Transport-Security'] = HSTS;
    headers[REQUEST_ID_HEADER] = reqId;
    Object.assign(headers, htmlHeaders(page.encoding));
    headers['Content-Length'] = String(page.body.length);
    res.writeHead(200, headers);
    res.end(page.body);
    logAnswer(s, { reqId, method: 'GET', route: '/pay/:token', path: '/pay/:token', status: 200 }, started);
    return true;
  };
}
