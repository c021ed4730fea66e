// Whether the build (the widget, the embed loader, the service compiled to JavaScript) is
// there and made from the sources as they are now. Plain JavaScript with no dependency, so a
// production install (dev dependencies pruned) can ask before it starts.
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';

export const ROOT = resolve(import.meta.dirname, '..');
/** Written last by the build: the hash of the sources it was made from. */
export const STAMP = join(ROOT, 'dist-server/build.json');

/** What the build is made from (tests beside the code and the kept loader versions are not). */
const SOURCES = ['server', 'src', 'public', 'vite.config.ts', 'tsconfig.json'];
const NOT_SOURCES = /\.test\.tsx?$|^server\/embed\/published\//;
/** What a build leaves: the service's entry, the widget's manifest, the embed loader. */
export const OUTPUTS = ['dist-server/main.js', 'dist/.vite/manifest.json', 'dist-embed/v1.js'];

/** The sources' hash; undefined when there are none (an install that ships only the build). */
export function sourceHash() {
  const files = [];
  for (const entry of SOURCES) {
    const path = join(ROOT, entry);
    if (!existsSync(path)) continue;
    if (!statSync(path).isDirectory()) files.push(entry);
    else
      for (const name of readdirSync(path, { recursive: true })) {
        const file = `${entry}/${name}`;
        if (!NOT_SOURCES.test(file) && statSync(join(ROOT, file)).isFile()) files.push(file);
      }
  }
  if (files.length === 0) return undefined;
  const hash = createHash('sha256');
  for (const file of files.sort())
    hash
      .update(`${file}\0`)
      .update(readFileSync(join(ROOT, file)))
      .update('\0');
  return hash.digest('hex');
}

/** { ok: true } when present and fresh; else why not (`missing` or `stale`). */
export function buildState() {
  const missing = OUTPUTS.filter((f) => !existsSync(join(ROOT, f)));
  if (missing.length || !existsSync(STAMP))
    return { ok: false, reason: 'missing', detail: missing.join(', ') || STAMP };
  let built;
  try {
    built = JSON.parse(readFileSync(STAMP, 'utf8')).sources;
  } catch {
    return { ok: false, reason: 'missing', detail: 'dist-server/build.json is unreadable' };
  }
  const now = sourceHash();
  if (now !== undefined && now !== built) return { ok: false, reason: 'stale', detail: 'the sources changed since' };
  return { ok: true };
}

/** The build needs the dev dependencies (Vite, esbuild), which a production install prunes. */
export function buildToolsPresent() {
  return (
    existsSync(join(ROOT, 'node_modules/vite/package.json')) &&
    existsSync(join(ROOT, 'node_modules/esbuild/package.json'))
  );
}
