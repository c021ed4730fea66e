// The built embed loader (dist-embed/v1.js, see src/embed/vite.config.ts): its bytes, a
// brotli copy, the content hash that names its immutable URL, and its SRI integrity value.
// Every loader ever published is kept in server/embed/published/ under its hashed name, so a
// merchant's page that pins one by integrity keeps working after the loader changes.
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { brotliCompressSync, constants } from 'node:zlib';
import { EMBED_DIR, ROOT } from '../paths.ts';

export const LOADER_MAJOR = 'v1';
export const LOADER_PATH = resolve(EMBED_DIR, `${LOADER_MAJOR}.js`);
export const PUBLISHED_DIR = resolve(ROOT, 'server/embed/published');
const HASHED_NAME = /^v\d+\.[0-9a-f]{12}\.js$/;

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

/** The published loaders by hashed name; a file whose bytes do not match its name is left out. */
export function readPublished(dir = PUBLISHED_DIR): Map<string, LoaderFile> {
  const published = new Map<string, LoaderFile>();
  let names: string[] = [];
  try {
    names = readdirSync(dir);
  } catch {
    return published;
  }
  for (const name of names.filter((n) => HASHED_NAME.test(n))) {
    const loader = describeLoader(readFileSync(resolve(dir, name)));
    if (loader.hashedName === name) published.set(name, loader);
  }
  return published;
}
