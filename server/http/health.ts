// Probes for orchestrators and load balancers. /healthz: the process is alive and answering.
// /readyz: it can serve payouts: the database answers, its schema is this version's, the
// widget and the embed loader are built, and every provider a merchant routes to is
// configured. Each failing check says why; the answer is 503 until all pass.
import { existsSync } from 'node:fs';
import { join, relative } from 'node:path';
import { sql } from 'kysely';
import { Hono } from 'hono';
import type { Services } from '../services.ts';
import { migrationState } from '../db/migration-state.ts';
import { listMerchants } from '../merchants/store.ts';
import { readPageAssets } from '../page/assets.ts';
import { LOADER_PATH } from '../embed/loader-file.ts';
import { ROOT, WIDGET_DIR } from '../paths.ts';

export type Check = { ok: true } | { ok: false; reason: string };
export type Readiness = { ok: boolean; checks: Record<'database' | 'migrations' | 'assets' | 'providers', Check> };

/** Where the built files are expected (tests point it elsewhere). */
export interface BuildFiles {
  widgetDir: string;
  loader: string;
}

const OK: Check = { ok: true };
const fail = (reason: string): Check => ({ ok: false, reason });
const shown = (path: string) => relative(ROOT, path) || path;

async function database(s: Services): Promise<Check> {
  try {
    await sql`select 1`.execute(s.db);
    return OK;
  } catch (err) {
    return fail(`database unreachable: ${(err as Error).message}`);
  }
}

async function migrations(s: Services): Promise<Check> {
  try {
    return await migrationState(s.db);
  } catch (err) {
    return fail(`migrations cannot be read: ${(err as Error).message}`);
  }
}

function assets(build: BuildFiles): Check {
  try {
    readPageAssets(build.widgetDir);
  } catch {
    return fail(`the widget is not built (${shown(join(build.widgetDir, '.vite/manifest.json'))}): run npm run build`);
  }
  if (!existsSync(build.loader))
    return fail(`the embed loader is not built (${shown(build.loader)}): run npm run build`);
  return OK;
}

async function providers(s: Services): Promise<Check> {
  if (s.providers.all().length === 0) return fail('no provider is configured');
  try {
    for (const m of await listMerchants(s.db)) {
      if (!m.active) continue;
      const missing = m.settings.routes.find((r) => !s.providers.get(r.provider));
      if (missing) {
        return fail(
          `merchant ${m.id} routes ${missing.type}:${missing.channel} to provider "${missing.provider}", which is not configured`,
        );
      }
    }
    return OK;
  } catch (err) {
    return fail(`merchant routes cannot be read: ${(err as Error).message}`);
  }
}

export async function readiness(
  s: Services,
  build: BuildFiles = { widgetDir: WIDGET_DIR, loader: LOADER_PATH },
): Promise<Readiness> {
  const db = await database(s);
  const checks = {
    database: db,
    migrations: db.ok ? await migrations(s) : fail('database unreachable'),
    assets: assets(build),
    providers: db.ok ? await providers(s) : fail('database unreachable'),
  };
  return { ok: Object.values(checks).every((c) => c.ok), checks };
}

export function healthRoutes(s: Services): Hono {
  const app = new Hono();
  app.get('/healthz', (c) => c.json({ ok: true }));
  app.get('/readyz', async (c) => {
    const r = await readiness(s);
    return c.json(r, r.ok ? 200 : 503, { 'Cache-Control': 'no-store' });
  });
  return app;
}
