// Measures the built embed loader (dist-embed/v1.js) against its budget, prints its
// immutable URL and SRI integrity value, and checks that it is published: kept in
// server/embed/published/ (served for good under its hashed URL) and named in the README.
// Fails (exit 1) when the loader is missing, over budget, or not published;
// `--publish` keeps the current build there and writes its URL and integrity into the README.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { gzipSync } from 'node:zlib';
import { LOADER_PATH, PUBLISHED_DIR, readLoader, readPublished } from '../server/embed/loader-file.ts';

const BUDGET_BROTLI = 3 * 1024;

const loader = readLoader();
if (!loader) {
  console.error(`embed loader not built: ${LOADER_PATH} is missing (npx vite build -c src/embed/vite.config.ts)`);
  process.exit(1);
}
const gzip = gzipSync(loader.body, { level: 9 }).length;
console.log(
  `embed loader: ${loader.body.length} B raw, ${gzip} B gzip, ${loader.brotli.length} B brotli (budget ${BUDGET_BROTLI} B brotli)`,
);
console.log(`embed loader URL: /embed/${loader.hashedName}`);
console.log(`embed loader SRI: ${loader.integrity}`);

let failed = false;
if (loader.brotli.length > BUDGET_BROTLI) {
  console.error(`embed loader is over budget by ${loader.brotli.length - BUDGET_BROTLI} B brotli`);
  failed = true;
}
const publish = process.argv.includes('--publish');
if (publish) {
  mkdirSync(PUBLISHED_DIR, { recursive: true });
  writeFileSync(resolve(PUBLISHED_DIR, loader.hashedName), loader.body);
}
if (!readPublished().has(loader.hashedName)) {
  console.error(
    `the loader is not published: server/embed/published/${loader.hashedName} is missing (run with --publish)`,
  );
  failed = true;
}
const readmePath = resolve(import.meta.dirname, '../README.md');
let readme = readFileSync(readmePath, 'utf8');
if (publish) {
  readme = readme
    .replace(/\/embed\/v1\.[0-9a-f]{12}\.js/g, `/embed/${loader.hashedName}`)
    .replace(/sha384-[A-Za-z0-9+/]{64}/g, loader.integrity);
  writeFileSync(readmePath, readme);
}
if (!readme.includes(loader.integrity) || !readme.includes(`/embed/${loader.hashedName}`)) {
  console.error('README.md does not name the current loader (run with --publish)');
  failed = true;
}
process.exit(failed ? 1 : 0);
