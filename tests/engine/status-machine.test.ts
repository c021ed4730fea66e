// The status machine on a real SQLite file: every (from, to) pair is either moved with
// a history row and an outbox webhook, or refused without any change; concurrent
// changes from one state let exactly one through.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import SQLite from 'better-sqlite3';
import { Kysely, SqliteDialect } from 'kysely';
import { dbFilePath, type Database, type Db } from '../../server/db/index.ts';
import { openTestDb } from '../helpers/store.ts';
import { loadKeyring } from '../../server/vault/keyring.ts';
import { createMerchant } from '../../server/merchants/store.ts';
import { DEV_SETTINGS } from '../helpers/engine.ts';
import { createLinkPayout } from '../../server/engine/payouts.ts';
import { canMove, pathTo, transition } from '../../server/engine/status-machine.ts';
import { PAYOUT_STATUSES, type PayoutStatus } from '../../src/contract/status.ts';
import type { Services } from '../../server/services.ts';
import { tempDataDir } from '../helpers/server.ts';

const LEGAL: ReadonlyArray<[PayoutStatus, PayoutStatus]> = [
  ['uploaded', 'created'],
  ['uploaded', 'cancelled'],
  ['created', 'processing'],
  ['created', 'failed'],
  ['created', 'cancelled'],
  ['processing', 'success'],
  ['processing', 'failed'],
  ['processing', 'cancelled'],
  ['success', 'refunded'],
];

let db: Db;
let s: Services;
let merchant: Awaited<ReturnType<typeof createMerchant>>['merchant'];
let n = 0;

before(async () => {
  const dataDir = tempDataDir();
  db = await openTestDb(dataDir);
  const keyring = loadKeyring({ dataDir });
  s = { db, keyring, clock: { now: () => Date.now() }, config: { publicUrl: 'http://localhost:1' } } as Services;
  merchant = (
    await createMerchant(
      db,
      keyring,
      { name: 'm', settings: { returnOrigins: ['https://shop.example'] } },
      DEV_SETTINGS,
    )
  ).merchant;
});
after(() => db.destroy());

async function payoutIn(status: PayoutStatus): Promise<number> {
  const r = await createLinkPayout(s, merchant, {
    orderNumber: `o${++n}`,
    amount: 1000,
    returnUrl: 'https://shop.example/ok',
    sessionTimeoutSecs: 600,
    channel: 'vtb',
  });
  await db.updateTable('payouts').set({ status }).where('id', '=', r.payout.id).execute();
  return r.payout.id;
}

const counts = async (id: number) => ({
  history: (await db.selectFrom('payout_history').select('id').where('payout_id', '=', id).execute()).length,
  events: await db.selectFrom('webhook_events').selectAll().where('payout_id', '=', id).execute(),
});

for (const from of PAYOUT_STATUSES) {
  for (const to of PAYOUT_STATUSES) {
    const legal = LEGAL.some(([f, t]) => f === from && t === to);
    test(`${from} → ${to} is ${legal ? 'allowed' : 'refused'}`, async () => {
      assert.equal(canMove(from, to), legal);
      const id = await payoutIn(from);
      const before = await counts(id);
      const at = Date.now();
      const r = await db.transaction().execute((tx) => transition(tx, id, to, { reason: 'test_reason', at }));
      assert.equal(r.moved, legal);
      assert.equal(r.from, from);
      const row = await db.selectFrom('payouts').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
      const after = await counts(id);
      if (legal) {
        assert.equal(row.status, to);
        assert.equal(row.status_reason, 'test_reason');
        assert.equal(after.history, before.history + 1);
        const h = await db
          .selectFrom('payout_history')
          .selectAll()
          .where('payout_id', '=', id)
          .orderBy('id', 'desc')
          .executeTakeFirstOrThrow();
        assert.deepEqual([h.from_status, h.to_status, h.reason, h.at], [from, to, 'test_reason', at]);
        // Its webhook is in the outbox, written by the same transaction.
        assert.equal(after.events.length, before.events.length + 1);
        const body = JSON.parse(after.events.at(-1)!.payload);
        // A merchant on the Quantum Payouts API's six statuses sees a refund as success with a refund field.
        assert.equal(body.payout.status, to === 'refunded' ? 'success' : to);
        assert.equal(body.payout.refund !== undefined, to === 'refunded');
        assert.equal(body.payout.failure !== undefined, to === 'failed' || to === 'cancelled');
        assert.equal(body.payout.id, id);
      } else {
        assert.equal(row.status, from);
        assert.equal(after.history, before.history);
        assert.equal(after.events.length, before.events.length);
      }
    });
  }
}

test('a transition rolled back with its transaction leaves no history and no webhook', async () => {
  const id = await payoutIn('created');
  await assert.rejects(
    db.transaction().execute(async (tx) => {
      await transition(tx, id, 'processing', { at: Date.now() });
      throw new Error('crash before commit');
    }),
  );
  const row = await db.selectFrom('payouts').select('status').where('id', '=', id).executeTakeFirstOrThrow();
  assert.equal(row.status, 'created');
  assert.deepEqual((await counts(id)).events, []);
});

test('concurrent transitions from one state: exactly one wins', async () => {
  const id = await payoutIn('processing');
  const targets: PayoutStatus[] = [
    'success',
    'failed',
    'cancelled',
    'success',
    'failed',
    'cancelled',
    'success',
    'failed',
  ];
  const results = await Promise.all(
    targets.map((to) => db.transaction().execute((tx) => transition(tx, id, to, { at: Date.now() }))),
  );
  assert.equal(results.filter((r) => r.moved).length, 1);
  const { events, history } = await counts(id);
  assert.equal(events.length, 1);
  assert.equal(history, 2); // created by createLinkPayout + the one that won
  const row = await db.selectFrom('payouts').select('status').where('id', '=', id).executeTakeFirstOrThrow();
  assert.equal(row.status, targets[results.findIndex((r) => r.moved)]);
});

test('a status changed by another writer after it was read is never overwritten', async () => {
  // The interleaving the `WHERE status = from` guard exists for: another connection (a
  // second pool on PostgreSQL) moves the payout between this transition's read and its
  // write. Staged on one SQLite connection: the other writer's update runs right after
  // the read, inside this transaction.
  const dataDir = tempDataDir();
  const setup = await openTestDb(dataDir);
  const keyring = loadKeyring({ dataDir });
  const m = (
    await createMerchant(
      setup,
      keyring,
      { name: 'm', settings: { returnOrigins: ['https://shop.example'] } },
      DEV_SETTINGS,
    )
  ).merchant;
  const created = await createLinkPayout({ ...s, db: setup, keyring }, m, {
    orderNumber: 'raced',
    amount: 1000,
    returnUrl: 'https://shop.example/ok',
    sessionTimeoutSecs: 600,
    channel: 'vtb',
  });
  const id = created.payout.id;
  await setup.updateTable('payouts').set({ status: 'processing' }).where('id', '=', id).execute();
  await setup.destroy();

  const sqlite = new SQLite(dbFilePath(dataDir));
  const raced = new Kysely<Database>({
    dialect: new SqliteDialect({
      database: {
        close: () => sqlite.close(),
        prepare(sql: string) {
          const statement = sqlite.prepare(sql);
          if (!/^select "status" from "payouts"/.test(sql)) return statement;
          return new Proxy(statement, {
            get(target, key) {
              if (key !== 'all') return Reflect.get(target, key, target);
              return (...params: unknown[]) => {
                const rows = target.all(...params);
                sqlite.prepare("update payouts set status = 'failed', status_reason = 'other' where id = ?").run(id);
                return rows;
              };
            },
          });
        },
      },
    }),
  });
  try {
    const r = await raced
      .transaction()
      .execute((tx) => transition(tx, id, 'success', { reason: 'late', at: Date.now() }));
    assert.deepEqual(r, { moved: false, from: 'processing' });
    const row = await raced.selectFrom('payouts').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
    assert.deepEqual([row.status, row.status_reason], ['failed', 'other']);
    const history = await raced.selectFrom('payout_history').select('to_status').where('payout_id', '=', id).execute();
    assert.deepEqual(
      history.map((h) => h.to_status),
      ['uploaded'],
    );
    assert.equal(
      (await raced.selectFrom('webhook_events').select('id').where('payout_id', '=', id).execute()).length,
      0,
    );
  } finally {
    await raced.destroy();
  }
});

test('provider outcomes are reached one legal step at a time', () => {
  assert.deepEqual(pathTo('created', 'success'), ['processing', 'success']);
  assert.deepEqual(pathTo('created', 'failed'), ['failed']);
  assert.deepEqual(pathTo('processing', 'refunded'), ['success', 'refunded']);
  assert.deepEqual(pathTo('success', 'failed'), []);
  assert.deepEqual(pathTo('failed', 'success'), []);
  for (const from of PAYOUT_STATUSES) {
    for (const to of PAYOUT_STATUSES) {
      const steps = pathTo(from, to);
      let at = from;
      for (const step of steps) {
        assert.ok(canMove(at, step), `${at} → ${step}`);
        at = step;
      }
    }
  }
});
