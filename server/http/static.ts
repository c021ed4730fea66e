// The widget's built files (dist/assets): hashed names, so cached forever; compressed
// once per encoding and kept in memory. Only files that exist are kept: a missing name
// is looked for again, never remembered (request data must not grow memory).
import { readFileSync } from 'node:fs';
import { extname, join } from 'node:path';
import { WIDGET_DIR } from '../paths.ts';
import type { Handler } from 'hono';
import { encodeOnce, pickEncoding, type Encoding } from './compress.ts';

const TYPES: Record<string, string> = {
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.json': 'application/json',
  '.png': 'image/png',
  '.woff2': 'font/woff2',
};

export const IMMUTABLE = 'public, max-age=31536000, immutable';

/** Built files by directory, encoding and name: at most (files × encodings) entries. */
const kept = new Map<string, Uint8Array>();

/** How many encoded files are kept in memory. */
export function keptAssetCount(): number {
  return kept.size;
}

export function staticAssets(dir = join(WIDGET_DIR, 'assets')): Handler {
  const cache = kept;
  const read = (name: string, encoding: Encoding): Uint8Array | null => {
    const key = `${dir}\0${encoding}:${name}`;
    let body = cache.get(key);
    if (!body) {
      try {
        body = encodeOnce(readFileSync(join(dir, name)), encoding);
      } catch {
        return null; // not built, or no such file
      }
      cache.set(key, body);
    }
    return body;
  };

  return (c) => {
    const name = c.req.param('file') ?? '';
    const type = TYPES[extname(name)];
    // Only plain file names: nothing that could step out of the directory.
    if (!type || !/^[\w-]+(\.[\w-]+)*$/.test(name)) return c.text('Not found', 404);
    const encoding =
      type.startsWith('image/png') || type.startsWith('font/')
        ? 'identity'
        : pickEncoding(c.req.header('accept-encoding'));
    const body = read(name, encoding);
    if (!body) return c.text('Not found', 404);
    c.header('Content-Type', type);
    c.header('Cache-Control', IMMUTABLE);
    c.header('Cross-Origin-Resource-Policy', 'same-origin');
    c.header('Vary', 'Accept-Encoding');
    if (encoding !== 'identity') c.header('Content-Encoding', encoding);
    return c.body(body as Uint8Array<ArrayBuffer>);
  };
}

/** A file from public/, which the build copies into dist/ (robots.txt: payout links are never to be indexed). */
export function publicFile(name: string, type: string, dir = WIDGET_DIR): Handler {
  let body: string | undefined;
  return (c) => {
    body ??= readFileSync(join(dir, name), 'utf8');
    return c.body(body, 200, { 'Content-Type': type, 'Cache-Control': 'public, max-age=86400' });
  };
}
