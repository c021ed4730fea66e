import { test } from 'node:test';
import assert from 'node:assert/strict';
import { outcomeOf, readAnswer, webhookOutcome } from './wire.ts';

const envelope = (error: string) => ({ result: { error, message: error === '0' ? null : 'm' } });

test('answers outside the documented envelope, 401/403/429 and 5xx are unknown; refusals in it fail', () => {
  for (const [status, body] of [
    [429, 'Too Many Requests'],
    [502, '<html>'],
    [500, envelope('INTERNAL_ERROR')],
    [401, envelope('UNAUTHORIZED')],
    [403, envelope('PERMISSION_DENIED')],
    [200, { orderNumber: 'po_1', orderStatus: 'success' }],
    [404, 'Not Found'],
  ] as const)
    assert.equal(readAnswer(status, body, 'performPayout', 'po_1').answer.status, 'unknown', `${status}`);
  assert.deepEqual(readAnswer(400, envelope('VALIDATION_ERROR'), 'performPayout', 'po_1').answer, {
    status: 'failed',
    code: 'upstream_validation_error',
    message: 'm',
  });
  assert.equal(readAnswer(404, envelope('NOT_FOUND'), 'getPayoutStatus', 'po_1').answer.status, 'not_found');
});

test('a payout answer with its amount and bank order; another order is unknown', () => {
  const body = { ...envelope('0'), orderNumber: 'po_1', orderStatus: 'success', amount: 150000, orderId: 'B1' };
  assert.deepEqual(readAnswer(200, body, 'getPayoutStatus', 'po_1').answer, {
    status: 'success',
    providerRef: 'B1',
    amount: 150000,
  });
  assert.equal(readAnswer(200, body, 'getPayoutStatus', 'po_2').answer.status, 'unknown');
});

test('a status the account does not document keeps the payout processing', () => {
  for (const s of ['uploaded', 'created', 'processing', 'on_hold', ''])
    assert.equal(outcomeOf(s).status, 'processing', s);
  assert.equal(outcomeOf('cancelled').status, 'cancelled');
});

test('webhooks about our payouts carry the amount; others are not ours', () => {
  const hook = {
    event: 'payout.status_changed',
    eventId: 'e1',
    payout: { id: 1, externalId: 'po_1', status: 'success', amount: 500 },
  };
  assert.deepEqual(webhookOutcome(hook), { orderId: 'po_1', outcome: { status: 'success', amount: 500 } });
  assert.equal(webhookOutcome({ ...hook, payout: { ...hook.payout, externalId: null } }), undefined);
  assert.equal(webhookOutcome({ ...hook, event: 'payout.created' }), undefined);
});
