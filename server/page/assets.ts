// What the page needs from the widget build: its script and the CSS to inline, read
// from Vite's manifest once.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { WIDGET_DIR } from '../paths.ts';

export interface PageAssets {
  /** URL of the entry script. */
  script: string;
  /** URLs of the chunks the entry imports, to fetch alongside it rather than after it. */
  preload: string[];
  /** URL of the enhancements entry, loaded after the first render. */
  enhance: string;
  /** Every stylesheet of the entry, to inline into the page. */
  css: string;
  /** The enhancements' stylesheet: its URL (linked at the end of a form page), and its text (inlined into any other). */
  enhanceCss: { url: string; text: string };
}

interface ManifestEntry {
  file: string;
  imports?: string[];
  css?: string[];
}

const cssOf = (dist: string, entry: ManifestEntry) =>
  (entry.css ?? []).map((f) => readFileSync(join(dist, f), 'utf8')).join('');

export const ENTRY = 'src/widget/main.tsx';
export const ENHANCE = 'src/widget/enhance-entry.ts';

/** A chunk and everything it imports statically, each once. */
export function staticChunks(
  manifest: Record<string, ManifestEntry>,
  key: string,
  seen = new Set<string>(),
): Set<string> {
  if (seen.has(key) || !manifest[key]) return seen;
  seen.add(key);
  for (const next of manifest[key].imports ?? []) staticChunks(manifest, next, seen);
  return seen;
}

export function readPageAssets(dist = WIDGET_DIR): PageAssets {
  let manifest: Record<string, ManifestEntry>;
  try {
    manifest = JSON.parse(readFileSync(join(dist, '.vite/manifest.json'), 'utf8'));
  } catch {
    throw new Error(`the widget is not built (no ${join(dist, '.vite/manifest.json')}): run npm run build`);
  }
  const entry = manifest[ENTRY];
  const enhance = manifest[ENHANCE];
  if (!entry || !enhance) throw new Error(`the widget build lacks ${ENTRY} or ${ENHANCE}`);
  const url = (key: string) => `/${manifest[key]!.file}`;
  return {
    script: url(ENTRY),
    preload: [...staticChunks(manifest, ENTRY)].filter((k) => k !== ENTRY).map(url),
    enhance: url(ENHANCE),
    css: cssOf(dist, entry),
    enhanceCss: { url: enhance.css?.[0] ? `/${enhance.css[0]}` : '', text: cssOf(dist, enhance) },
  };
}

let cached: PageAssets | undefined;

/** Read at the first page served, so the service starts without a build (API-only tests). */
export function pageAssets(): PageAssets {
  cached ??= readPageAssets();
  return cached;
}
