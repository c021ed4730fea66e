// Merchants run the seed's own PHP signature check (seed 000, "Code examples for signature
// verification"). Here it runs for real: PHP's built-in web server is the merchant's
// webhook endpoint, the snippet verbatim inside it, and the real service (a child process,
// sandbox provider) delivers webhooks for orderNumbers in many scripts and with quotes,
// slashes and emoji, each payout paid or declined. Every one must verify. PHP comes from
// Debian's php-cli (scripts/ensure-php.sh installs it for `npm test`).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import SQLite from 'better-sqlite3';
import { startServer, tempDataDir, type TestServer } from '../helpers/server.ts';
import { FAST_ENV, post, seedMerchant } from '../helpers/engine.ts';
import { eventually } from '../helpers/eventually.ts';
import { bodySignature } from '../../server/lib/payouts-signature.ts';
import { eventBody, moscowTime } from '../../server/webhooks/payload.ts';
import { FAILURES, type FailureCode } from '../../src/contract/failure.ts';

const PHP = 'php';

// The snippet as the seed prints it, between the markers; around it only what a receiver
// must add: where its secret comes from, and an answer when the check passes.
const RECEIVER = `<?php
$yourSecret = getenv('WEBHOOK_SECRET');
// ---- seed 000 ----
$raw = file_get_contents('php://input');
$normalized = json_encode(json_decode($raw), JSON_UNESCAPED_SLASHES | JSON_UNESCAPED_UNICODE);
$sig = $_SERVER['HTTP_X_PAYOUTS_SIGNATURE'] ?? '';
$expected = 'sha256=' . hash_hmac('sha256', $normalized, $yourSecret);
if (!hash_equals($expected, $sig)) { http_response_code(401); exit; }
// ---- end of seed 000 ----
http_response_code(200);
echo 'verified';
`;

const ORDER_NUMBERS = [
  'ORDER-2025-0001',
  'Заказ-№42',
  'order/2025/07',
  'say "hi"',
  "it's mine",
  'back\\slash',
  '🎁 gift 🎉',
  '<b>&amp;</b>',
  '注文-123',
  'طلب-٧',
  'Ёлка/ё "Ё" 🚀',
  'tab	less', // a tab is a control character: refused, see below
];

let php: ChildProcess;
let hookUrl: string;
let server: TestServer;
let merchant: { token: string; webhookSecret: string };

before(async () => {
  const version = spawnSync(PHP, ['--version'], { encoding: 'utf8' });
  assert.equal(version.status, 0, "PHP is needed (bash scripts/ensure-php.sh installs Debian's php-cli)");
  const dataDir = tempDataDir();
  const port = await freePort();
  hookUrl = `http://127.0.0.1:${port}/hook`;
  merchant = await seedMerchant(dataDir, { webhook: { url: hookUrl, enabled: true, useSignature: true } });
  const router = join(dataDir, 'receiver.php');
  writeFileSync(router, RECEIVER);
  php = spawn(PHP, ['-S', `127.0.0.1:${port}`, router], {
    env: { ...process.env, WEBHOOK_SECRET: merchant.webhookSecret },
    stdio: 'ignore',
  });
  await eventually(
    () =>
      fetch(hookUrl, { method: 'POST', body: '{}' }).then(
        (r) => r.status === 401,
        () => false,
      ),
    15_000,
    'PHP listening',
  );
  server = await startServer({
    dataDir,
    env: { ...FAST_ENV, PAYEE_DEMO: '0' },
    config: { providers: { sandbox: { kind: 'sandbox', delayMs: 0, callbacks: false } } },
  });
});
after(async () => {
  await server?.stop();
  php?.kill();
});

test('the seed PHP snippet verifies every webhook, for every orderNumber that stays allowed', async () => {
  const sent: string[] = [];
  let expected = 0;
  for (const [i, orderNumber] of ORDER_NUMBERS.entries()) {
    const r = await post(server.url, merchant.token, 'performPayout', {
      orderNumber,
      amount: 1000 + i,
      description: `Выплата «${orderNumber}» — 'x' "y" / 🎁`,
      target: { pan: i % 2 ? '4000000000000010' : '4111111111111111' }, // declined: a failure object too
    });
    if (orderNumber.includes('\t')) {
      assert.equal(r.status, 400, 'a control character is refused before any webhook');
      continue;
    }
    assert.equal(r.status, 200, `${orderNumber}: ${JSON.stringify(r.body)}`);
    sent.push(orderNumber);
    expected += i % 2 ? 1 : 2; // failed, or processing then success
  }
  const db = new SQLite(join(server.dataDir, 'payee.sqlite'), { readonly: true });
  try {
    const events = () =>
      db
        .prepare(
          `select p.order_number, e.status, e.state, e.last_http_status, e.payload from webhook_events e
           join payouts p on p.id = e.payout_id order by e.id`,
        )
        .all() as Array<{
        order_number: string;
        status: string;
        state: string;
        last_http_status: number | null;
        payload: string;
      }>;
    await eventually(
      () => events().filter((e) => e.last_http_status !== null).length === expected,
      30_000,
      'first deliveries',
    );
    const all = events();
    assert.deepEqual([...new Set(all.map((e) => e.order_number))].sort(), [...sent].sort());
    assert.ok(
      all.some((e) => JSON.parse(e.payload).payout.failure),
      'failure objects were verified too',
    );
    for (const e of all) assert.equal(e.last_http_status, 200, `${e.order_number} ${e.status}: ${e.payload}`);
    assert.ok(all.every((e) => e.state === 'delivered'));
  } finally {
    db.close();
  }
});

test('the snippet checks for real: every failure reason and a refund verify; a wrong signature or a raw U+2028 does not', async () => {
  const deliver = (body: string, signature = bodySignature(merchant.webhookSecret, body)) =>
    fetch(hookUrl, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', 'X-Payouts-Signature': signature },
      body,
    }).then((r) => r.status);
  const event = (payout: object) =>
    eventBody({
      event: 'payout.status_changed',
      eventId: 'ab'.repeat(16),
      occurredAt: moscowTime(Date.now()),
      payout: { id: 7, externalId: 'Заказ/№7 "А"', status: 'failed', amount: 100, currency: 'RUB', ...payout },
    });
  for (const code of Object.keys(FAILURES) as FailureCode[]) {
    const status = code === 'cancelled' || code === 'session_expired' ? 'cancelled' : 'failed';
    assert.equal(await deliver(event({ status, failure: { code, message: FAILURES[code].message } })), 200, code);
  }
  assert.equal(await deliver(event({ status: 'success', refund: { refundDate: 1757954421 } })), 200);

  const body = event({ status: 'success' });
  assert.equal(await deliver(body, bodySignature('another secret', body)), 401);
  // Why such text is refused: JSON allows U+2028 raw, PHP re-encodes it escaped, the HMACs differ.
  const lineSeparator = event({ status: 'success', externalId: 'A\u2028B' });
  assert.equal(await deliver(lineSeparator), 401);
});

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
    s.on('error', reject);
  });
}
