// npm start and the commands (npm run merchant|vault|webhooks|payouts): runs the service
// compiled to JavaScript (dist-server/), building first when the build is missing or older than
// the sources. A present, fresh build needs only the production dependencies. The entry runs in
// this same process, so a signal sent to it reaches the service itself.
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { ROOT, buildState, buildToolsPresent } from './build-state.mjs';

const ENTRIES = ['main', 'merchant', 'vault', 'webhooks', 'payouts'];

function buildNow() {
  return new Promise((resolve) => {
    // The build's output goes to stderr: a command's stdout stays its answer alone.
    const child = spawn(process.execPath, [join(ROOT, 'scripts/build.mjs')], { cwd: ROOT, stdio: ['ignore', 2, 2] });
    const forward = (signal) => child.kill(signal);
    process.on('SIGTERM', forward);
    process.on('SIGINT', forward);
    child.on('exit', (code, signal) => {
      process.off('SIGTERM', forward);
      process.off('SIGINT', forward);
      resolve(code === 0 && !signal);
    });
  });
}

const [name, ...args] = process.argv.slice(2);
if (!ENTRIES.includes(name)) {
  console.error(`usage: node scripts/run.mjs ${ENTRIES.join('|')} [arguments]`);
  process.exit(64);
}
const state = buildState();
if (!state.ok) {
  if (buildToolsPresent()) {
    console.error(`Building Payee (the build is ${state.reason}: ${state.detail})...`);
    if (!(await buildNow())) process.exit(1);
  } else if (state.reason === 'missing') {
    console.error(
      `Payee is not built (${state.detail}) and the build tools are not installed: run npm ci && npm run build before npm prune --omit=dev.`,
    );
    process.exit(1);
  } else {
    console.error(`Warning: the build is older than the sources (${state.detail}); running it as it is.`);
  }
}

// The entry sees the command line as if node had run it directly.
const entry = join(ROOT, 'dist-server', `${name}.js`);
process.argv = [process.argv[0], entry, ...args];
await import(pathToFileURL(entry).href);
