// A merchant whose code was written for the Quantum Payouts API works against Payee
// unchanged: its own axios client example, and requests shaped like its Python one.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import axios from 'axios';
import { startService, type Service } from '../helpers/service.ts';

const { PayoutsAPI } = createRequire(import.meta.url)('./quantum-client.cjs');
let server: Service;

before(async () => {
  server = await startService();
});
after(async () => {
  await server.stop();
});

test("the API's Node.js example creates a payout and gets the promised answer", async () => {
  const client = new PayoutsAPI(server.token, `${server.url}/api/v1`);
  const result = await client.createPayout(
    'ORDER_001',
    100000,
    `${server.publicUrl}/demo/return`,
    'Payout for order #1',
  );
  assert.deepEqual(Object.keys(result).sort(), ['orderId', 'orderNumber', 'payoutUrl', 'result']);
  assert.deepEqual(result.result, { error: '0', message: null });
  assert.equal(result.orderNumber, 'ORDER_001');
  assert.ok(result.payoutUrl.startsWith(`${server.publicUrl}/pay/`));

  // The same call again (a retry) is answered the same, without a second payout.
  assert.deepEqual(
    await client.createPayout('ORDER_001', 100000, `${server.publicUrl}/demo/return`, 'Payout for order #1'),
    result,
  );
});

test("the API's Node.js example surfaces an error for a wrong token", async () => {
  const client = new PayoutsAPI('wrong-token', `${server.url}/api/v1`);
  await assert.rejects(client.createPayout('ORDER_002', 100000, `${server.publicUrl}/demo/return`), /API Error/);
});

test('getPayoutStatus and features as the Python example calls them', async () => {
  const headers = {
    'Content-Type': 'application/json; charset=UTF-8',
    Accept: 'application/json; version=1.0',
    Authorization: `Bearer ${server.token}`,
  };
  // The Python example builds its URLs as f'{base_url}/createPayout' with a base ending in '/',
  // so it calls /api/v1//createPayout.
  const base = `${server.url}/api/v1/`;
  const created = await axios.post(
    `${base}/createPayout`,
    {
      orderNumber: 'ORDER_003',
      amount: 100000,
      urls: { returnUrl: `${server.publicUrl}/demo/return` },
      type: 'sbp',
    },
    { headers },
  );
  assert.equal(created.data.result.error, '0');
  const status = await axios.post(`${server.url}/api/v1/getPayoutStatus`, { orderNumber: 'ORDER_003' }, { headers });
  assert.equal(status.data.orderStatus, 'uploaded');
  assert.equal(status.data.destination_type, 'sbp');
  assert.equal(status.data.amount, 100000);
  const features = await axios.get(`${server.url}/api/v1/features`, {
    headers: { Accept: headers.Accept, Authorization: headers.Authorization },
  });
  assert.equal(features.data.result.error, '0');
  assert.equal(features.data.features.card_payouts, true);
  assert.equal(features.data.features.sbp_payouts, true);
});
