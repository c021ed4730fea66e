// End to end over real HTTP: the Payee service (child process) paying out through the
// Bank 131 simulator, the recipient submitting details on our page, the merchant's
// webhook endpoint watching. Two services: one driven by the bank's webhooks alone
// (status sync far away), one with a fast status sync for lost answers.
import { after, before, beforeEach, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startPayeeWith, type PayeeWithProvider } from '../helpers/provider-harness.ts';
import { eventually } from '../helpers/eventually.ts';
import { startServer, type TestServer } from '../helpers/server.ts';
import { merchantCli } from '../helpers/cli.ts';
import { FAST_ENV } from '../helpers/engine.ts';
import { Bank131Simulator, writeBank131Keys } from '../simulators/bank131.ts';
import { closeServer, listenLocal } from '../simulators/http.ts';
import { createServer } from 'node:http';

/** A loopback port that was free a moment ago (for a bank that is not up yet). */
async function freePort(): Promise<number> {
  const probe = createServer();
  const url = await listenLocal(probe);
  await closeServer(probe);
  return Number(new URL(url).port);
}

const keys = writeBank131Keys(mkdtempSync(join(tmpdir(), 'bank131-e2e-')));
const PROJECT = 'payee-e2e';
const ROUTES = [
  { type: 'card' as const, channel: 'vtb', provider: 'bank131' },
  { type: 'sbp' as const, channel: 'vtb', provider: 'bank131' },
];
const CARD = { type: 'card', pan: '2200 0000 0000 0004', fullName: 'Ivanov Ivan Ivanovich' };

interface Rig {
  sim: Bank131Simulator;
  payee: PayeeWithProvider;
}

const providers = (sim: { url: string }, timeoutMs = 5000, flow = 'create_start') => ({
  bank131: {
    kind: 'bank131',
    baseUrl: sim.url,
    project: PROJECT,
    privateKeyFile: keys.partnerPrivateKeyFile,
    bankPublicKeyFile: keys.bankPublicKeyFile,
    timeoutMs,
    flow,
  },
});

const newSimulator = () =>
  new Bank131Simulator({
    project: PROJECT,
    partnerPublicKey: keys.partnerPublicKeyPem,
    bankPrivateKey: keys.bankPrivateKeyPem,
    retryDelaysMs: [100, 300],
  });

/** `timeoutMs`: the adapter's per-request limit (short where a lost answer is staged). */
async function rig(env: Record<string, string>, timeoutMs?: number, child = false, flow?: string): Promise<Rig> {
  const sim = await newSimulator().start();
  // One try per link: these tests are about what each answer of the bank means (another try
  // after a refusal is tested with the sandbox: tests/engine/another-try.service.test.ts).
  const payee = await startPayeeWith(providers(sim, timeoutMs, flow), ROUTES, {
    env,
    child,
    settings: { maxTries: 1 },
  });
  sim.webhookUrl = `${payee.server.url}/callbacks/bank131`;
  return { sim, payee };
}

let n = 0;
const orderNumber = () => `B131-${++n}-${Date.now()}`;

/** The merchant creates a payout; the recipient submits details on the page, as its form does. */
async function payout(r: Rig, details: object = CARD): Promise<string> {
  const on = orderNumber();
  const res = await submitDetails(await createPayout(r, on), details);
  assert.ok(res.ok, `details refused: ${res.status} ${await res.clone().text()}`);
  return on;
}

async function createPayout(r: Rig, on: string): Promise<string> {
  const created = await r.payee.api('createPayout', {
    orderNumber: on,
    amount: 150000,
    description: 'Reward',
    urls: { returnUrl: 'https://shop.example/done' },
  });
  assert.equal(created.status, 200, JSON.stringify(created.body));
  return created.body.payoutUrl.replace(r.payee.server.publicUrl, r.payee.server.url);
}

function submitDetails(payoutUrl: string, details: object): Promise<Response> {
  return fetch(payoutUrl, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', Accept: 'application/json' },
    body: JSON.stringify(details),
  });
}

const settled = async (r: Rig, on: string, statuses = ['success', 'failed', 'cancelled', 'refunded']) => {
  await eventually(() => statuses.includes(r.payee.row(on)?.status ?? ''), 15_000, `final status of ${on}`);
  return r.payee.row(on)!;
};
const hooksFor = (r: Rig, on: string, count: number) =>
  r.payee.hooks.until((rs) => rs.filter((x) => JSON.parse(x.body).payout.externalId === on).length >= count);
const sessionOf = (r: Rig, on: string) => r.sim.sessionByOrder(r.payee.row(on)!.order_id);
const calls = (r: Rig, sessionId: string, path: string) =>
  r.sim.requests.filter((q) => q.path.endsWith(path) && q.sessionId === sessionId).length;

let hooksDriven: Rig;
let fastSync: Rig;

before(async () => {
  [hooksDriven, fastSync] = await Promise.all([
    rig({ PAYEE_SYNC_FIRST_MS: '600000', PAYEE_SYNC_MAX_MS: '600000' }),
    rig({}, 2000),
  ]);
});
after(async () => {
  for (const r of [hooksDriven, fastSync]) {
    await r?.payee.stop();
    await r?.sim.close();
  }
});
beforeEach(() => {
  for (const r of [hooksDriven, fastSync]) {
    r.sim.autoConfirm = false;
    r.sim.duplicateWebhooks = false;
  }
});

describe('driven by the bank’s webhooks', () => {
  test('card: ready_to_confirm → confirmed → payment_finished → success, reported to the merchant', async () => {
    const r = hooksDriven;
    const on = await payout(r);
    const row = await settled(r, on);
    assert.equal(row.status, 'success');
    await hooksFor(r, on, 3);
    assert.deepEqual(r.payee.webhookStatuses(on), ['created', 'processing', 'success']);
    const session = sessionOf(r, on)!;
    assert.equal(row.provider_ref, session.id);
    assert.equal(calls(r, session.id, '/session/confirm'), 1);
    assert.equal(
      r.sim.requests.filter((q) => q.path.endsWith('/start/payout') && q.sessionId === session.id).length,
      1,
    );
    assert.ok(r.sim.requests.every((q) => q.signatureOk));
    assert.deepEqual((session.payments[0]!.participant_details as any).recipient, {
      full_name: 'Ivanov Ivan Ivanovich',
    });
  });

  test('SBP: phone + bank id, success', async () => {
    const r = hooksDriven;
    const on = await payout(r, {
      type: 'sbp',
      phone: '+7 (968) 000-00-00',
      bankId: '100000000111',
      fullName: 'Ivanov Ivan',
    });
    assert.equal((await settled(r, on)).status, 'success');
    const fps = (sessionOf(r, on)!.payments[0]!.payment_method as any).bank_account.faster_payment_system;
    assert.deepEqual(fps, { phone: '79680000000', bank_id: '100000000111', description: 'Reward' });
  });

  for (const [how, bankCode, ours] of [
    ['refused', 'insufficient_funds', 'insufficient_funds'],
    ['refused', 'card_number_does_not_exist', 'invalid_card'],
    ['refused', 'code_nobody_documented', 'provider_error'],
    ['failed later', 'declined_by_issuer_bank', 'card_declined'],
    ['failed later', 'provider_exceeds_amount_limit', 'limit_exceeded'],
  ] as const) {
    test(`${how} with ${bankCode} → failed ${ours}, reported to the merchant`, async () => {
      const r = hooksDriven;
      if (how === 'refused') r.sim.refuseNext(bankCode);
      else r.sim.failNext(bankCode);
      const on = await payout(r);
      const row = await settled(r, on);
      assert.deepEqual([row.status, row.status_reason], ['failed', ours]);
      await hooksFor(r, on, how === 'refused' ? 2 : 3);
      assert.deepEqual(
        r.payee.webhookStatuses(on),
        how === 'refused' ? ['created', 'failed'] : ['created', 'processing', 'failed'],
      );
    });
  }

  test('auto-confirm, then refund: success → refunded, no confirm call; the merchant sees the six statuses', async () => {
    const r = hooksDriven;
    r.sim.autoConfirm = true;
    const on = await payout(r);
    assert.equal((await settled(r, on)).status, 'success');
    const session = sessionOf(r, on)!;
    r.sim.refund(session.id);
    assert.equal((await settled(r, on, ['refunded'])).status, 'refunded');
    await hooksFor(r, on, 4);
    // A client written to the Quantum Payouts API never sees `refunded`: success again, with a refund field.
    assert.deepEqual(r.payee.webhookStatuses(on), ['created', 'processing', 'success', 'success']);
    const refundEvent = JSON.parse(r.payee.hooks.received.at(-1)!.body);
    assert.equal(typeof refundEvent.payout.refund.refundDate, 'number');
    const status = await r.payee.api('getPayoutStatus', { orderNumber: on });
    assert.equal(status.body.orderStatus, 'success');
    assert.deepEqual(status.body.refund, refundEvent.payout.refund);
    assert.equal(calls(r, session.id, '/session/confirm'), 0);
  });

  test('a merchant that opted into the extended statuses sees refunded', async () => {
    const r = hooksDriven;
    r.sim.autoConfirm = true;
    await merchantCli(r.payee.server.dataDir, ['update', r.payee.merchant.id, '--extended-statuses']);
    try {
      const on = await payout(r);
      assert.equal((await settled(r, on)).status, 'success');
      r.sim.refund(sessionOf(r, on)!.id);
      await hooksFor(r, on, 4);
      assert.deepEqual(r.payee.webhookStatuses(on), ['created', 'processing', 'success', 'refunded']);
      assert.equal((await r.payee.api('getPayoutStatus', { orderNumber: on })).body.orderStatus, 'refunded');
    } finally {
      await merchantCli(r.payee.server.dataDir, ['update', r.payee.merchant.id, '--seed-statuses']);
    }
  });

  test('duplicate and out-of-order webhooks (refund before result, each twice) are applied once', async () => {
    const r = hooksDriven;
    r.sim.autoConfirm = true;
    r.sim.holdWebhooks();
    const on = await payout(r);
    await eventually(() => sessionOf(r, on)?.status === 'accepted', 10_000, 'paid at the bank');
    const session = sessionOf(r, on)!;
    r.sim.refund(session.id);
    assert.deepEqual(r.sim.heldWebhooks(), ['payment_finished', 'payment_refunded']);
    r.sim.duplicateWebhooks = true;
    await r.sim.releaseWebhooks('reverse');
    assert.equal((await settled(r, on, ['refunded'])).status, 'refunded');
    await hooksFor(r, on, 4);
    await r.sim.idle();
    assert.deepEqual(r.payee.webhookStatuses(on), ['created', 'processing', 'success', 'success']);
    assert.deepEqual(r.payee.history(on), ['uploaded', 'created', 'processing', 'success', 'refunded']);
    assert.deepEqual(
      r.sim.deliveries.filter((d) => d.sessionId === session.id).map((d) => [d.type, d.httpStatus]),
      [
        ['payment_refunded', 200],
        ['payment_refunded', 200],
        ['payment_finished', 200],
        ['payment_finished', 200],
      ],
    );
  });

  test('a webhook with a bad signature is refused (401) and changes nothing; the resend is applied', async () => {
    const r = hooksDriven;
    r.sim.holdWebhooks();
    const on = await payout(r);
    await eventually(() => r.sim.heldWebhooks().includes('ready_to_confirm'), 10_000, 'ready_to_confirm');
    r.sim.signNextWebhookBadly();
    await r.sim.releaseWebhooks();
    const session = sessionOf(r, on)!;
    await eventually(
      () => r.sim.deliveries.some((d) => d.sessionId === session.id && d.httpStatus === 401),
      10_000,
      'the refused delivery',
    );
    assert.equal(
      await r.sim.sendRaw(
        JSON.stringify({
          type: 'payment_finished',
          session: { ...session, status: 'accepted', payments: [{ ...session.payments[0], status: 'failed' }] },
        }),
        { badSignature: true },
      ),
      401,
    );
    // The bank resends the refused ready_to_confirm; it is confirmed and paid.
    assert.equal((await settled(r, on)).status, 'success');
    assert.deepEqual(r.payee.history(on), ['uploaded', 'created', 'processing', 'success']);
    assert.equal(calls(r, session.id, '/session/confirm'), 1);
  });
});

describe('with status sync', () => {
  test('answer lost after the bank committed: unknown, reconciled by session/status, sent once', async () => {
    const r = fastSync;
    r.sim.holdWebhooks(); // only the status query can tell
    r.sim.commitThenTimeout(5000); // past the 2 s provider timeout
    const created = r.sim.payoutsCreated;
    const on = await payout(r);
    const row = await settled(r, on);
    assert.equal(row.status, 'success');
    const submitted = r.payee.server
      .output()
      .split('\n')
      .find((l) => l.includes('"payout submitted"') && l.includes(row.order_id));
    assert.match(submitted ?? '', /"answer":"unknown"/);
    const session = sessionOf(r, on)!;
    assert.equal(row.provider_ref, session.id);
    assert.equal(r.sim.payoutsCreated, created + 1);
    assert.equal(
      r.sim.requests.filter((q) => q.path.endsWith('/start/payout') && q.sessionId === session.id).length,
      1,
    );
    assert.ok(r.sim.requests.some((q) => q.path.endsWith('/session/status') && q.sessionId === session.id));
    assert.equal(calls(r, session.id, '/session/confirm'), 1);
    await hooksFor(r, on, 3);
    assert.deepEqual(r.payee.webhookStatuses(on), ['created', 'processing', 'success']);
    await r.sim.releaseWebhooks();
  });
});

describe('lost requests', () => {
  test('start lost on the way: sent again with the same key to the same session, paid once, success', async () => {
    const r = fastSync;
    r.sim.autoConfirm = true;
    r.sim.dropNext();
    const created = r.sim.payoutsCreated;
    const on = await payout(r);
    const row = await settled(r, on);
    assert.equal(row.status, 'success');
    const session = sessionOf(r, on)!;
    const starts = r.sim.requests.filter((q) => q.path.endsWith('/start/payout') && q.sessionId === session.id);
    assert.deepEqual(
      starts.map((q) => [q.idempotencyKey, q.answer]),
      [
        [`${row.order_id}.1`, 'dropped'],
        [`${row.order_id}.1`, 'ok'],
      ],
    );
    assert.equal(r.sim.payoutsCreated, created + 1);
    await hooksFor(r, on, 3);
    assert.deepEqual(r.payee.webhookStatuses(on), ['created', 'processing', 'success']);
  });

  test('init lost on the way: sent again with the same key, paid once, success', async () => {
    const r = await rig({}, 2000, false, 'init');
    try {
      r.sim.autoConfirm = true;
      r.sim.dropNext();
      const on = await payout(r);
      const row = await settled(r, on);
      assert.equal(row.status, 'success');
      assert.deepEqual(
        r.sim.requests.filter((q) => q.path.endsWith('/init/payout')).map((q) => [q.idempotencyKey, q.answer]),
        [
          [`${row.order_id}.1`, 'dropped'],
          [`${row.order_id}.1`, 'ok'],
        ],
      );
      assert.equal(r.sim.payoutsCreated, 1);
    } finally {
      await r.payee.stop();
      await r.sim.close();
    }
  });

  test('the bank refuses connections: nothing failed, a later attempt pays once when it is back', async () => {
    const port = await freePort();
    const payee = await startPayeeWith(providers({ url: `http://127.0.0.1:${port}` }), ROUTES, {
      // Slow checks and room for attempts: the bank comes back well within them.
      env: { PAYEE_SYNC_FIRST_MS: '1000', PAYEE_SYNC_MAX_MS: '2000', PAYEE_MAX_ATTEMPTS: '9' },
    });
    const sim = newSimulator();
    try {
      const r = { sim, payee };
      const on = await payout(r);
      await eventually(() => /"answer":"not_sent"/.test(payee.server.output()), 15_000, 'a submission that never left');
      assert.ok(!['failed', 'cancelled'].includes(payee.row(on)!.status));
      await sim.start(port);
      sim.autoConfirm = true;
      sim.webhookUrl = `${payee.server.url}/callbacks/bank131`;
      const row = await settled(r, on);
      assert.equal(row.status, 'success');
      assert.equal(sim.payoutsCreated, 1);
      assert.ok(!payee.history(on).includes('failed'));
    } finally {
      await payee.stop();
      await sim.close();
    }
  });
});

describe('crash', () => {
  test('the service dies right after the bank took the payout: on restart it reconciles and never sends again', async () => {
    const r = await rig({ PAYEE_CRASH_AT: 'after_submit' }, undefined, true);
    const crashing = r.payee.server as TestServer;
    let again: TestServer | undefined;
    try {
      r.sim.holdWebhooks(); // they would go to the dead process
      const on = orderNumber();
      await submitDetails(await createPayout(r, on), CARD).catch(() => undefined);
      await eventually(
        () => crashing.child.exitCode !== null || crashing.child.signalCode !== null,
        10_000,
        'the crash',
      );
      assert.match(crashing.output(), /crashing at after_submit/);
      assert.equal(r.sim.payoutsCreated, 1);

      again = await startServer({
        dataDir: r.payee.server.dataDir,
        config: { providers: providers(r.sim) },
        env: { ...FAST_ENV, PAYEE_DEMO: '0' },
      });
      r.sim.webhookUrl = `${again.url}/callbacks/bank131`;
      const row = await settled(r, on);
      assert.equal(row.status, 'success');
      const session = sessionOf(r, on)!;
      assert.equal(r.sim.payoutsCreated, 1);
      assert.equal(r.sim.requests.filter((q) => q.path.endsWith('/start/payout')).length, 1);
      assert.equal(calls(r, session.id, '/session/confirm'), 1);
      await r.sim.releaseWebhooks();
      await r.sim.idle();
      assert.deepEqual(r.payee.history(on), ['uploaded', 'created', 'processing', 'success']);
    } finally {
      await again?.stop();
      await r.payee.stop();
      await r.sim.close();
    }
  });
});
