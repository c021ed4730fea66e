// Bank 131 adapter pieces without the network: the RSA signature round trip, the
// options, the payout request shapes and the error-code mapping.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createPrivateKey, createPublicKey, generateKeyPairSync, verify } from 'node:crypto';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { signBody, verifyBody } from '../../server/providers/bank131/signature.ts';
import { loadSettings } from '../../server/providers/bank131/options.ts';
import { clip, payoutFields, viewSession } from '../../server/providers/bank131/wire.ts';
import { failureCode } from '../../server/providers/bank131/errors.ts';
import { writeBank131Keys } from '../simulators/bank131.ts';

const readPem = (file: string) => readFileSync(file, 'utf8');
const dir = mkdtempSync(join(tmpdir(), 'bank131-unit-'));
const keys = writeBank131Keys(dir);
const ours = createPrivateKey(readPem(keys.partnerPrivateKeyFile));
const oursPublic = createPublicKey(keys.partnerPublicKeyPem);

// The payment_finished webhook body from the bank's single-request payout page, byte for byte.
const KNOWN_BODY =
  '{"type":"payment_finished","session":{"id":"ps_3230","status":"accepted","created_at":"2025-05-27T02:03:00.000000Z","updated_at":"2025-05-27T02:03:00.000000Z","payments":[{"id":"po_2025","status":"succeeded","created_at":"2012505-27T02:03:00.000000Z","payment_method":{"type":"card","card":{"last4":"4940","brand":"mir","bin":"220024","country_iso3":"RUS"}},"participant_details":{"recipient":{"full_name":"Ivanov Ivan Ivanovich"}},"amount_details":{"amount":10000,"currency":"rub"},"metadata":"good"}]}}';

test('our X-PARTNER-SIGN is RSA-SHA256 over the exact body, Base64, verifiable with node:crypto', () => {
  const sig = signBody(KNOWN_BODY, ours);
  assert.match(sig, /^[A-Za-z0-9+/]+={0,2}$/);
  assert.equal(Buffer.from(sig, 'base64').length, 256, '2048-bit key → 256-byte signature');
  assert.equal(verify('sha256', Buffer.from(KNOWN_BODY), keys.partnerPublicKeyPem, Buffer.from(sig, 'base64')), true);
  // PKCS#1 v1.5 is deterministic: the same bytes always give the same signature.
  assert.equal(signBody(KNOWN_BODY, ours), sig);
  assert.equal(verifyBody(KNOWN_BODY, sig, oursPublic), true);
});

test('a signature covers those bytes only: re-serialized JSON, one changed byte or another key fail', () => {
  const sig = signBody(KNOWN_BODY, ours);
  const reserialized = JSON.stringify(JSON.parse(KNOWN_BODY), null, 1);
  assert.equal(verifyBody(reserialized, sig, oursPublic), false);
  assert.equal(verifyBody(KNOWN_BODY.replace('10000', '10001'), sig, oursPublic), false);
  const other = generateKeyPairSync('rsa', { modulusLength: 2048 });
  assert.equal(verifyBody(KNOWN_BODY, signBody(KNOWN_BODY, other.privateKey), oursPublic), false);
  for (const bad of [null, '', 'not base64!', 'AAAA', sig.slice(0, -8)])
    assert.equal(verifyBody(KNOWN_BODY, bad, oursPublic), false, String(bad));
});

test('a non-ASCII body is signed as its UTF-8 bytes', () => {
  const body = JSON.stringify({ description: 'Выплата по договору №12' });
  const sig = signBody(body, ours);
  assert.equal(verify('sha256', Buffer.from(body, 'utf8'), keys.partnerPublicKeyPem, Buffer.from(sig, 'base64')), true);
});

const base = {
  baseUrl: 'https://demo.bank131.ru',
  project: 'shop',
  privateKeyFile: keys.partnerPrivateKeyFile,
  bankPublicKeyFile: keys.bankPublicKeyFile,
};

test('options: defaults, keys from files or environment variables', () => {
  const s = loadSettings(base);
  assert.equal(s.flow, 'create_start');
  assert.equal(s.timeoutMs, 15_000);
  assert.equal(s.privateKey.asymmetricKeyType, 'rsa');
  const env = { OUR_KEY: readPem(keys.partnerPrivateKeyFile), BANK_KEY: readPem(keys.bankPublicKeyFile) };
  const fromEnv = loadSettings(
    {
      baseUrl: 'https://proxy.bank131.ru/',
      project: 'p',
      privateKeyEnv: 'OUR_KEY',
      bankPublicKeyEnv: 'BANK_KEY',
      flow: 'init',
    },
    env,
  );
  assert.equal(fromEnv.baseUrl, 'https://proxy.bank131.ru');
  assert.equal(fromEnv.flow, 'init');
});

test('options: each wrong option is named', () => {
  const cases: Array<[Record<string, unknown>, RegExp]> = [
    [{ ...base, project: undefined }, /options\.project/],
    [{ ...base, baseUrl: 'demo.bank131.ru' }, /options\.baseUrl/],
    [{ ...base, flow: 'two_step' }, /options\.flow/],
    [{ ...base, timeoutMs: 5 }, /options\.timeoutMs/],
    [{ ...base, privateKeyEnv: 'X' }, /exactly one of privateKeyFile or privateKeyEnv/],
    [{ ...base, bankPublicKeyFile: undefined }, /exactly one of bankPublicKeyFile or bankPublicKeyEnv/],
    [{ ...base, privateKeyFile: join(dir, 'missing.pem') }, /options\.privateKeyFile: cannot read/],
    [{ ...base, apiKey: 'x' }, /options\.apiKey/],
  ];
  for (const [opts, message] of cases) assert.throws(() => loadSettings(opts, {}), message, JSON.stringify(opts));
  assert.throws(
    () => loadSettings({ ...base, privateKeyFile: undefined, privateKeyEnv: 'NOPE' }, {}),
    /NOPE is not set/,
  );

  const weak = join(dir, 'weak.pem');
  writeFileSync(
    weak,
    generateKeyPairSync('rsa', { modulusLength: 1024 }).privateKey.export({ type: 'pkcs8', format: 'pem' }),
  );
  assert.throws(() => loadSettings({ ...base, privateKeyFile: weak }), /at least 2048 bits/);
  const ec = join(dir, 'ec.pem');
  writeFileSync(
    ec,
    generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey.export({ type: 'pkcs8', format: 'pem' }),
  );
  assert.throws(() => loadSettings({ ...base, privateKeyFile: ec }), /must be an RSA key/);
});

const req = {
  orderId: 'po_1',
  idempotencyKey: 'k1',
  amount: 10000,
  currency: 'RUB' as const,
  description: null,
  callbackUrl: 'http://x',
};

test('card payout: open number, passport name, kopecks, our order id as metadata', () => {
  const body = payoutFields(
    { ...req, recipient: { type: 'card', pan: '2200 0000 0000 0004', fullName: '  Ivanov  Ivan Ivanovich ' } },
    'Payout {orderId}',
  );
  assert.deepEqual(body, {
    payment_method: { type: 'card', card: { type: 'bank_card', bank_card: { number: '2200000000000004' } } },
    amount_details: { amount: 10000, currency: 'rub' },
    metadata: 'po_1',
    participant_details: { recipient: { full_name: 'Ivanov Ivan Ivanovich' } },
  });
  assert.ok('invalid' in payoutFields({ ...req, recipient: { type: 'card', pan: '2200000000000004' } }, ''));
});

test('SBP payout: phone without +, bank id, description of at most 140 characters', () => {
  const body = payoutFields(
    { ...req, description: 'Я'.repeat(200), recipient: { type: 'sbp', phone: '79680000000', bankId: '100000000069' } },
    'x',
  ) as any;
  assert.equal(body.payment_method.type, 'bank_account');
  const fps = body.payment_method.bank_account.faster_payment_system;
  assert.equal(fps.phone, '79680000000');
  assert.equal(fps.bank_id, '100000000069');
  assert.equal([...fps.description].length, 140);
  const dflt = payoutFields(
    { ...req, recipient: { type: 'sbp', phone: '79680000000', bankId: '100000000069' } },
    'Payout {orderId}',
  ) as any;
  assert.equal(dflt.payment_method.bank_account.faster_payment_system.description, 'Payout po_1');
  assert.equal(clip('😀😀😀', 2), '😀😀');
});

test('bank error codes: known ones mapped, unknown ones a generic failure', () => {
  assert.equal(failureCode('insufficient_funds'), 'insufficient_funds');
  assert.equal(failureCode('card_number_does_not_exist'), 'invalid_card');
  assert.equal(failureCode('declined_by_issuer_bank'), 'card_declined');
  assert.equal(failureCode('provider_exceeds_amount_limit'), 'limit_exceeded');
  assert.equal(failureCode('something_new_tomorrow'), 'provider_error');
  assert.equal(failureCode('toString'), 'provider_error');
  assert.equal(failureCode(undefined), 'provider_error');
});

test('sessions: `error` is not final, cancelled by us is cancelled, refunds win', () => {
  const s = (over: object) => ({ id: 'ps_1', status: 'in_progress', ...over });
  assert.equal(viewSession(s({ status: 'error', error: { code: 'internal_error' } })).view.status, 'unknown');
  assert.equal(viewSession(s({ status: 'created', payments: [] })).view.status, 'empty');
  assert.equal(
    viewSession(s({ next_action: 'confirm', payments: [{ id: 'po', status: 'pending' }] })).needsConfirm,
    true,
  );
  assert.deepEqual(viewSession(s({ status: 'cancelled', error: { code: 'session_cancelled_by_partner' } })).view, {
    status: 'cancelled',
    code: 'cancelled',
    providerRef: 'ps_1',
  });
  assert.deepEqual(
    viewSession(s({ status: 'cancelled', error: { code: 'confirm_timeout', description: 'late' } })).view,
    { status: 'failed', code: 'confirm_timeout', message: 'late', providerRef: 'ps_1' },
  );
  assert.equal(
    viewSession(
      s({
        status: 'accepted',
        payments: [{ id: 'po', status: 'succeeded', refunds: [{ id: 'rf', status: 'accepted' }] }],
      }),
    ).view.status,
    'refunded',
  );
  assert.equal(viewSession(s({ status: 'mystery' })).view.status, 'unknown');
});
