// Measures the built embed loader (dist-embed/v1.js) against its budget, prints its
// immutable URL and SRI integrity value, and checks that the README publishes that value.
// Fails (exit 1) when the loader is missing, over budget, or the README is out of date;
// `--update-readme` writes the current URL and integrity into the README instead.
import { readFileSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { gzipSync } from 'node:zlib';
import { LOADER_PATH, readLoader } from '../server/embed/loader-file.ts';

const BUDGET_BROTLI = 3 * 1024;

const loader = readLoader();
if (!loader) {
  console.error(`embed loader not built: ${LOADER_PATH} is missing (npx vite build -c src/embed/vite.config.ts)`);
  process.exit(1);
}
const gzip = gzipSync(loader.body, { level: 9 }).length;
console.log(`embed loader: ${loader.body.length} B raw, ${gzip} B gzip, ${loader.brotli.length} B brotli (budget ${BUDGET_BROTLI} B brotli)`);
console.log(`embed loader URL: /embed/${loader.hashedName}`);
console.log(`embed loader SRI: ${loader.integrity}`);

let failed = false;
if (loader.brotli.length > BUDGET_BROTLI) {
  console.error(`embed loader is over budget by ${loader.brotli.length - BUDGET_BROTLI} B brotli`);
  failed = true;
}
const readmePath = resolve(import.meta.dirname, '../README.md');
let readme = readFileSync(readmePath, 'utf8');
if (process.argv.includes('--update-readme')) {
  readme = readme
    .replace(/\/embed\/v1\.(?:[0-9a-f]{12}|LOADER_HASH)\.js/g, `/embed/${loader.hashedName}`)
    .replace(/sha384-[A-Za-z0-9+/]{64}|LOADER_SRI/g, loader.integrity);
  writeFileSync(readmePath, readme);
}
if (!readme.includes(loader.integrity) || !readme.includes(`/embed/${loader.hashedName}`)) {
  console.error('README.md does not publish the current loader: update its Embedding section with the URL and SRI above');
  failed = true;
}
process.exit(failed ? 1 : 0);
