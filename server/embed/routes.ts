// Serves the embed loader: /embed/v1.js (the current v1, cached briefly) and
// /embed/v1.<hash>.js (these exact bytes forever, for use with an SRI integrity attribute):
// the current build's hash and every published one.
import { Hono } from 'hono';
import { IMMUTABLE } from '../http/static.ts';
import { LOADER_MAJOR, readLoader, readPublished, type LoaderFile } from './loader-file.ts';

export function embedRoutes(load: () => LoaderFile | undefined = readLoader, loadPublished = readPublished): Hono {
  const app = new Hono();
  let current: LoaderFile | undefined;
  let published: Map<string, LoaderFile> | undefined;

  app.get('/:file', (c) => {
    current ??= load();
    const file = c.req.param('file');
    const pinned = file === current?.hashedName ? current : (published ??= loadPublished()).get(file);
    const loader = pinned ?? (file === `${LOADER_MAJOR}.js` ? current : undefined);
    if (!loader) return c.text('Not found', 404);

    c.header('Content-Type', 'text/javascript; charset=utf-8');
    c.header('Cache-Control', pinned ? IMMUTABLE : 'public, max-age=300');
    // Merchants load it cross-origin, with `crossorigin` when they pin it by integrity.
    c.header('Access-Control-Allow-Origin', '*');
    c.header('Cross-Origin-Resource-Policy', 'cross-origin');
    c.header('Vary', 'Accept-Encoding');
    const br = /\bbr\b/.test(c.req.header('accept-encoding') ?? '');
    if (br) c.header('Content-Encoding', 'br');
    // The kept bytes themselves, not a copy per request.
    return c.body((br ? loader.brotli : loader.body) as Uint8Array<ArrayBuffer>);
  });
  return app;
}
