// 9. Production answers carry HSTS, whatever the route or status; a provider's hand-off
// page is used only when it is https (the payout stays with the provider, not failed).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startHandoff } from '../../server/engine/handoff.ts';
import { startPlatformSimulator } from '../simulators/platform.ts';
import { secretFile } from '../helpers/provider-harness.ts';
import { startService } from '../helpers/service.ts';
import { apiPost, productionMerchant, startProduction } from './production.ts';

test('every production answer carries HSTS for at least a year; development sends none', async () => {
  const svc = await startProduction();
  try {
    const m = await productionMerchant(svc);
    const link = await apiPost(svc, m.token, 'createPayout', {
      orderNumber: 'HSTS-1',
      amount: 1000,
      urls: { returnUrl: 'https://shop.example/back' },
    });
    const answers = await Promise.all([
      fetch(link.body.payoutUrl.replace(/^https?:\/\/[^/]+/, svc.url)),
      fetch(`${svc.url}/healthz`),
      fetch(`${svc.url}/api/v1/features`),
      fetch(`${svc.url}/pay/unknown-link`),
      fetch(`${svc.url}/pay/unknown-link/status`),
      fetch(`${svc.url}/assets/missing.js`),
      fetch(`${svc.url}/callbacks/none`),
      fetch(`${svc.url}/nowhere`),
      fetch(`${svc.url}/assets/${'a'.repeat(5000)}.js`),
      fetch(`${svc.url}/embed/v1.js`, { method: 'POST', body: 'x'.repeat(100_000) }),
    ]);
    for (const res of answers) {
      await res.arrayBuffer();
      const hsts = res.headers.get('strict-transport-security') ?? '';
      const maxAge = Number(/max-age=(\d+)/.exec(hsts)?.[1] ?? 0);
      assert.ok(maxAge >= 31_536_000, `${res.url} (${res.status}): ${hsts}`);
    }
  } finally {
    await svc.stop();
  }
  const dev = await startService({ env: { PAYEE_DEMO: '0' } });
  try {
    assert.equal((await fetch(`${dev.url}/healthz`)).headers.get('strict-transport-security'), null);
  } finally {
    await dev.stop();
  }
});

test('a hand-off page that is not https is not used, and the payout is neither failed nor sent again', async () => {
  const sim = await startPlatformSimulator();
  const svc = await startProduction({
    providers: { platform: { kind: 'platform', baseUrl: sim.url, tokenFile: secretFile(sim.token) } },
  });
  try {
    const m = await productionMerchant(svc, { routes: [{ type: 'card', channel: 'vtb', provider: 'platform' }] });
    const r = await apiPost(svc, m.token, 'createPayout', {
      orderNumber: 'HANDOFF-1',
      amount: 99900,
      type: 'card',
      urls: { returnUrl: 'https://shop.example/back' },
    });
    assert.equal(r.status, 200, JSON.stringify(r.body));
    const payout = await svc.services.db
      .selectFrom('payouts')
      .selectAll()
      .where('order_number', '=', 'HANDOFF-1')
      .executeTakeFirstOrThrow();
    const step = await startHandoff(svc.services, payout.id, 'card');
    assert.equal(step.ok, false);
    assert.match(svc.output(), /hand-off page refused/);
    const again = await startHandoff(svc.services, payout.id, 'card');
    assert.equal(again.ok, false);
    assert.equal([...sim.payments.values()].filter((p) => p.externalId === payout.order_id).length, 1);
    const now = await svc.services.db
      .selectFrom('payouts')
      .select('status')
      .where('id', '=', payout.id)
      .executeTakeFirstOrThrow();
    assert.notEqual(now.status, 'failed');
  } finally {
    await svc.stop();
    await sim.close();
  }
});
