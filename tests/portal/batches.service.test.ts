// Batch payouts over HTTP: a file with a wrong row creates nothing and names each wrong
// line; a good file creates every link in the background; results download as CSV for
// owners and admins only; features reflects both.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { api } from '../helpers/server.ts';
import { startService, type Service } from '../helpers/service.ts';
import { eventually } from '../helpers/eventually.ts';
import { portalUser, signIn, type Signed } from '../helpers/portal.ts';
import { createTestMerchant } from '../helpers/cli.ts';
import { parseCsv } from '../../server/portal/csv.ts';

let server: Service;
before(async () => {
  server = await startService();
});
after(async () => {
  await server.stop();
});

async function upload(who: Signed, csv: string) {
  const body = new FormData();
  body.set('csrf_token', who.csrf);
  body.set('file', new File([csv], 'payouts.csv', { type: 'text/csv' }));
  const res = await server.app.request('/portal/batches?lang=en', {
    method: 'POST',
    body,
    headers: { Cookie: who.cookie },
  });
  return { status: res.status, html: await res.text() };
}

const tag = `${process.pid}-${Date.now()}`;

test('a file with a wrong row is refused whole, each wrong line named', async () => {
  const shop = await createTestMerchant(server.dataDir, [
    '--name',
    'Batch shop A',
    '--return-origin',
    'https://shop.example',
  ]);
  const owner = await signIn(server.app, (await portalUser(server.services, shop.id)).email);
  const csv = [
    'orderNumber;amount;type;returnUrl',
    `BAD-${tag}-1;150000;card;https://shop.example/ok`,
    `BAD-${tag}-2;15.5;card;https://shop.example/ok`,
    `BAD-${tag}-3;1000;card;https://evil.example/`,
  ].join('\n');
  const res = await upload(owner, csv);
  assert.equal(res.status, 400);
  assert.match(res.html, /The file has errors; no payout was created/);
  assert.match(res.html, /<td>3<\/td><td>amount must be an integer amount in kopecks<\/td>/);
  assert.match(
    res.html,
    /<td>4<\/td><td>returnUrl origin https:\/\/evil.example is not allowed for this merchant<\/td>/,
  );
  const good = await api({ url: server.url, token: shop.token }, 'POST', 'getPayoutStatus', {
    orderNumber: `BAD-${tag}-1`,
  });
  assert.equal(good.status, 404, 'not even the good row was created');
});

test('a good file creates every link, and the results download for an owner but not a viewer', async () => {
  const shop = await createTestMerchant(server.dataDir, [
    '--name',
    'Batch shop B',
    '--return-origin',
    'https://shop.example',
  ]);
  const features = async () => (await api({ url: server.url, token: shop.token }, 'GET', 'features')).body.features;
  assert.equal((await features()).file_download, false);
  const owner = await signIn(server.app, (await portalUser(server.services, shop.id)).email);
  const viewer = await signIn(server.app, (await portalUser(server.services, shop.id, 'viewer')).email);
  assert.deepEqual([(await features()).batch_processing, (await features()).file_download], [true, true]);

  const csv = [
    'orderNumber,amount,type,description,returnUrl,failUrl,sessionTimeoutSecs',
    `GOOD-${tag}-1,150000,card,"Refund, order 1",https://shop.example/ok,https://shop.example/fail,1800`,
    `GOOD-${tag}-2,2500,sbp,,https://shop.example/ok,,`,
  ].join('\r\n');
  const res = await upload(owner, csv);
  assert.equal(res.status, 303);
  const page = await eventually(async () => {
    const r = await server.app.request('/portal/batches?lang=en', { headers: { Cookie: owner.cookie } });
    const html = await r.text();
    return html.includes('2 of 2') && html.includes('results.csv') ? html : null;
  });
  const link = /href="(\/portal\/batches\/b_[0-9a-f]+\/results\.csv)"/.exec(page)![1]!;
  const download = await server.app.request(link, { headers: { Cookie: owner.cookie } });
  assert.equal(download.status, 200);
  assert.match(download.headers.get('content-type')!, /^text\/csv/);
  const [header, ...rows] = parseCsv(await download.text());
  assert.deepEqual(header, ['orderNumber', 'orderId', 'payoutUrl', 'status', 'failureCode']);
  assert.equal(rows.length, 2);
  for (const [i, row] of rows.entries()) {
    assert.equal(row[0], `GOOD-${tag}-${i + 1}`);
    assert.match(row[1]!, /^po_/);
    assert.match(row[2]!, new RegExp(`^${server.publicUrl}/pay/`));
    assert.equal(row[3], 'uploaded');
    const status = await api({ url: server.url, token: shop.token }, 'POST', 'getPayoutStatus', {
      orderNumber: row[0],
    });
    assert.equal(status.body.orderId, row[1]);
  }
  const first = await api({ url: server.url, token: shop.token }, 'POST', 'getPayoutStatus', {
    orderNumber: `GOOD-${tag}-1`,
  });
  assert.equal(first.body.description, 'Refund, order 1');

  assert.equal((await server.app.request(link, { headers: { Cookie: viewer.cookie } })).status, 403);
  const viewerPage = await (
    await server.app.request('/portal/batches?lang=en', { headers: { Cookie: viewer.cookie } })
  ).text();
  assert.doesNotMatch(viewerPage, /results\.csv/);
});
