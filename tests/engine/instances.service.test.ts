// Any number of instances on one PostgreSQL database: three service processes, one of
// them killed (SIGKILL) midway through 200 payouts that mix payout links and
// performPayout. Every payout reaches the provider exactly once and ends in its right
// status, every webhook event is delivered (twice only if the killed instance was
// sending it), and the survivors take over what the killed one held once its leases
// run out. Each instance has its own data directory: they share only the database.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { loadConfig } from '../../server/config.ts';
import { openDb } from '../../server/db/index.ts';
import { createMerchant } from '../../server/merchants/store.ts';
import { loadKeyring } from '../../server/vault/keyring.ts';
import { DEV_SETTINGS, FAST_ENV, post, SANDBOX_ROUTES, webhookReceiver } from '../helpers/engine.ts';
import { eventually } from '../helpers/eventually.ts';
import { startServer, tempDataDir, type TestServer } from '../helpers/server.ts';
import { createTestDatabase } from '../helpers/store.ts';

const PAYOUTS = 200;
/** Sandbox test cards: paid, and declined by the bank. */
const PAID = '4111111111111111';
const DECLINED = '4000000000000002';

test('three instances on one PostgreSQL database, one killed midway: each payout sent once, ends right, webhooks delivered', async (t) => {
  const databaseUrl = await createTestDatabase();
  const key = () => randomBytes(32).toString('base64');
  const env: Record<string, string> = {
    ...FAST_ENV,
    PAYEE_DEMO: '0',
    DATABASE_URL: databaseUrl,
    // Keys from configuration, as in production: nothing in a data directory is shared.
    PAYEE_KEYS: JSON.stringify({ k1: key() }),
    PAYEE_FINGERPRINT_KEY: key(),
    // Short leases, so the survivors take over the killed instance's work soon.
    PAYEE_LEASE_MS: '3000',
    PAYEE_PROVIDER_TIMEOUT_MS: '2000',
    PAYEE_WEBHOOK_TIMEOUT_MS: '2000',
  };
  const config = { providers: { sandbox: { kind: 'sandbox', delayMs: 300, callbacks: true } } };
  const receiver = await webhookReceiver();

  const db = await openDb({ dataDir: tempDataDir(), databaseUrl });
  const servers: TestServer[] = [];
  try {
    const { token } = await createMerchant(
      db,
      loadKeyring(loadConfig({ ...env, DATA_DIR: tempDataDir() })),
      {
        name: 'Shared shop',
        settings: {
          returnOrigins: ['https://shop.example'],
          routes: SANDBOX_ROUTES,
          webhook: { url: receiver.url, enabled: true, useSignature: true },
        },
      },
      DEV_SETTINGS,
    );
    for (let i = 0; i < 3; i++) servers.push(await startServer({ env, config }));
    const doomed = servers[1]!;
    const alive = () => servers.filter((s) => s.child.exitCode === null && s.child.signalCode === null);

    /** A merchant's call, retried on another instance when the one it reached dies under it. */
    const call = async (n: number, path: string, body: object) => {
      for (let tries = 0; ; tries++) {
        const live = alive();
        const server = live[(n + tries) % live.length]!;
        try {
          const r = await post(server.url, token, path, body);
          assert.equal(r.status, 200, `${path} ${JSON.stringify(body)}: ${JSON.stringify(r.body)}`);
          return { server, body: r.body };
        } catch (err) {
          if (tries > 5 || server !== doomed) throw err;
        }
      }
    };

    const expected = new Map<string, 'success' | 'failed'>();
    const one = async (n: number) => {
      const orderNumber = `MULTI-${n}`;
      const pan = n % 5 === 4 ? DECLINED : PAID;
      expected.set(orderNumber, pan === PAID ? 'success' : 'failed');
      if (n % 2 === 0) {
        await call(n, 'performPayout', { orderNumber, amount: 1000 + n, description: 'payout', target: { pan } });
        return;
      }
      const created = await call(n, 'createPayout', {
        orderNumber,
        amount: 1000 + n,
        urls: { returnUrl: 'https://shop.example/done' },
      });
      // The recipient's browser may reach any instance.
      const path = new URL(created.body.payoutUrl as string).pathname;
      for (let tries = 0; ; tries++) {
        const live = alive();
        try {
          const res = await fetch(`${live[(n + tries + 1) % live.length]!.url}${path}`, {
            method: 'POST',
            headers: { 'content-type': 'application/x-www-form-urlencoded' },
            body: `type=card&pan=${pan}`,
            redirect: 'manual',
          });
          assert.equal(res.status, 303);
          return;
        } catch (err) {
          if (tries > 5) throw err;
        }
      }
    };

    // Ten at a time, over all three instances; the second one is killed halfway.
    let killedHolding = 0;
    for (let n = 0; n < PAYOUTS; n += 10) {
      if (n === PAYOUTS / 2) {
        const batch = Promise.all(Array.from({ length: 10 }, (_, i) => one(n + i)));
        await doomed.kill();
        // Only what the killed instance was holding may go out once more.
        const held = await db
          .selectFrom('webhook_events')
          .select('id')
          .where('lease_owner', 'like', `%:${doomed.child.pid}:%`)
          .where('state', '=', 'pending')
          .execute();
        killedHolding = held.length;
        await batch;
        continue;
      }
      await Promise.all(Array.from({ length: 10 }, (_, i) => one(n + i)));
    }

    // Everything settles on the survivors: no payout left open, no webhook left pending.
    await eventually(
      async () => {
        const open = await db
          .selectFrom('payouts')
          .select('id')
          .where('status', 'not in', ['success', 'failed'])
          .execute();
        const pending = await db.selectFrom('webhook_events').select('id').where('state', '=', 'pending').execute();
        return open.length === 0 && pending.length === 0;
      },
      120_000,
      'every payout final and every webhook delivered',
    );

    const payouts = await db.selectFrom('payouts').select(['id', 'order_id', 'order_number', 'status']).execute();
    assert.equal(payouts.length, PAYOUTS, 'one payout per order number, whichever instance was asked');
    for (const p of payouts) assert.equal(p.status, expected.get(p.order_number), p.order_number);

    // Exactly once at the provider: one submit() call per payout, one attempt each.
    const submissions = await db.selectFrom('sandbox_submissions').select('order_id').execute();
    const perOrder = new Map<string, number>();
    for (const s of submissions) perOrder.set(s.order_id, (perOrder.get(s.order_id) ?? 0) + 1);
    const repeated = [...perOrder].filter(([, count]) => count !== 1);
    assert.deepEqual(repeated, [], 'no payout submitted twice');
    assert.equal(perOrder.size, PAYOUTS);

    // Every event delivered; repeats only of events the killed instance held.
    const events = await db.selectFrom('webhook_events').select(['event_id', 'state']).execute();
    assert.ok(events.every((e) => e.state === 'delivered'));
    const got = receiver.received.map((r) => r.headers['x-payouts-event-id'] as string);
    assert.deepEqual(new Set(got), new Set(events.map((e) => e.event_id)));
    t.diagnostic(`${got.length} deliveries of ${events.length} events; the killed instance held ${killedHolding}`);
    assert.ok(
      got.length - new Set(got).size <= killedHolding,
      `${got.length - new Set(got).size} repeated deliveries, ${killedHolding} held by the killed instance`,
    );
    // Each payout's story: processing, then its final status (none missing, none doubled).
    const statuses = await db.selectFrom('webhook_events').select(['payout_id', 'status']).orderBy('id').execute();
    for (const p of payouts) {
      const story = statuses.filter((e) => e.payout_id === p.id).map((e) => e.status);
      assert.deepEqual(story.slice(-1), [p.status], `${p.order_number}: ${story.join(' → ')}`);
      assert.equal(new Set(story).size, story.length, `${p.order_number}: ${story.join(' → ')}`);
    }
  } finally {
    for (const s of servers) await s.kill();
    await db.destroy();
    await receiver.close();
  }
});
