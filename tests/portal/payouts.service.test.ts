// Payouts in the portal over HTTP: search and filters, one payout with its history and
// webhook deliveries (masked destination only), sending a webhook again, and nothing of
// another merchant's payouts.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { api } from '../helpers/server.ts';
import { startService, type Service } from '../helpers/service.ts';
import { eventually } from '../helpers/eventually.ts';
import { form, portalUser, signIn } from '../helpers/portal.ts';
import { createTestMerchant } from '../helpers/cli.ts';
import { DEMO_MERCHANT_ID } from '../../server/demo/merchant.ts';

const PAN = '4111111111111111';
let server: Service;
before(async () => {
  server = await startService();
});
after(async () => {
  await server.stop();
});

let n = 0;
async function payout(type: 'card' | 'sbp', token = server.token) {
  const orderNumber = `PORTAL-${process.pid}-${++n}`;
  const res = await api({ url: server.url, token }, 'POST', 'createPayout', {
    orderNumber,
    amount: 150000,
    type,
    urls: { returnUrl: `${server.publicUrl}/demo/return` },
  });
  assert.equal(res.status, 200, JSON.stringify(res.body));
  return { orderNumber, orderId: res.body.orderId as string, payoutUrl: res.body.payoutUrl as string };
}

async function get(path: string, cookie: string) {
  const r = await server.app.request(path, { headers: { Cookie: cookie } });
  return { status: r.status, html: await r.text() };
}

test('the list finds a payout by orderNumber and filters by status and method', async () => {
  const owner = await signIn(server.app, (await portalUser(server.services, DEMO_MERCHANT_ID, 'viewer')).email);
  const card = await payout('card');
  const sbp = await payout('sbp');
  const found = await get(`/portal/payouts?lang=en&q=${card.orderNumber}`, owner.cookie);
  assert.equal(found.status, 200);
  assert.match(found.html, new RegExp(`>${card.orderNumber}</a>`));
  assert.doesNotMatch(found.html, new RegExp(sbp.orderNumber));
  const sbpOnly = await get(
    `/portal/payouts?lang=en&q=PORTAL-${process.pid}-&method=sbp&status=uploaded`,
    owner.cookie,
  );
  assert.match(sbpOnly.html, new RegExp(sbp.orderNumber));
  assert.doesNotMatch(sbpOnly.html, new RegExp(`${card.orderNumber}<`));
  const none = await get(`/portal/payouts?lang=en&q=${card.orderNumber}&status=success`, owner.cookie);
  assert.match(none.html, /No payouts found/);
  const wrong = await get('/portal/payouts?lang=en&status=paid&from=yesterday', owner.cookie);
  assert.equal(wrong.status, 400);
  assert.match(wrong.html, /status is not a known status/);
  assert.match(wrong.html, /from must be a date YYYY-MM-DD/);
});

test('a payout page shows its history and masked card, and its webhook can be sent again', async () => {
  const owner = await signIn(server.app, (await portalUser(server.services, DEMO_MERCHANT_ID, 'admin')).email);
  const p = await payout('card');
  const token = p.payoutUrl.split('/pay/')[1]!;
  const sent = await server.app.request(`/pay/${token}`, form({ type: 'card', pan: PAN }));
  assert.ok(sent.status < 400, `details answered ${sent.status}`);
  const page = await eventually(async () => {
    const r = await get(`/portal/payouts/${p.orderId}?lang=en`, owner.cookie);
    return r.html.includes('redeliver') ? r : null;
  });
  assert.equal(page.status, 200);
  assert.match(page.html, /uploaded → created/);
  assert.match(page.html, /411111\W+1111/);
  assert.doesNotMatch(page.html, new RegExp(PAN));
  const eventId = /webhooks\/([0-9a-f]{32})\/redeliver/.exec(page.html)![1]!;
  const init = form({ csrf_token: owner.csrf });
  const again = await server.app.request(`/portal/payouts/${p.orderId}/webhooks/${eventId}/redeliver?lang=en`, {
    ...init,
    headers: { ...init.headers, Cookie: owner.cookie },
  });
  assert.equal(again.status, 200);
  assert.match(await again.text(), /The webhook is queued to be sent/);
});

test('a user of another merchant cannot see or redeliver a payout', async () => {
  const other = await createTestMerchant(server.dataDir, ['--name', 'Other shop']);
  const stranger = await signIn(server.app, (await portalUser(server.services, other.id)).email);
  const p = await payout('card');
  const list = await get(`/portal/payouts?lang=en&q=${p.orderNumber}`, stranger.cookie);
  assert.match(list.html, /No payouts found/);
  assert.equal((await get(`/portal/payouts/${p.orderId}?lang=en`, stranger.cookie)).status, 404);
  const init = form({ csrf_token: stranger.csrf });
  const again = await server.app.request(`/portal/payouts/${p.orderId}/webhooks/${'0'.repeat(32)}/redeliver`, {
    ...init,
    headers: { ...init.headers, Cookie: stranger.cookie },
  });
  assert.equal(again.status, 404);
});
