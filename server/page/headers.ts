// The security headers of every recipient-page response, built in one place.
import { randomBytes } from 'node:crypto';

export function newNonce(): string {
  return randomBytes(16).toString('base64');
}

export interface PageHeaderOptions {
  /** For the inline style, the page's data and the widget's script tag. */
  nonce: string;
  /** Origins allowed to frame the page; none by default. */
  frameAncestors?: readonly string[];
  /** Origins images may come from besides our own (the merchant's logo). */
  imageOrigins?: readonly string[];
}

export function contentSecurityPolicy({ nonce, frameAncestors = [], imageOrigins = [] }: PageHeaderOptions): string {
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
