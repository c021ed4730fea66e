// The one-way dependency rule (.dependency-cruiser.cjs, run by `npm run lint`) really
// refuses an upward import: a copy of the code gets deliberate ones, and depcruise must
// fail on each, naming its rule.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { cpSync, mkdtempSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify, stripVTControlCharacters } from 'node:util';

const ROOT = resolve(import.meta.dirname, '../..');

const UPWARD: Array<[file: string, source: string, rule: RegExp]> = [
  [
    'server/db/upward.ts',
    "import '../engine/payouts.ts';\n",
    /lower-layers-stay-below-the-engine: server\/db\/upward\.ts → server\/engine\/payouts\.ts/,
  ],
  [
    'server/engine/upward.ts',
    "import '../page/view.ts';\n",
    /engine-below-the-surfaces: server\/engine\/upward\.ts → server\/page\/view\.ts/,
  ],
  [
    'server/providers/upward.ts',
    "import '../vault/vault.ts';\n",
    /providers-are-plug-ins: server\/providers\/upward\.ts → server\/vault\/vault\.ts/,
  ],
  [
    'src/contract/upward.ts',
    "import '../widget/net.ts';\n",
    /contract-is-a-leaf: src\/contract\/upward\.ts → src\/widget\/net\.ts/,
  ],
];

test('an upward import fails the dependency rule, naming the rule and the import', async () => {
  const copy = mkdtempSync(join(tmpdir(), 'payee-deps-'));
  for (const part of ['server', 'src', '.dependency-cruiser.cjs', 'tsconfig.json']) {
    cpSync(join(ROOT, part), join(copy, part), { recursive: true });
  }
  symlinkSync(join(ROOT, 'node_modules'), join(copy, 'node_modules'));
  for (const [file, source] of UPWARD) writeFileSync(join(copy, file), source);

  const run = promisify(execFile)(
    join(ROOT, 'node_modules/.bin/depcruise'),
    [...UPWARD.map(([file]) => file), '--config', '.dependency-cruiser.cjs', '--output-type', 'err'],
    { cwd: copy, env: { ...process.env, NO_COLOR: '1', FORCE_COLOR: '0' } },
  );
  const failed = await run.then(
    () => assert.fail('depcruise passed the upward imports'),
    (err: { code: number; stdout: string }) => err,
  );
  assert.ok(failed.code > 0);
  // Colours depend on the terminal CI gives the run; the rule names are what count.
  const said = stripVTControlCharacters(failed.stdout);
  for (const [, , rule] of UPWARD) assert.match(said, rule);
});
