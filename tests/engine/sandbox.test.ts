// The sandbox provider's documented test data, its options, and the registry that
// builds provider instances from configuration (and stops the start on a bad one).
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { ConfigError } from '../../server/config.ts';
import { createRegistry, FACTORIES } from '../../server/providers/registry.ts';
import { CARD_BEHAVIOUR, PHONE_BEHAVIOUR } from '../../server/providers/sandbox/outcomes.ts';
import type { ProviderAdapter, Recipient, SubmitRequest } from '../../server/providers/types.ts';
import { createLogger } from '../../server/log.ts';
import { luhnValid } from '../../src/contract/card.ts';
import { tempDataDir } from '../helpers/server.ts';
import { startService } from '../helpers/service.ts';
import { ManualClock } from '../helpers/engine.ts';
import { openTestDb } from '../helpers/store.ts';
import type { Db } from '../../server/db/index.ts';

// The sandbox keeps what it received in the service's database.
let db: Db;
before(async () => {
  db = await openTestDb(tempDataDir());
});
after(() => db.destroy());

function registry(providers: Record<string, { kind: string } & Record<string, unknown>>, clock = new ManualClock()) {
  return createRegistry(
    { providers },
    { fetch, log: createLogger('silent'), clock, publicUrl: 'http://localhost:1', dataDir: tempDataDir(), db },
  );
}

let n = 0;
const request = (recipient: Recipient, key?: string): SubmitRequest => {
  const orderId = `po_sbx_${++n}`;
  return {
    orderId,
    idempotencyKey: key ?? `${orderId}.1`,
    amount: 1000,
    currency: 'RUB',
    description: null,
    recipient,
    callbackUrl: 'http://localhost:1/callbacks/sandbox',
  };
};

test('every documented card and phone is valid and leads to its outcome', async () => {
  const clock = new ManualClock();
  const sandbox = registry({ sandbox: { kind: 'sandbox', delayMs: 1000, callbacks: false } }, clock).get('sandbox')!;
  for (const pan of Object.keys(CARD_BEHAVIOUR)) assert.ok(luhnValid(pan), pan);
  const expect: Array<[Recipient, string, string]> = [
    [{ type: 'card', pan: '4111111111111111' }, 'processing', 'success'],
    [{ type: 'card', pan: '2200000000000004' }, 'processing', 'success'],
    [{ type: 'card', pan: '5555555555554444' }, 'processing', 'success'],
    [{ type: 'card', pan: '4000000000000002' }, 'failed:insufficient_funds', 'failed:insufficient_funds'],
    [{ type: 'card', pan: '4000000000000010' }, 'failed:card_declined', 'failed:card_declined'],
    [{ type: 'card', pan: '4000000000000028' }, 'processing', 'processing'],
    [{ type: 'card', pan: '4000000000000036' }, 'unknown', 'success'],
    [{ type: 'card', pan: '4000000000000044' }, 'unknown', 'not_found'],
    [{ type: 'card', pan: '4000000000000051' }, 'processing', 'failed:limit_exceeded'],
    [{ type: 'sbp', phone: '79000000001', bankId: '100000000111' }, 'processing', 'success'],
    [
      { type: 'sbp', phone: '79000000002', bankId: '100000000111' },
      'failed:recipient_not_found',
      'failed:recipient_not_found',
    ],
    [{ type: 'sbp', phone: '79000000003', bankId: '100000000111' }, 'processing', 'processing'],
    [{ type: 'sbp', phone: '79000000004', bankId: '100000000111' }, 'unknown', 'success'],
    [{ type: 'sbp', phone: '79000000005', bankId: '100000000111' }, 'processing', 'failed:bank_rejected'],
    [{ type: 'sbp', phone: '79161234567', bankId: '100000000111' }, 'processing', 'success'],
  ];
  assert.equal(expect.filter(([r]) => r.type === 'sbp').length - 1, Object.keys(PHONE_BEHAVIOUR).length);
  const show = (r: { status: string; code?: string }) => (r.code ? `${r.status}:${r.code}` : r.status);
  for (const [recipient, atSubmit, afterDelay] of expect) {
    const req = request(recipient);
    assert.equal(show((await sandbox.submit(req)) as never), atSubmit, JSON.stringify(recipient));
    clock.advance(1000);
    assert.equal(
      show((await sandbox.status({ orderId: req.orderId, idempotencyKey: req.idempotencyKey })) as never),
      afterDelay,
      JSON.stringify(recipient),
    );
  }
});

test('the lost request is accepted on the next attempt; a repeated key is never a second payout', async () => {
  const sandbox = registry({ sandbox: { kind: 'sandbox', delayMs: 0, callbacks: false } }).get('sandbox')!;
  const first = request({ type: 'card', pan: '4000000000000044' });
  assert.equal((await sandbox.submit(first)).status, 'unknown');
  const second = { ...first, idempotencyKey: `${first.orderId}.2` };
  assert.equal((await sandbox.submit(second)).status, 'success');
  const again = await sandbox.submit(second);
  const status = await sandbox.status(second);
  assert.equal(again.status, 'success');
  assert.equal((again as { providerRef?: string }).providerRef, (status as { providerRef?: string }).providerRef);
});

test('options: capabilities follow them; requireFullName refuses a nameless recipient', async () => {
  const reg = registry({
    plain: { kind: 'sandbox' },
    named: { kind: 'sandbox', requireFullName: true, delayMs: 0, callbacks: false },
  });
  const plain = reg.get('plain')!;
  assert.deepEqual([...plain.capabilities.methods], ['card', 'sbp']);
  assert.deepEqual([plain.capabilities.minAmount, plain.capabilities.maxAmount], [1, 99_999_999_999]);
  assert.deepEqual(plain.capabilities.requiredFields, {});
  const named: ProviderAdapter = reg.get('named')!;
  assert.deepEqual(named.capabilities.requiredFields, { card: ['fullName'], sbp: ['fullName'] });
  assert.deepEqual(await named.submit(request({ type: 'card', pan: '4111111111111111' })), {
    status: 'failed',
    code: 'invalid_recipient',
    message: 'recipient full name is required',
  });
  assert.equal(
    (await named.submit(request({ type: 'card', pan: '4111111111111111', fullName: 'Ivan Petrov' }))).status,
    'success',
  );
  assert.deepEqual(
    reg.all().map((a) => a.instance),
    ['plain', 'named'],
  );
  assert.equal(reg.get('nope'), undefined);
});

test('a bad provider configuration is refused with a message that names it', () => {
  assert.ok(FACTORIES.sandbox);
  assert.throws(
    () => registry({ x: { kind: 'nosuch' } }),
    (e) => e instanceof ConfigError && /provider "x": unknown kind "nosuch" \(known: .*sandbox/.test(e.message),
  );
  assert.throws(
    () => registry({ sbx: { kind: 'sandbox', delayMs: -1 } }),
    /provider "sbx" \(sandbox\): options\.delayMs: must be ≥ 0/,
  );
  assert.throws(() => registry({ sbx: { kind: 'sandbox', delay: 5 } }), /provider "sbx" \(sandbox\): options\.delay: /);
  assert.throws(
    () => registry({ sbx: { kind: 'sandbox', requireFullName: 'yes' } }),
    /options\.requireFullName: must be true or false/,
  );
});

test('the service does not start with a bad provider option', async () => {
  await assert.rejects(
    startService({ providers: { sandbox: { kind: 'sandbox', delayMs: 'slow' } } }),
    (err: Error) => err instanceof ConfigError && /^provider "sandbox" \(sandbox\): options\.delayMs/.test(err.message),
  );
});
