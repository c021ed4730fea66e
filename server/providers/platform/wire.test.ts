import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { SubmitRequest } from '../types.ts';
import { readCreateAnswer, readPayment, webhookPaymentId } from './wire.ts';

const req = { orderId: 'po_1', amount: 150000 } as SubmitRequest;
const payment = { id: 'pay_1', status: 'pending', externalId: 'po_1', amount: '1500.00', url: 'https://f/1' };

test('create: the form url with the payment; another amount, 401/403/409/429 and 5xx are unknown', () => {
  assert.deepEqual(readCreateAnswer(201, payment, req), {
    status: 'processing',
    providerRef: 'pay_1',
    amount: 150000,
    redirectUrl: 'https://f/1',
  });
  assert.equal(readCreateAnswer(422, { message: 'no' }, req).status, 'failed');
  for (const status of [401, 403, 409, 429, 503]) assert.equal(readCreateAnswer(status, {}, req).status, 'unknown');
  assert.equal(readCreateAnswer(201, { ...payment, amount: '1400.00' }, req).status, 'unknown');
});

test('GET: the amount the platform holds is passed on; another order or an unreadable amount is unknown', () => {
  assert.deepEqual(readPayment(200, { ...payment, status: 'succeeded', amount: '1400.00' }, 'po_1'), {
    status: 'success',
    providerRef: 'pay_1',
    amount: 140000,
    orderId: 'po_1',
  });
  assert.equal(readPayment(200, payment, 'po_2').status, 'unknown');
  assert.equal(readPayment(200, { ...payment, amount: 'lots' }, 'po_1').status, 'unknown');
  assert.equal(readPayment(404, {}, 'po_1').status, 'not_found');
  assert.equal(webhookPaymentId({ data: { id: 'pay_1' } }), 'pay_1');
  assert.equal(webhookPaymentId({ nothing: 1 }), undefined);
});
