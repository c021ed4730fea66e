// The built embed loader (dist-embed/v1.js, see src/embed/vite.config.ts): its bytes, a
// brotli copy, the content hash that names its immutable URL, and its SRI integrity value.
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { brotliCompressSync, constants } from 'node:zlib';

export const LOADER_MAJOR = 'v1';
export const LOADER_PATH = resolve(import.meta.dirname, '../../dist-embed', `${LOADER_MAJOR}.js`);

export interface LoaderFile {
  body: Buffer;
  brotli: Buffer;
  /** `v1.<hash>.js`: the immutable name, changing whenever a byte does. */
  hashedName: string;
  /** For `<script integrity>`: sha384 of the exact bytes served. */
  integrity: string;
}

export function describeLoader(body: Buffer): LoaderFile {
  const hash = createHash('sha256').update(body).digest('hex').slice(0, 12);
  return {
    body,
    brotli: brotliCompressSync(body, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } }),
    hashedName: `${LOADER_MAJOR}.${hash}.js`,
    integrity: `sha384-${createHash('sha384').update(body).digest('base64')}`,
  };
}

/** Reads the build output; undefined when the loader has not been built. */
export function readLoader(path = LOADER_PATH): LoaderFile | undefined {
  try {
    return describeLoader(readFileSync(path));
  } catch {
    return undefined;
  }
}
