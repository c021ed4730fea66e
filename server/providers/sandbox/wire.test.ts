import { test } from 'node:test';
import assert from 'node:assert/strict';
import { callbackBody, callbackOutcome, outcomeOf, type Received } from './wire.ts';

const row = (behaviour: object): Received => ({
  idempotency_key: 'po_1.1',
  order_id: 'po_1',
  ref: 'sbx_1',
  behaviour: JSON.stringify(behaviour),
  amount: 700,
  created_at: 1000,
});

test('processing for the delay, then the outcome the test data chose, with the amount echoed', () => {
  assert.deepEqual(outcomeOf(row({ kind: 'success' }), 1500, 1000), {
    status: 'processing',
    providerRef: 'sbx_1',
    amount: 700,
  });
  assert.equal(outcomeOf(row({ kind: 'success' }), 2000, 1000).status, 'success');
  assert.equal(outcomeOf(row({ kind: 'stuck' }), 1e9, 1000).status, 'processing');
  const failed = outcomeOf(row({ kind: 'fail_later', code: 'limit_exceeded' }), 2000, 1000);
  assert.deepEqual(failed, { status: 'failed', code: 'limit_exceeded', providerRef: 'sbx_1', amount: 700 });
});

test('the callback says what status() says', () => {
  const r = row({ kind: 'fail_later', code: 'bank_rejected' });
  assert.deepEqual(callbackOutcome(JSON.parse(callbackBody(r, { kind: 'fail_later', code: 'bank_rejected' }))), {
    status: 'failed',
    code: 'bank_rejected',
    providerRef: 'sbx_1',
    amount: 700,
  });
});
