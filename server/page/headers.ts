// The security headers of every recipient-page response, built in one place.
import { randomBytes } from 'node:crypto';

/** Random bytes drawn in bulk (one call per 256 nonces is far cheaper than one each); each nonce uses its own 16. */
let pool = Buffer.alloc(0);
let drawn = 0;

export function newNonce(): string {
  if (drawn + 16 > pool.length) {
    pool = randomBytes(4096);
    drawn = 0;
  }
  return pool.toString('base64', drawn, (drawn += 16));
}

export interface PageHeaderOptions {
  /** For the inline style, the page's data and the widget's script tag. */
  nonce: string;
  /** Origins allowed to frame the page; none by default. */
  frameAncestors?: readonly string[];
  /** Origins images may come from besides our own (the merchant's logo). */
  imageOrigins?: readonly string[];
}

/** Only plain scheme://host[:port] sources reach the policy: nothing stored can add a directive. */
const SOURCE = /^https?:\/\/([a-z0-9_-]+(\.[a-z0-9_-]+)*|\[[0-9a-f:.]+\])(:\d{1,5})?$/;
const sources = (list: readonly string[]) => list.filter((s) => SOURCE.test(s));

export function contentSecurityPolicy(opts: PageHeaderOptions): string {
  const { nonce } = opts;
  const imageOrigins = sources(opts.imageOrigins ?? []);
  const frameAncestors = sources(opts.frameAncestors ?? []);
  return [
    "default-src 'none'",
    `script-src 'self' 'nonce-${nonce}'`,
    `style-src 'self' 'nonce-${nonce}'`,
    `img-src 'self' data: ${imageOrigins.join(' ')}`.trim(),
    "connect-src 'self'",
    "form-action 'self'",
    "base-uri 'none'",
    `frame-ancestors ${frameAncestors.length ? frameAncestors.join(' ') : "'none'"}`,
  ].join('; ');
}

export function pageHeaders(opts: PageHeaderOptions): Record<string, string> {
  return {
    'Content-Security-Policy': contentSecurityPolicy(opts),
    // The URL carries the payout's secret token: never hand it to another site.
    'Referrer-Policy': 'no-referrer',
    'Cache-Control': 'no-store',
    'X-Content-Type-Options': 'nosniff',
    'Cross-Origin-Opener-Policy': 'same-origin',
    'Permissions-Policy': 'camera=(), microphone=(), geolocation=(), payment=()',
    ...(opts.frameAncestors?.length ? {} : { 'X-Frame-Options': 'DENY' }),
  };
}
