// After a full run of every flow (performPayout with each sandbox outcome, link payouts
// by card and SBP, callbacks, webhooks, refusals), no card number is in clear anywhere:
// not in any file of the data directory (database, its WAL, the sandbox's state) and not
// in the service's log output at debug level.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DATABASE_AT_REST, storedBytes, TEST_STORE } from '../helpers/store.ts';
import { submitRecipientDetails } from '../../server/engine/details.ts';
import { findByOrderNumber } from '../../server/engine/payouts.ts';
import { CARD_BEHAVIOUR } from '../../server/providers/sandbox/outcomes.ts';
import { tempDataDir } from '../helpers/server.ts';
import { luhnRuns, post, seedMerchant, webhookReceiver, SERVICE_ENV } from '../helpers/engine.ts';
import { eventually } from '../helpers/eventually.ts';
import { startService } from '../helpers/service.ts';

const PANS = [
  ...Object.keys(CARD_BEHAVIOUR),
  '5555555555554444',
  '4242424242424242',
  '6011000990139424',
  '2200000000000012',
];

async function scanDir(dir: string): Promise<Array<{ file: string; runs: string[]; pans: string[] }>> {
  return (await storedBytes(dir)).map(({ file, bytes }) => {
    const text = bytes.toString('latin1');
    return { file, runs: luhnRuns(bytes), pans: PANS.filter((p) => text.includes(p)) };
  });
}

test('no card number in clear on disk or in the logs after every flow', async () => {
  const receiver = await webhookReceiver();
  const dataDir = tempDataDir();
  const m = await seedMerchant(dataDir, { webhook: { url: receiver.url, enabled: true, useSignature: true } });
  const svc = await startService({
    env: { ...SERVICE_ENV, LOG_LEVEL: 'debug' },
    dataDir,
    providers: { sandbox: { kind: 'sandbox', delayMs: 100, callbacks: true } },
  });
  let files: Awaited<ReturnType<typeof scanDir>> = [];
  try {
    let i = 0;
    for (const pan of PANS) {
      const r = await post(svc.url, m.token, 'performPayout', {
        orderNumber: `SCAN-${++i}`,
        amount: 100,
        description: `payout ${pan.slice(-4)}`,
        target: { pan },
      });
      assert.equal(r.status, 200);
      assert.ok(!JSON.stringify(r.body).includes(pan));
    }
    // Refusals must not leak the number either.
    await post(svc.url, m.token, 'performPayout', {
      orderNumber: 'SCAN-bad',
      amount: 100,
      description: 'x',
      target: { pan: '4111111111111112' },
    });
    await post(svc.url, m.token, 'performPayout', {
      orderNumber: 'SCAN-1',
      amount: 999,
      description: 'conflict',
      target: { pan: PANS[0] },
    });

    for (const details of [
      { type: 'card' as const, pan: '4111111111111111' },
      { type: 'card' as const, pan: '4000000000000036' },
      { type: 'sbp' as const, phone: '79000000001', bankId: '100000000111' },
    ]) {
      const orderNumber = `SCAN-link-${++i}`;
      await post(svc.url, m.token, 'createPayout', {
        orderNumber,
        amount: 100,
        urls: { returnUrl: 'https://shop.example/r' },
      });
      const p = (await findByOrderNumber(svc.services, m.id, orderNumber))!;
      assert.ok((await submitRecipientDetails(svc.services, p.id, details)).ok);
    }

    // Everything that can finish has finished, and its webhooks are out.
    await eventually(
      async () => {
        const open = await svc.services.db
          .selectFrom('payouts')
          .select('order_number')
          .where('status', 'in', ['created', 'processing'])
          .execute();
        const pending = await svc.services.db
          .selectFrom('webhook_events')
          .select('id')
          .where('state', '=', 'pending')
          .execute();
        return open.length === 1 && open[0]!.order_number === 'SCAN-5' && pending.length === 0; // SCAN-5: the card that stays processing
      },
      15_000,
      'all flows done',
    );
    assert.ok(receiver.received.length >= PANS.length);

    // A probe is logged at debug: its line shows debug lines were captured along with the rest.
    await fetch(`${svc.url}/healthz`);
    files = await scanDir(dataDir);
    assert.ok(
      files.some((f) => f.file === (TEST_STORE === 'sqlite' ? 'payee.sqlite-wal' : DATABASE_AT_REST)),
      'the live database (on SQLite its WAL) is scanned while the service runs',
    );
  } finally {
    await svc.close();
    await receiver.close();
  }
  files.push(...(await scanDir(dataDir)));
  // The sandbox provider's records live in the same database.
  assert.ok(files.some((f) => f.file === DATABASE_AT_REST));
  for (const f of files)
    assert.deepEqual({ file: f.file, runs: f.runs, pans: f.pans }, { file: f.file, runs: [], pans: [] });

  const logs = svc.output();
  assert.ok(
    logs.includes('"msg":"payout submitted"') && logs.includes('"level":20'),
    'the logs were captured at debug level',
  );
  assert.deepEqual(luhnRuns(logs), []);
  assert.deepEqual(
    PANS.filter((p) => logs.includes(p)),
    [],
  );
});
