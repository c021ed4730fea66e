// npm run build: the widget and the embed loader (Vite) into dist/ and dist-embed/, and the
// service with its command-line tools compiled by esbuild into dist-server/ (plain JavaScript,
// one whole file per entry), so nothing compiles TypeScript at run time. The sources' hash is written last (dist-server/build.json): a build
// cut short never counts as done.
import { spawn } from 'node:child_process';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { ROOT, STAMP, sourceHash } from './build-state.mjs';

const ENTRIES = [
  'server/main.ts',
  'server/cli/merchant.ts',
  'server/cli/vault.ts',
  'server/cli/webhooks.ts',
  'server/cli/payouts.ts',
];
const VITE = join(ROOT, 'node_modules/vite/bin/vite.js');

function run(args) {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, args, { cwd: ROOT, stdio: 'inherit' });
    child.on('error', reject);
    child.on('exit', (code, signal) =>
      code === 0 ? resolve() : reject(new Error(`${args.join(' ')} ended with ${signal ?? `exit code ${code}`}`)),
    );
  });
}

export async function build() {
  const sources = sourceHash();
  rmSync(STAMP, { force: true });
  await run([VITE, 'build']);
  await run([VITE, 'build', '-c', 'src/embed/vite.config.ts']);
  const esbuild = await import('esbuild');
  const out = join(ROOT, 'dist-server');
  rmSync(out, { recursive: true, force: true });
  await esbuild.build({
    absWorkingDir: ROOT,
    entryPoints: ENTRIES,
    // Every entry directly in dist-server/, one folder below the root like server/ itself
    // (server/paths.ts finds the built files from there).
    entryNames: '[name]',
    outdir: out,
    bundle: true,
    // Small pure JavaScript packages go into the file (one read instead of hundreds of small
    // modules at every start). Loaded from node_modules as they are: the native SQLite binding,
    // pino (its transports run in worker threads), prom-client, and the PostgreSQL driver (its
    // optional native half is found at run time).
    external: ['better-sqlite3', 'pino', 'prom-client', 'pg'],
    // For the CommonJS packages bundled into an ES module.
    banner: {
      js: "import { createRequire as __payeeRequire } from 'node:module'; const require = __payeeRequire(import.meta.url);",
    },
    platform: 'node',
    format: 'esm',
    target: 'node20',
    sourcemap: 'linked',
    minify: true,
    logLevel: 'warning',
  });
  mkdirSync(out, { recursive: true });
  writeFileSync(STAMP, JSON.stringify({ sources, builtAt: new Date().toISOString() }) + '\n');
  console.log('service compiled into dist-server/');
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  try {
    await build();
  } catch (err) {
    console.error(`build failed: ${err.message}`);
    process.exitCode = 1;
  }
}
