// /healthz says the process answers; /readyz says it can serve payouts, and when it cannot,
// which check fails and why: the database, its migrations, the built files, the providers.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { mkdirSync, writeFileSync } from 'node:fs';
import { sql } from 'kysely';
import { openDb } from '../../server/db/index.ts';
import { createApp } from '../../server/app.ts';
import { createRegistry } from '../../server/providers/registry.ts';
import { readiness, type BuildFiles } from '../../server/http/health.ts';
import { startService, type Service } from '../helpers/service.ts';
import { seedMerchant, SERVICE_ENV } from '../helpers/engine.ts';
import { tempDataDir } from '../helpers/server.ts';

/** A build as `npm run build` leaves it, reduced to what the page reads. */
function fakeBuild(): BuildFiles {
  const dir = tempDataDir('payee-build-');
  mkdirSync(join(dir, 'dist/.vite'), { recursive: true });
  mkdirSync(join(dir, 'dist-embed'));
  const manifest = {
    'src/widget/main.tsx': { file: 'assets/main.js', css: ['assets/main.css'] },
    'src/widget/enhance-entry.ts': { file: 'assets/enhance.js' },
  };
  writeFileSync(join(dir, 'dist/.vite/manifest.json'), JSON.stringify(manifest));
  mkdirSync(join(dir, 'dist/assets'));
  writeFileSync(join(dir, 'dist/assets/main.css'), 'body{}');
  writeFileSync(join(dir, 'dist-embed/v1.js'), '/* loader */');
  return { widgetDir: join(dir, 'dist'), loader: join(dir, 'dist-embed/v1.js') };
}

async function withService(work: (svc: Service) => Promise<void>, dataDir?: string) {
  const svc = await startService({ env: SERVICE_ENV, dataDir });
  try {
    await work(svc);
  } finally {
    await svc.stop();
  }
}

test('healthz answers while the process runs; readyz is ready when every check passes', async () => {
  await withService(async (svc) => {
    assert.deepEqual(await (await svc.app.request('/healthz')).json(), { ok: true });
    const r = await readiness(svc.services, fakeBuild());
    assert.deepEqual(r, {
      ok: true,
      checks: { database: { ok: true }, migrations: { ok: true }, assets: { ok: true }, providers: { ok: true } },
    });
  });
});

test('readyz answers 503 with the reason when the widget is not built', async () => {
  await withService(async (svc) => {
    const build = fakeBuild();
    const r = await readiness(svc.services, { ...build, widgetDir: join(build.widgetDir, 'missing') });
    assert.equal(r.ok, false);
    assert.equal(r.checks.assets.ok, false);
    assert.match(!r.checks.assets.ok ? r.checks.assets.reason : '', /widget is not built.*npm run build/);
    assert.deepEqual(r.checks.database, { ok: true });

    const noLoader = await readiness(svc.services, { ...build, loader: join(build.widgetDir, 'none.js') });
    assert.match(!noLoader.checks.assets.ok ? noLoader.checks.assets.reason : '', /embed loader is not built/);

    // The real probe, over HTTP, reads the project's own build: ready only when it is there.
    const res = await svc.app.request('/readyz');
    const body = await res.json();
    assert.equal(res.status, body.ok ? 200 : 503);
    assert.equal(res.headers.get('cache-control'), 'no-store');
  });
});

test('readyz is not ready when the database cannot be reached', async () => {
  await withService(async (svc) => {
    const closed = await openDb({ dataDir: tempDataDir() });
    await closed.destroy();
    const app = createApp({ ...svc.services, db: closed });
    const res = await app.request('/readyz');
    assert.equal(res.status, 503);
    const body = await res.json();
    assert.equal(body.ok, false);
    assert.equal(body.checks.database.ok, false);
    assert.match(body.checks.database.reason, /^database unreachable/);
    assert.equal((await app.request('/healthz')).status, 200, 'alive all the same');
  });
});

test('readyz is not ready when a migration is missing, or the database is ahead of this version', async () => {
  await withService(async (svc) => {
    const db = svc.services.db;
    await sql`insert into kysely_migration (name, timestamp) values ('999_from_a_newer_version', '2030-01-01')`.execute(
      db,
    );
    let r = await readiness(svc.services, fakeBuild());
    assert.deepEqual(r.checks.migrations, {
      ok: false,
      reason: 'the database has migrations this version does not know: 999_from_a_newer_version',
    });
    assert.equal(r.ok, false);

    await sql`delete from kysely_migration where name in ('999_from_a_newer_version', '005_request_ids')`.execute(db);
    r = await readiness(svc.services, fakeBuild());
    assert.deepEqual(r.checks.migrations, { ok: false, reason: 'migrations not applied: 005_request_ids' });
  });
});

test('readyz is not ready when a merchant routes payouts to a provider that is not configured', async () => {
  const dataDir = tempDataDir();
  const m = await seedMerchant(dataDir, { routes: [{ type: 'card', channel: 'vtb', provider: 'b131' }] });
  await withService(async (svc) => {
    const r = await readiness(svc.services, fakeBuild());
    assert.deepEqual(r.checks.providers, {
      ok: false,
      reason: `merchant ${m.id} routes card:vtb to provider "b131", which is not configured`,
    });
    assert.equal(r.ok, false);

    const none = createRegistry(
      { providers: {} },
      { fetch, log: svc.services.log, clock: svc.services.clock, publicUrl: '', dataDir, db: svc.services.db },
    );
    const r2 = await readiness({ ...svc.services, providers: none }, fakeBuild());
    assert.deepEqual(r2.checks.providers, { ok: false, reason: 'no provider is configured' });
  }, dataDir);
});
