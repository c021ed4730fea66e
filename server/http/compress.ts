// Response compression: brotli when the client takes it, else gzip, else as is.
import { promisify } from 'node:util';
import { brotliCompress, brotliCompressSync, constants, gzip, gzipSync } from 'node:zlib';

export type Encoding = 'br' | 'gzip' | 'identity';

export function pickEncoding(acceptEncoding: string | undefined): Encoding {
  const accepted = (acceptEncoding ?? '').toLowerCase();
  if (/\bbr\b/.test(accepted)) return 'br';
  if (/\bgzip\b/.test(accepted)) return 'gzip';
  return 'identity';
}

/**
 * Brotli 11 (the smallest) for files compressed once and kept. A page made per request
 * takes 10: as small within a few bytes, in about 12 ms instead of 35 for 20 KB of HTML.
 */
export function encode(body: string | Uint8Array, encoding: Encoding, brotliQuality = 11): Uint8Array {
  const raw = typeof body === 'string' ? Buffer.from(body) : body;
  if (encoding === 'br') {
    return brotliCompressSync(raw, {
      params: { [constants.BROTLI_PARAM_QUALITY]: brotliQuality, [constants.BROTLI_PARAM_SIZE_HINT]: raw.length },
    });
  }
  if (encoding === 'gzip') return gzipSync(raw, { level: 9 });
  return raw;
}

const brotliAsync = promisify(brotliCompress);
const gzipAsync = promisify(gzip);

/** As encode(), on libuv's thread pool: the event loop answers others meanwhile (on another core, if any). */
export async function encodeAsync(body: string | Uint8Array, encoding: Encoding, brotliQuality = 11): Promise<Buffer> {
  const raw = typeof body === 'string' ? Buffer.from(body) : Buffer.from(body.buffer, body.byteOffset, body.byteLength);
  if (encoding === 'br')
    return brotliAsync(raw, {
      params: { [constants.BROTLI_PARAM_QUALITY]: brotliQuality, [constants.BROTLI_PARAM_SIZE_HINT]: raw.length },
    });
  if (encoding === 'gzip') return gzipAsync(raw, { level: 9 });
  return raw;
}

/**
 * For files compressed once and kept (the widget's scripts): brotli 11 with the distance
 * coding (NPOSTFIX 0 or 2) that gives the fewer bytes; 2 saves about 0.2% on the enhancements.
 */
export function encodeOnce(body: Uint8Array, encoding: Encoding): Uint8Array {
  if (encoding !== 'br') return encode(body, encoding);
  const tries = [0, 2].map((postfix) =>
    brotliCompressSync(body, {
      params: {
        [constants.BROTLI_PARAM_QUALITY]: 11,
        [constants.BROTLI_PARAM_SIZE_HINT]: body.length,
        [constants.BROTLI_PARAM_NPOSTFIX]: postfix,
      },
    }),
  );
  return tries.reduce((a, b) => (b.length < a.length ? b : a));
}
