import { test } from 'node:test';
import assert from 'node:assert/strict';
import { callbackKindOf, readCallback, readCreateAnswer, readStatusAnswer, sameOrigin } from './wire.ts';

test('create answers: only a refusal in words fails; 401/403/429/5xx, no id, duplicates and garbage are unknown', () => {
  const accepted = { internal_transaction_id: 'tx_1', fiat_amount: '1500.00', reject_callback_url: 'https://g/r/' };
  assert.deepEqual(readCreateAnswer(200, accepted, ''), {
    status: 'processing',
    providerRef: 'tx_1',
    amount: 150000,
    rejectUrl: 'https://g/r/',
  });
  assert.equal(readCreateAnswer(400, { error: 'low balance' }, '').status, 'failed');
  for (const [status, body] of [
    [401, { error: 'api key not found' }],
    [403, {}],
    [429, {}],
    [502, {}],
    [200, { fiat_amount: '1500.00' }],
    [200, 'not json'],
    [400, { error: 'order_id already exists' }],
    [200, { internal_transaction_id: 'tx_1', fiat_amount: '15,00' }],
  ] as const)
    assert.equal(readCreateAnswer(status, body, '').status, 'unknown', `${status} ${JSON.stringify(body)}`);
});

test('status answers: never "not found", whatever the gateway says; amounts and ids read', () => {
  const ok = { ok: true, order_id: 'po_1', status: 'successful', fiat_amount: '1500.10' };
  assert.deepEqual(readStatusAnswer(200, ok, 'po_1', 'tx_1'), {
    status: 'success',
    providerRef: 'tx_1',
    amount: 150010,
  });
  assert.equal(readStatusAnswer(200, { ...ok, order_id: 'po_2' }, 'po_1').status, 'unknown');
  assert.equal(readStatusAnswer(200, { ...ok, status: 'expectation' }, 'po_1').status, 'processing');
  for (const [status, body] of [
    [404, { error: 'not found' }],
    [400, { error: 'Order not found' }],
    [401, { error: 'api key not found' }],
    [400, { error: 'API key not found' }],
    [403, {}],
    [500, {}],
    [200, { ok: false, error: 'x' }],
  ] as const) {
    const r = readStatusAnswer(status, body, 'po_1');
    assert.equal(r.status, 'unknown', `${status} ${JSON.stringify(body)}`);
  }
  assert.match((readStatusAnswer(401, { error: 'api key not found' }, 'po_1') as { error: string }).error, /X-Api-Key/);
});

test('callbacks: the claim with its amount; each status belongs at one URL', () => {
  assert.deepEqual(readCallback({ order_id: 'po_1', status: 'rejected_merchant', fiat_amount: '10.00' }), {
    orderId: 'po_1',
    status: 'rejected_merchant',
    outcome: { status: 'cancelled', code: 'rejected_merchant', amount: 1000 },
  });
  assert.ok('invalid' in readCallback({ order_id: 'po_1', status: 'paid' }));
  assert.ok('invalid' in readCallback({ order_id: 'po_1', status: 'successful', fiat_amount: 'ten' }));
  assert.equal(callbackKindOf('successful'), 'success');
  assert.equal(callbackKindOf('rejected_gate'), 'error');
  assert.equal(callbackKindOf('expectation'), undefined);
});

test('a reject URL on another origin is not used: it would receive our API key', () => {
  assert.equal(sameOrigin('https://gw.example/x/?id=1', 'https://gw.example'), 'https://gw.example/x/?id=1');
  assert.equal(sameOrigin('https://evil.example/x/', 'https://gw.example'), undefined);
  assert.equal(sameOrigin('not a url', 'https://gw.example'), undefined);
});
