// Merchant webhooks against a real local receiver: the body and both signatures as
// documented (checked with the Quantum-compatible Node snippet and the published test
// vector), the retry schedule walked with a controllable clock, giving up, redelivery
// by command, and a restart in the middle of the schedule.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHmac, timingSafeEqual } from 'node:crypto';
import { execFile } from 'node:child_process';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { openTestDb, storeEnv } from '../helpers/store.ts';
import { bodySignature, timestampedSignature, verifyTimestamped } from '../../server/lib/payouts-signature.ts';
import { eventBody, moscowTime } from '../../server/webhooks/payload.ts';
import { RETRY_SCHEDULE_SECS } from '../../server/webhooks/deliver.ts';
import { startServer, tempDataDir, writeClockOffset } from '../helpers/server.ts';
import { FAST_ENV, ManualClock, post, seedMerchant, webhookReceiver, SERVICE_ENV } from '../helpers/engine.ts';
import { eventually } from '../helpers/eventually.ts';
import { startService } from '../helpers/service.ts';

const SANDBOX_NOW = { sandbox: { kind: 'sandbox', delayMs: 0, callbacks: false } };
const ROOT = resolve(import.meta.dirname, '../..');

const SEED_BODY =
  '{"event":"payout.status_changed","eventId":"2f4b1b0a0c2a4d32b2b0c9d311e7e59b","occurredAt":"2025-09-15T19:40:21+03:00","payout":{"id":123456,"externalId":"ORDER-2025-0001","status":"success","amount":150000,"currency":"RUB"}}';

/** The verification snippet merchants already run (Quantum Payouts documentation), verbatim in spirit. */
function seedSnippetAccepts(rawBody: string, signature: string, secret: string): boolean {
  const normalized = JSON.stringify(JSON.parse(rawBody));
  const expected = 'sha256=' + createHmac('sha256', secret).update(normalized).digest('hex');
  return expected.length === signature.length && timingSafeEqual(Buffer.from(expected), Buffer.from(signature));
}

/** The README's snippet for X-Payouts-Signature-V2. */
function v2SnippetAccepts(rawBody: string, header: string, secret: string, toleranceSecs = 300): boolean {
  const parts = Object.fromEntries(header.split(',').map((p) => p.split('=') as [string, string]));
  const t = Number(parts.t);
  if (!t || Math.abs(Date.now() / 1000 - t) > toleranceSecs) return false;
  const expected = createHmac('sha256', secret).update(`${parts.t}.${rawBody}`).digest('hex');
  return expected.length === (parts.v1 ?? '').length && timingSafeEqual(Buffer.from(expected), Buffer.from(parts.v1!));
}

test('the published test vector: body signature of the documented example', () => {
  const body = eventBody({
    event: 'payout.status_changed',
    eventId: '2f4b1b0a0c2a4d32b2b0c9d311e7e59b',
    occurredAt: moscowTime(Date.parse('2025-09-15T16:40:21Z')),
    payout: { id: 123456, externalId: 'ORDER-2025-0001', status: 'success', amount: 150000, currency: 'RUB' },
  });
  assert.equal(body, SEED_BODY);
  const secret = 'sk_test_1234567890abcdef1234567890abcdef12345678';
  assert.equal(bodySignature(secret, body), 'sha256=42498ace54edf22484596b6e88e7cbc11fa014783d47363b4786a58318a6044e');
  assert.ok(seedSnippetAccepts(body, bodySignature(secret, body), secret));
  assert.ok(!seedSnippetAccepts(body, bodySignature('another secret', body), secret));
});

test('the timestamped signature covers time and body, and refuses replays', () => {
  const secret = 'whsec_test';
  const now = Math.floor(Date.now() / 1000);
  const header = timestampedSignature(secret, SEED_BODY, now);
  assert.match(header, /^t=\d+,v1=[0-9a-f]{64}$/);
  assert.ok(verifyTimestamped(secret, SEED_BODY, header, now));
  assert.ok(v2SnippetAccepts(SEED_BODY, header, secret));
  assert.ok(!verifyTimestamped(secret, SEED_BODY, header, now + 301), 'an old signature is refused');
  assert.ok(!verifyTimestamped(secret, SEED_BODY.replace('150000', '150001'), header, now));
  assert.ok(!verifyTimestamped(secret, SEED_BODY, header.replace(`t=${now}`, `t=${now + 1}`), now));
  assert.ok(!v2SnippetAccepts(SEED_BODY, timestampedSignature(secret, SEED_BODY, now - 3600), secret));
});

test('every status change reaches the merchant, signed both ways, with the documented payload', async () => {
  const receiver = await webhookReceiver();
  const dataDir = tempDataDir();
  const m = await seedMerchant(dataDir, { webhook: { url: receiver.url, enabled: true, useSignature: true } });
  const svc = await startService({ env: SERVICE_ENV, dataDir, providers: SANDBOX_NOW });
  try {
    const r = await post(svc.url, m.token, 'performPayout', {
      orderNumber: 'WH-1',
      amount: 150000,
      description: 'x',
      target: { pan: '4111111111111111' },
    });
    assert.equal(r.status, 200);
    await receiver.until((got) => got.length >= 2);
    const statuses = receiver.received.map((x) => JSON.parse(x.body).payout.status);
    assert.deepEqual(statuses, ['processing', 'success']);
    for (const { headers, body } of receiver.received) {
      assert.equal(headers['content-type'], 'application/json');
      assert.equal(headers['x-payouts-event'], 'payout.status_changed');
      const event = JSON.parse(body);
      assert.equal(body, JSON.stringify(event), 'the body is minified JSON');
      assert.deepEqual(Object.keys(event), ['event', 'eventId', 'occurredAt', 'payout']);
      assert.match(event.eventId, /^[0-9a-f]{32}$/);
      assert.equal(headers['x-payouts-event-id'], event.eventId);
      assert.match(event.occurredAt, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+03:00$/);
      assert.ok(Math.abs(Date.parse(event.occurredAt) - Date.now()) < 60_000);
      assert.deepEqual(
        { ...event.payout, status: undefined },
        { id: event.payout.id, externalId: 'WH-1', status: undefined, amount: 150000, currency: 'RUB' },
      );
      assert.equal(typeof event.payout.id, 'number');
      assert.match(String(headers['x-payouts-timestamp']), /^\d{10}$/);
      assert.ok(seedSnippetAccepts(body, String(headers['x-payouts-signature']), m.webhookSecret));
      assert.ok(!seedSnippetAccepts(body, String(headers['x-payouts-signature']), 'whsec_wrong'));
      const v2 = String(headers['x-payouts-signature-v2']);
      assert.ok(v2.startsWith(`t=${headers['x-payouts-timestamp']},`));
      assert.ok(v2SnippetAccepts(body, v2, m.webhookSecret));
    }
  } finally {
    await svc.close();
    await receiver.close();
  }
});

test('unsigned webhooks carry no signature headers', async () => {
  const receiver = await webhookReceiver();
  const dataDir = tempDataDir();
  const m = await seedMerchant(dataDir, { webhook: { url: receiver.url, enabled: true, useSignature: false } });
  const svc = await startService({ env: SERVICE_ENV, dataDir, providers: SANDBOX_NOW });
  try {
    await post(svc.url, m.token, 'performPayout', {
      orderNumber: 'WH-U',
      amount: 100,
      description: 'x',
      target: { pan: '4111111111111111' },
    });
    await receiver.until((got) => got.length >= 1);
    assert.equal(receiver.received[0]!.headers['x-payouts-signature'], undefined);
    assert.equal(receiver.received[0]!.headers['x-payouts-signature-v2'], undefined);
    assert.ok(receiver.received[0]!.headers['x-payouts-event-id']);
  } finally {
    await svc.close();
    await receiver.close();
  }
});

test('the schedule is the documented one', () => {
  assert.deepEqual(RETRY_SCHEDULE_SECS, [0, 15, 30, 60, 300, 900, 1800, 3600, 7200, 10800]);
});

test('a failing receiver gets retries on the schedule, same event each time, later events wait their turn', async () => {
  const FAILS = 5;
  const receiver = await webhookReceiver((n) => (n <= FAILS ? 503 : 200));
  const dataDir = tempDataDir();
  const clock = new ManualClock();
  const m = await seedMerchant(dataDir, { webhook: { url: receiver.url, enabled: true, useSignature: true } });
  const svc = await startService({ env: SERVICE_ENV, dataDir, providers: SANDBOX_NOW, clock });
  try {
    const t0 = clock.now();
    await post(svc.url, m.token, 'performPayout', {
      orderNumber: 'WH-R',
      amount: 100,
      description: 'x',
      target: { pan: '4111111111111111' },
    });
    await receiver.until((got) => got.length === 1);
    for (let i = 1; i <= FAILS; i++) {
      clock.advance(RETRY_SCHEDULE_SECS[i]! * 1000 - 1);
      await new Promise((r) => setTimeout(r, 200)); // a few ticks: not due yet
      assert.equal(receiver.received.length, i, `attempt ${i + 1} waits for its time`);
      clock.advance(1);
      await receiver.until((got) => got.length === i + 1);
    }
    // The 6th attempt succeeded; the `success` event, held back meanwhile, follows.
    await receiver.until((got) => got.length === FAILS + 2);
    const bodies = receiver.received.map((r) => r.body);
    assert.equal(new Set(bodies.slice(0, FAILS + 1)).size, 1, 'the same body on every retry');
    assert.equal(new Set(receiver.received.slice(0, FAILS + 1).map((r) => r.headers['x-payouts-event-id'])).size, 1);
    assert.deepEqual(
      bodies.map((b) => JSON.parse(b).payout.status),
      [...Array(FAILS + 1).fill('processing'), 'success'],
    );

    const db = svc.services.db;
    const attempts = await db.selectFrom('webhook_attempts').selectAll().orderBy('id').execute();
    const first = attempts.filter((a) => a.event_row_id === attempts[0]!.event_row_id);
    assert.deepEqual(
      first.map((a) => a.http_status),
      [503, 503, 503, 503, 503, 200],
    );
    // Seconds after the change: 0, +15, +30, +60, +5 min, +15 min.
    assert.deepEqual(
      first.map((a) => (a.at - t0) / 1000),
      [0, 15, 45, 105, 405, 1305],
    );
  } finally {
    await svc.close();
    await receiver.close();
  }
});

test('after the last retry the event is failed; the redeliver command sends it again', async () => {
  let healthy = false;
  const receiver = await webhookReceiver(() => (healthy ? 204 : 500));
  const dataDir = tempDataDir();
  const clock = new ManualClock();
  const m = await seedMerchant(dataDir, { webhook: { url: receiver.url, enabled: true, useSignature: true } });
  const svc = await startService({ env: SERVICE_ENV, dataDir, providers: SANDBOX_NOW, clock });
  try {
    await post(svc.url, m.token, 'performPayout', {
      orderNumber: 'WH-F',
      amount: 100,
      description: 'x',
      target: { pan: '4000000000000028' },
    });
    for (let i = 0; i < RETRY_SCHEDULE_SECS.length; i++) {
      clock.advance(RETRY_SCHEDULE_SECS[i]! * 1000);
      await receiver.until((got) => got.length === i + 1);
    }
    const db = svc.services.db;
    const event = await eventually(
      async () => {
        const e = await db.selectFrom('webhook_events').selectAll().executeTakeFirstOrThrow();
        return e.state === 'failed' ? e : undefined;
      },
      5000,
      'event marked failed',
    );
    assert.equal(event.attempts, 10);
    clock.advance(24 * 3600_000);
    await new Promise((r) => setTimeout(r, 200));
    assert.equal(receiver.received.length, 10, 'no 11th attempt on its own');

    const cli = (args: string[]) =>
      promisify(execFile)(process.execPath, ['--import', 'tsx', 'server/cli/webhooks.ts', ...args], {
        cwd: ROOT,
        env: { ...process.env, DATA_DIR: dataDir, ...storeVars },
      });
    const storeVars = await storeEnv(dataDir);
    const listed = await cli(['list', '--state', 'failed']);
    assert.match(
      listed.stdout,
      new RegExp(`${event.event_id} .* order=WH-F status=processing failed attempts=10 last=500`),
    );
    healthy = true;
    assert.match((await cli(['redeliver', event.event_id])).stdout, /queued for redelivery/);
    await receiver.until((got) => got.length === 11);
    assert.equal(receiver.received[10]!.body, event.payload);
    await eventually(
      async () =>
        (await db.selectFrom('webhook_events').select('state').executeTakeFirstOrThrow()).state === 'delivered',
      5000,
      'delivered',
    );
    const shown = await cli(['show', event.event_id]);
    assert.match(shown.stdout, /#1 .* → 204/);
    await assert.rejects(cli(['redeliver', 'nothex']), /EVENT_ID must be 32 hex characters/);
  } finally {
    await svc.close();
    await receiver.close();
  }
});

test('a restart in the middle of the schedule resumes it where it was', async () => {
  const receiver = await webhookReceiver((n) => (n <= 2 ? 500 : 200));
  const dataDir = tempDataDir();
  const offsetFile = join(dataDir, 'clock-offset');
  writeClockOffset(offsetFile, 0);
  const m = await seedMerchant(dataDir, { webhook: { url: receiver.url, enabled: true, useSignature: true } });
  const env = { ...FAST_ENV, PAYEE_CLOCK_OFFSET_FILE: offsetFile, PAYEE_DEMO: '0' };
  const config = { providers: { sandbox: { kind: 'sandbox', delayMs: 3_600_000, callbacks: false } } };
  let server = await startServer({ dataDir, env, config });
  try {
    const r = await post(server.url, m.token, 'performPayout', {
      orderNumber: 'WH-S',
      amount: 100,
      description: 'x',
      target: { pan: '4111111111111111' },
    });
    assert.equal(r.body.orderStatus, 'processing');
    await receiver.until((got) => got.length === 1);
    // Killed once the attempt is on record (a kill between the receiver's answer and
    // that record would send attempt 1 again: at-least-once, which receivers dedupe by eventId).
    await eventually(() => server.output().includes('webhook attempt failed'), 5000, 'attempt recorded');
    await server.kill();
    // The service's clock held back while it restarts: a restart slower than 15 s on a
    // loaded machine must not make the next attempt due by itself.
    writeClockOffset(offsetFile, -600_000);

    server = await startServer({ dataDir, env, config });
    await new Promise((r) => setTimeout(r, 300));
    assert.equal(receiver.received.length, 1, 'the 15 s wait is not reset or skipped by the restart');
    writeClockOffset(offsetFile, 15_000);
    await receiver.until((got) => got.length === 2);
    await server.stop();

    writeClockOffset(offsetFile, 15_000 + 30_000);
    server = await startServer({ dataDir, env, config });
    await receiver.until((got) => got.length === 3);
    await server.stop();
    assert.equal(new Set(receiver.received.map((x) => x.headers['x-payouts-event-id'])).size, 1);

    const db = await openTestDb(dataDir);
    try {
      const e = await db.selectFrom('webhook_events').selectAll().executeTakeFirstOrThrow();
      assert.equal(e.state, 'delivered');
      const attempts = await db
        .selectFrom('webhook_attempts')
        .selectAll()
        .where('event_row_id', '=', e.id)
        .orderBy('id')
        .execute();
      assert.deepEqual(
        attempts.map((a) => [a.attempt_no, a.http_status]),
        [
          [1, 500],
          [2, 500],
          [3, 200],
        ],
      );
    } finally {
      await db.destroy();
    }
  } finally {
    await server.kill();
    await receiver.close();
  }
});
