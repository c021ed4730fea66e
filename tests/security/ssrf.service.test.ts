// 1. Merchant webhook URLs: https only, no IP literal of a private or local range when
// saved, and at delivery a name that resolves to such an address is never connected to.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:net';
import { once } from 'node:events';
import { lookup } from 'node:dns/promises';
import { hostname } from 'node:os';
import { validateMerchantSettings, settingsContext } from '../../server/merchants/settings.ts';
import { classifyAddress } from '../../server/net/address.ts';
import { eventually } from '../helpers/eventually.ts';
import { apiPost, productionMerchant, startProduction } from './production.ts';

const SPELLINGS = [
  'https://127.0.0.1/hook',
  'https://0x7f000001/hook',
  'https://2130706433/hook',
  'https://0177.0.0.1/hook',
  'https://127.1/hook',
  'https://[::1]/hook',
  'https://[::ffff:127.0.0.1]/hook',
  'https://169.254.169.254/latest/meta-data/',
  'https://[::ffff:a9fe:a9fe]/',
  'https://10.0.0.8/',
  'https://192.168.0.1/',
  'https://100.64.0.1/',
  'https://0.0.0.0/',
  'https://224.0.0.1/',
  'https://localhost/hook',
  'http://shop.example/hook',
  'file:///etc/passwd',
  'gopher://shop.example:70/_payload',
];

test('a production service refuses webhook URLs to local and private addresses in every spelling, and non-https', async () => {
  const svc = await startProduction();
  try {
    const ctx = settingsContext(svc.services.config);
    for (const url of SPELLINGS) {
      const r = validateMerchantSettings({ webhook: { url, enabled: true, useSignature: true } }, ctx);
      assert.equal(r.ok, false, url);
      if (!r.ok) assert.match(r.reason, /^webhook\.url/, url);
    }
    const good = validateMerchantSettings(
      { webhook: { url: 'https://shop.example/hook', enabled: true, useSignature: true } },
      ctx,
    );
    assert.equal(good.ok, true);
  } finally {
    await svc.stop();
  }
});

test('at delivery, a name resolving to a local address is refused and never connected to', async () => {
  // This machine's own name resolves to one of its local addresses: a stand-in for a
  // rebinding name that looked public when the setting was saved.
  const name = hostname();
  const resolved = await lookup(name, { all: true });
  assert.ok(resolved.length > 0 && resolved.every((a) => classifyAddress(a.address) !== 'public'));

  let connections = 0;
  const receiver = createServer((socket) => {
    connections++;
    socket.destroy();
  });
  receiver.listen(0, '0.0.0.0');
  await once(receiver, 'listening');
  const port = (receiver.address() as { port: number }).port;
  const svc = await startProduction();
  try {
    const m = await productionMerchant(svc, {
      webhook: { url: `https://${name}:${port}/hook`, enabled: true, useSignature: true },
    });
    const r = await apiPost(svc, m.token, 'performPayout', {
      orderNumber: 'SSRF-1',
      amount: 1000,
      description: 'x',
      target: { pan: '4111111111111111' },
    });
    assert.equal(r.status, 200, JSON.stringify(r.body));
    const event = await eventually(
      () => svc.services.db.selectFrom('webhook_events').selectAll().where('attempts', '>', 0).executeTakeFirst(),
      60_000,
      'a delivery attempt',
    );
    assert.match(event.last_error ?? '', /EREFUSEDADDRESS/);
    assert.equal(event.last_http_status, null);
    assert.equal(connections, 0);
  } finally {
    await svc.stop();
    receiver.close();
  }
});
