// The Bank 131 adapter against the simulator over real HTTP: signed requests, both
// flows, confirmation (or cancellation), auto-confirm, refunds, refusals mapped,
// lost answers reconciled without a second payout, webhooks checked and read.
import { after, afterEach, before, beforeEach, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generateKeyPairSync, sign } from 'node:crypto';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { bank131Factory, type Bank131Adapter } from '../../server/providers/bank131/index.ts';
import type { AdapterHost, PayoutRef, ProviderAdapter, SubmitRequest } from '../../server/providers/types.ts';
import { adapterDeps, startCallbackReceiver } from '../helpers/provider-harness.ts';
import { openTestDb } from '../helpers/store.ts';
import type { Db } from '../../server/db/index.ts';
import { eventually } from '../helpers/eventually.ts';
import { Bank131Simulator, writeBank131Keys } from '../simulators/bank131.ts';

const dir = mkdtempSync(join(tmpdir(), 'bank131-test-'));
const keys = writeBank131Keys(dir);
const PROJECT = 'payee-test';
/** The journal's table lives in the service's database. */
let db: Db;
before(async () => {
  db = await openTestDb(dir);
});
after(() => db.destroy());

/** Our side as the adapter sees it through AdapterHost: a status per order id. */
const ours = new Map<string, string>();
const host: AdapterHost = {
  async payoutStatus(ref: Partial<PayoutRef>) {
    const status = ref.orderId ? ours.get(ref.orderId) : undefined;
    return status ? { status, orderId: ref.orderId! } : undefined;
  },
};

let sim: Bank131Simulator;
let seq = 0;

function makeAdapter(options: Record<string, unknown> = {}, journalDb = db): ProviderAdapter {
  return bank131Factory.create(
    adapterDeps(
      'bank131',
      {
        baseUrl: sim.url,
        project: PROJECT,
        privateKeyFile: keys.partnerPrivateKeyFile,
        bankPublicKeyFile: keys.bankPublicKeyFile,
        timeoutMs: 3000,
        ...options,
      },
      undefined,
      journalDb,
    ),
  );
}

function cardRequest(over: Partial<SubmitRequest> = {}): SubmitRequest {
  const orderId = `po_t${++seq}`;
  ours.set(orderId, 'processing');
  return {
    orderId,
    idempotencyKey: `${orderId}.1`,
    amount: 150000,
    currency: 'RUB',
    description: null,
    recipient: { type: 'card', pan: '2200000000000004', fullName: 'Ivanov Ivan Ivanovich' },
    callbackUrl: 'unused',
    ...over,
  };
}

const until = <T>(what: string, probe: () => T | undefined | false, ms = 10_000) => eventually(probe, ms, what);

/** Every receiver a test starts; closed after it, passed or failed, so the file can exit. */
const receivers: Array<{ close(): Promise<void> }> = [];
async function withReceiver(adapter: ProviderAdapter) {
  const receiver = await startCallbackReceiver(adapter, host);
  receivers.push(receiver);
  sim.webhookUrl = receiver.callbackUrl;
  return receiver;
}

before(async () => {
  sim = await new Bank131Simulator({
    project: PROJECT,
    partnerPublicKey: keys.partnerPublicKeyPem,
    bankPrivateKey: keys.bankPrivateKeyPem,
    retryDelaysMs: [50],
  }).start();
});
after(() => sim.close());
afterEach(async () => {
  for (const receiver of receivers.splice(0)) await receiver.close();
});
beforeEach(async () => {
  // Webhooks of the previous test must not reach this one's receiver.
  await sim.idle();
  sim.autoConfirm = false;
  sim.duplicateWebhooks = false;
});

describe('card payout, session/create + session/start/payout', () => {
  test('signed requests, held for confirmation, confirmed, paid', async () => {
    const adapter = makeAdapter();
    const receiver = await withReceiver(adapter);
    const req = cardRequest();
    const before = sim.requests.length;

    const submitted = await adapter.submit(req);
    assert.equal(submitted.status, 'processing');
    const sessionId = (submitted as { providerRef: string }).providerRef;
    assert.match(sessionId, /^ps_/);

    const update = await until('payment_finished', () =>
      receiver.updates().find((u) => u.outcome.status !== 'processing'),
    );
    assert.deepEqual(update.outcome, { status: 'success', providerRef: sessionId, amount: 150000 });
    assert.equal(update.ref.orderId, req.orderId);

    const calls = sim.requests.slice(before);
    assert.deepEqual(
      calls.map((c) => c.path.replace('/api/v1/', '')),
      ['session/create', 'session/start/payout', 'session/confirm'],
    );
    assert.ok(calls.every((c) => c.signatureOk && c.answer === 'ok'));
    assert.equal(calls[1]!.idempotencyKey, req.idempotencyKey);
    await sim.idle();
    assert.deepEqual(
      sim.deliveries.filter((d) => d.sessionId === sessionId).map((d) => [d.type, d.httpStatus]),
      [
        ['ready_to_confirm', 200],
        ['payment_finished', 200],
      ],
    );

    const session = sim.sessions.get(sessionId)!;
    assert.deepEqual(session.payments[0]!.payment_method, {
      type: 'card',
      card: { last4: '0004', bin: '220000', brand: 'mir', country_iso3: 'RUS' },
    });
    assert.deepEqual(await adapter.status({ orderId: req.orderId, idempotencyKey: req.idempotencyKey }), {
      status: 'success',
      providerRef: sessionId,
      amount: 150000,
    });
  });

  test('a payout we no longer want is cancelled at ready_to_confirm, never confirmed', async () => {
    const adapter = makeAdapter();
    await withReceiver(adapter);
    const req = cardRequest();
    sim.holdWebhooks();
    const before = sim.requests.length;
    const submitted = await adapter.submit(req);
    const sessionId = (submitted as { providerRef: string }).providerRef;
    ours.set(req.orderId, 'cancelled');
    await until('ready_to_confirm held', () => sim.heldWebhooks().length === 1);
    await sim.releaseWebhooks();
    assert.equal(sim.sessions.get(sessionId)!.status, 'cancelled');
    assert.deepEqual(
      sim.requests.slice(before).map((r) => r.path.replace('/api/v1/', '')),
      ['session/create', 'session/start/payout', 'session/cancel'],
    );
    assert.deepEqual(await adapter.status({ orderId: req.orderId, idempotencyKey: req.idempotencyKey }), {
      status: 'cancelled',
      code: 'cancelled',
      providerRef: sessionId,
      amount: 150000,
    });
  });

  test('auto-confirm: no ready_to_confirm, no confirm call, still paid', async () => {
    sim.autoConfirm = true;
    const adapter = makeAdapter();
    const receiver = await withReceiver(adapter);
    const before = sim.requests.length;
    const req = cardRequest();
    await adapter.submit(req);
    const update = await until('payment_finished', () =>
      receiver.updates().find((u) => u.outcome.status === 'success'),
    );
    assert.equal(update.ref.orderId, req.orderId);
    assert.ok(!sim.requests.slice(before).some((r) => r.path.endsWith('/confirm')));
  });

  test('refund after success: payment_refunded → refunded', async () => {
    sim.autoConfirm = true;
    const adapter = makeAdapter();
    const receiver = await withReceiver(adapter);
    const req = cardRequest();
    const sessionId = ((await adapter.submit(req)) as { providerRef: string }).providerRef;
    await until('success', () => receiver.updates().find((u) => u.outcome.status === 'success'));
    sim.refund(sessionId);
    const refunded = await until('refund', () => receiver.updates().find((u) => u.outcome.status === 'refunded'));
    assert.deepEqual(refunded.outcome, { status: 'refunded', providerRef: sessionId });
    assert.equal(
      (await adapter.status({ orderId: req.orderId, idempotencyKey: req.idempotencyKey })).status,
      'refunded',
    );
  });
});

describe('refusals and failures', () => {
  const refusals: Array<[string, number, string]> = [
    ['insufficient_funds', 400, 'insufficient_funds'],
    ['card_number_does_not_exist', 400, 'invalid_card'],
    ['provider_exceeds_amount_limit', 422, 'limit_exceeded'],
    ['a_code_invented_tomorrow', 400, 'provider_error'],
  ];
  for (const [bankCode, httpStatus, ourCode] of refusals) {
    test(`refused with ${bankCode} → failed ${ourCode}`, async () => {
      const adapter = makeAdapter();
      sim.refuseNext(bankCode, httpStatus);
      const r = await adapter.submit(cardRequest());
      assert.equal(r.status, 'failed');
      assert.equal((r as { code: string }).code, ourCode);
    });
  }

  test('internal_error with HTTP 500 is not a failure: outcome unknown', async () => {
    sim.refuseNext('internal_error', 500);
    const r = await makeAdapter().submit(cardRequest());
    assert.equal(r.status, 'unknown');
  });

  test('accepted, then failed in payment_finished with the bank code mapped', async () => {
    const adapter = makeAdapter();
    const receiver = await withReceiver(adapter);
    sim.failNext('declined_by_issuer_bank');
    const req = cardRequest();
    await adapter.submit(req);
    const update = await until('failure', () => receiver.updates().find((u) => u.outcome.status === 'failed'));
    assert.equal((update.outcome as { code: string }).code, 'card_declined');
    assert.equal(update.ref.orderId, req.orderId);
  });

  test('our request signed with a key the bank does not know → authentication_error, nothing created', async () => {
    const other = join(dir, 'other.pem');
    const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    (await import('node:fs')).writeFileSync(other, privateKey.export({ type: 'pkcs8', format: 'pem' }));
    const created = sim.payoutsCreated;
    const r = await makeAdapter({ privateKeyFile: other }).submit(cardRequest());
    assert.deepEqual([r.status, (r as { code: string }).code], ['failed', 'provider_auth_error']);
    assert.equal(sim.payoutsCreated, created);
    assert.equal(sim.requests.at(-1)!.answer, 'authentication_error');
  });

  test('the card payout needs the full name: refused before anything is sent', async () => {
    const before = sim.requests.length;
    const r = await makeAdapter().submit(cardRequest({ recipient: { type: 'card', pan: '2200000000000004' } }));
    assert.deepEqual([r.status, (r as { code: string }).code], ['failed', 'invalid_recipient']);
    assert.equal(sim.requests.length, before);
  });

  test('bank unreachable: not_sent, never a failure (nothing arrived; a later attempt may follow)', async () => {
    const closed = createServer();
    await new Promise<void>((r) => closed.listen(0, '127.0.0.1', r));
    const port = (closed.address() as AddressInfo).port;
    await new Promise((r) => closed.close(r));
    const adapter = bank131Factory.create(
      adapterDeps(
        'bank131',
        {
          baseUrl: `http://127.0.0.1:${port}`,
          project: PROJECT,
          privateKeyFile: keys.partnerPrivateKeyFile,
          bankPublicKeyFile: keys.bankPublicKeyFile,
        },
        undefined,
        db,
      ),
    );
    const r = await adapter.submit(cardRequest());
    assert.deepEqual(r, { status: 'not_sent', error: 'session/create: ECONNREFUSED' });
  });
});

describe('lost answers', () => {
  test('start committed but answered too late: unknown, then reconciled by session/status without a second payout', async () => {
    const adapter = makeAdapter({ timeoutMs: 2000 });
    await withReceiver(adapter);
    sim.holdWebhooks();
    const req = cardRequest();
    const created = sim.payoutsCreated;
    sim.commitThenTimeout(4000); // past the adapter's 2 s: room for a loaded machine
    const r = await adapter.submit(req);
    assert.equal(r.status, 'unknown');
    const ref = { orderId: req.orderId, idempotencyKey: req.idempotencyKey };
    // The bank waits for confirmation: status() confirms (we still want it) and reports processing.
    await until('ready_to_confirm state', () => sim.sessionByOrder(req.orderId)?.next_action === 'confirm');
    assert.equal((await adapter.status(ref)).status, 'processing');
    const sessionId = sim.sessionByOrder(req.orderId)!.id;
    await until('paid', () => sim.sessions.get(sessionId)!.status === 'accepted');
    assert.deepEqual(await adapter.status(ref), { status: 'success', providerRef: sessionId, amount: 150000 });
    // Submitting the same attempt again sends nothing: it answers where the payout stands.
    assert.equal((await adapter.submit(req)).status, 'success');
    assert.equal(sim.payoutsCreated, created + 1);
    assert.equal(sim.requests.filter((q) => q.idempotencyKey === req.idempotencyKey).length, 1);
    await sim.releaseWebhooks();
  });

  test('init flow, answer lost: sent again with the same key, the bank refuses the duplicate; the webhook settles it', async () => {
    sim.autoConfirm = true;
    const adapter = makeAdapter({ flow: 'init', timeoutMs: 2000 });
    sim.holdWebhooks();
    const req = cardRequest();
    const created = sim.payoutsCreated;
    sim.commitThenTimeout(4000); // past the adapter's 2 s: room for a loaded machine
    assert.equal((await adapter.submit(req)).status, 'unknown');
    const ref = { orderId: req.orderId, idempotencyKey: req.idempotencyKey };
    assert.equal((await adapter.status(ref)).status, 'resend');
    assert.equal((await adapter.submit(req)).status, 'unknown');
    assert.equal(sim.requests.at(-1)!.answer, 'idempotency_key_already_exists');
    // The bank has it: never sent again; the webhook names the session.
    assert.equal((await adapter.status(ref)).status, 'unknown');
    await withReceiver(adapter);
    await until('payment_finished held', () => sim.heldWebhooks().includes('payment_finished'));
    await sim.releaseWebhooks();
    assert.equal((await adapter.status(ref)).status, 'success');
    assert.equal(sim.payoutsCreated, created + 1);
  });

  test('start lost on the way: the empty session asks for the same start again, same key, same session, paid once', async () => {
    sim.autoConfirm = true;
    const adapter = makeAdapter();
    const req = cardRequest();
    const created = sim.payoutsCreated;
    sim.dropNext();
    assert.equal((await adapter.submit(req)).status, 'unknown');
    const ref = { orderId: req.orderId, idempotencyKey: req.idempotencyKey };
    assert.equal((await adapter.status(ref)).status, 'resend');
    const again = await adapter.submit(req);
    assert.equal(again.status, 'processing');
    const starts = sim.requests.filter((q) => q.path.endsWith('/session/start/payout'));
    assert.deepEqual(
      starts.slice(-2).map((q) => [q.idempotencyKey, q.sessionId, q.answer]),
      [
        [req.idempotencyKey, (again as { providerRef: string }).providerRef, 'dropped'],
        [req.idempotencyKey, (again as { providerRef: string }).providerRef, 'ok'],
      ],
    );
    await until('paid', () => sim.sessionByOrder(req.orderId)?.status === 'accepted');
    assert.equal((await adapter.status(ref)).status, 'success');
    assert.equal(sim.payoutsCreated, created + 1);
  });

  test('init lost on the way: sent again with the same key, paid once', async () => {
    sim.autoConfirm = true;
    const adapter = makeAdapter({ flow: 'init' });
    const req = cardRequest();
    const created = sim.payoutsCreated;
    sim.dropNext();
    assert.equal((await adapter.submit(req)).status, 'unknown');
    const ref = { orderId: req.orderId, idempotencyKey: req.idempotencyKey };
    assert.equal((await adapter.status(ref)).status, 'resend');
    assert.equal((await adapter.submit(req)).status, 'processing');
    await until('paid', () => sim.sessionByOrder(req.orderId)?.status === 'accepted');
    assert.equal((await adapter.status(ref)).status, 'success');
    assert.equal(sim.payoutsCreated, created + 1);
    assert.deepEqual(
      sim.requests.filter((q) => q.idempotencyKey === req.idempotencyKey).map((q) => q.answer),
      ['dropped', 'ok'],
    );
  });

  test('an attempt that never went out is not_found (safe to submit again)', async () => {
    const r = await makeAdapter().status({ orderId: 'po_never', idempotencyKey: 'po_never.1' });
    assert.deepEqual(r, { status: 'not_found' });
  });

  test('session `error` is not final: status is unknown, not failed', async () => {
    sim.holdWebhooks();
    const adapter = makeAdapter();
    const req = cardRequest();
    const sessionId = ((await adapter.submit(req)) as { providerRef: string }).providerRef;
    await until('ready_to_confirm state', () => sim.sessions.get(sessionId)!.next_action === 'confirm');
    sim.setSessionError(sessionId);
    const r = await adapter.status({
      orderId: req.orderId,
      idempotencyKey: req.idempotencyKey,
      providerRef: sessionId,
    });
    assert.equal(r.status, 'unknown');
    await sim.releaseWebhooks();
  });

  test('the bank refuses a reused idempotency key and creates no second payout; the adapter reads that as unknown', async () => {
    const adapter = makeAdapter({ flow: 'init' });
    sim.autoConfirm = true;
    const req = cardRequest();
    assert.equal((await adapter.submit(req)).status, 'processing');
    const created = sim.payoutsCreated;
    // A second adapter with an empty journal (as if ours were lost) sends the same key again.
    const lost = await openTestDb(mkdtempSync(join(tmpdir(), 'bank131-lost-')));
    const r = await makeAdapter({ flow: 'init' }, lost).submit(req);
    await lost.destroy();
    assert.equal(r.status, 'unknown');
    assert.equal(sim.requests.at(-1)!.answer, 'idempotency_key_already_exists');
    assert.equal(sim.payoutsCreated, created);
  });
});

describe('confirmation', () => {
  test('a refused confirm is not counted as confirmed: the bank is asked to resend, the resend confirms', async () => {
    const adapter = makeAdapter();
    const receiver = await withReceiver(adapter);
    const req = cardRequest();
    sim.refuseConfirm('internal_error');
    const sessionId = ((await adapter.submit(req)) as { providerRef: string }).providerRef;
    await until('paid', () => sim.sessions.get(sessionId)!.status === 'accepted');
    await sim.idle();
    assert.deepEqual(
      sim.deliveries.filter((d) => d.sessionId === sessionId).map((d) => [d.type, d.httpStatus]),
      [
        ['ready_to_confirm', 503],
        ['ready_to_confirm', 200],
        ['payment_finished', 200],
      ],
    );
    assert.deepEqual(
      receiver.updates().map((u) => u.outcome.status),
      ['processing', 'success'],
    );
  });

  test('a payout whose withdrawal we asked for is cancelled, never confirmed: by webhook and by status', async () => {
    const adapter = makeAdapter();
    const withdrawing: AdapterHost = {
      payoutStatus: async (ref) => ({ status: 'processing', orderId: ref.orderId!, withdrawRequested: true }),
    };
    const receiver = await startCallbackReceiver(adapter, withdrawing);
    receivers.push(receiver);
    sim.webhookUrl = receiver.callbackUrl;
    const req = cardRequest();
    const sessionId = ((await adapter.submit(req)) as { providerRef: string }).providerRef;
    await until('cancelled', () => sim.sessions.get(sessionId)!.status === 'cancelled');

    sim.holdWebhooks();
    const other = cardRequest();
    const otherSession = ((await adapter.submit(other)) as { providerRef: string }).providerRef;
    await until('waiting for confirmation', () => sim.sessions.get(otherSession)!.next_action === 'confirm');
    const r = await adapter.status({
      orderId: other.orderId,
      idempotencyKey: other.idempotencyKey,
      providerRef: otherSession,
      withdrawRequested: true,
    });
    assert.equal(sim.sessions.get(otherSession)!.status, 'cancelled');
    assert.notEqual(r.status, 'success');
    assert.equal(
      sim.requests.filter(
        (q) => q.path.endsWith('/session/confirm') && [sessionId, otherSession].includes(q.sessionId!),
      ).length,
      0,
    );
    await sim.releaseWebhooks();
  });
});

describe('webhooks', () => {
  test('bad, missing or foreign signatures are refused with 401 and change nothing', async () => {
    // A key of our own, made first: a slow key generation between two requests would
    // outlast the receiver's keep-alive and reset the connection the next one reuses.
    const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const adapter = makeAdapter();
    const receiver = await withReceiver(adapter);
    const body = JSON.stringify({
      type: 'payment_finished',
      session: { id: 'ps_x', status: 'accepted', payments: [{ id: 'po_x', status: 'succeeded', metadata: 'po_x' }] },
    });
    assert.equal(await sim.sendRaw(body, { badSignature: true }), 401);
    const noSig = await fetch(receiver.callbackUrl, {
      method: 'POST',
      body,
      headers: { 'content-type': 'application/json' },
    });
    assert.equal(noSig.status, 401);
    // Signed by us instead of the bank.
    const forged = await fetch(receiver.callbackUrl, {
      method: 'POST',
      body,
      headers: { 'X-PARTNER-SIGN': sign('sha256', Buffer.from(body), privateKey).toString('base64') },
    });
    assert.equal(forged.status, 401);
    assert.deepEqual(receiver.updates(), []);
    // A correctly signed body that is not a webhook: 400.
    assert.equal(await sim.sendRaw('{"hello":1}'), 400);
    assert.equal(await sim.sendRaw(body), 200);
    assert.equal(receiver.updates().length, 1);
  });

  test('a badly signed ready_to_confirm is refused; the bank resends it and the payout goes through', async () => {
    const adapter = makeAdapter();
    const receiver = await withReceiver(adapter);
    sim.signNextWebhookBadly();
    const req = cardRequest();
    const sessionId = ((await adapter.submit(req)) as { providerRef: string }).providerRef;
    await until('success', () => receiver.updates().find((u) => u.outcome.status === 'success'));
    await sim.idle();
    assert.deepEqual(
      sim.deliveries.filter((d) => d.sessionId === sessionId).map((d) => [d.type, d.httpStatus]),
      [
        ['ready_to_confirm', 401],
        ['ready_to_confirm', 200],
        ['payment_finished', 200],
      ],
    );
  });

  test('duplicates carry the same event key; a late ready_to_confirm after the result is ignored', async () => {
    const adapter = makeAdapter();
    const receiver = await withReceiver(adapter);
    sim.duplicateWebhooks = true;
    const req = cardRequest();
    const sessionId = ((await adapter.submit(req)) as { providerRef: string }).providerRef;
    await until('two finished', () => receiver.updates().filter((u) => u.outcome.status === 'success').length === 2);
    const keys = receiver
      .updates()
      .filter((u) => u.outcome.status === 'success')
      .map((u) => u.eventKey);
    assert.equal(new Set(keys).size, 1);
    // Our payout is now settled: a replayed ready_to_confirm neither confirms nor cancels.
    ours.set(req.orderId, 'success');
    // The duplicates' own deliveries and answers end first, so what follows is the replay's doing.
    await sim.idle();
    const before = sim.requests.length;
    const actedOn = (id: string) =>
      sim.requests.slice(before).filter((r) => r.sessionId === id && /confirm|cancel/.test(r.path));
    const replay = JSON.stringify({
      type: 'ready_to_confirm',
      session: {
        id: sessionId,
        status: 'in_progress',
        next_action: 'confirm',
        payments: [{ id: 'po', status: 'pending', metadata: req.orderId }],
      },
    });
    assert.equal(await sim.sendRaw(replay), 200);
    assert.deepEqual(actedOn(sessionId), []);
    assert.equal(sim.sessions.get(sessionId)!.status, 'accepted');
    // A session that is not ours (the project may be shared) is neither confirmed nor cancelled.
    const foreign = JSON.stringify({
      type: 'ready_to_confirm',
      session: {
        id: 'ps_foreign',
        status: 'in_progress',
        next_action: 'confirm',
        payments: [{ id: 'po', status: 'pending', metadata: 'their-order' }],
      },
    });
    assert.equal(await sim.sendRaw(foreign), 200);
    assert.deepEqual(actedOn('ps_foreign'), []);
  });
});

describe('SBP payout', () => {
  test('the bank list comes from fps/banks (a signed GET)', async () => {
    const adapter = makeAdapter() as Bank131Adapter;
    assert.deepEqual((await adapter.sbpBanks())?.[0], { id: '100000000111', nameRu: 'Сбербанк', nameEn: 'Sberbank' });
    const last = sim.requests.at(-1)!;
    assert.deepEqual([last.method, last.path, last.signatureOk], ['GET', '/api/v1/fps/banks', true]);
  });

  test('phone + bank id + description, paid', async () => {
    sim.autoConfirm = true;
    const adapter = makeAdapter();
    const receiver = await withReceiver(adapter);
    const req = cardRequest({
      description: 'Выплата по договору 12 '.repeat(10),
      recipient: { type: 'sbp', phone: '79680000000', bankId: '100000000111' },
    });
    const sessionId = ((await adapter.submit(req)) as { providerRef: string }).providerRef;
    await until('success', () => receiver.updates().find((u) => u.outcome.status === 'success'));
    const method = sim.sessions.get(sessionId)!.payments[0]!.payment_method as any;
    assert.equal(method.bank_account.faster_payment_system.phone, '79680000000');
    assert.equal([...method.bank_account.faster_payment_system.description].length, 140);
  });
});
