// Prometheus metrics on their own port (METRICS_PORT): after a payout, the HTTP answers by route
// pattern, the payout's transitions, the provider call with its outcome, the webhook delivery, the
// webhook queue and the review list are all there; never a link token; never on the public port.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startService } from '../helpers/service.ts';
import { ManualClock, seedMerchant, SERVICE_ENV, webhookReceiver } from '../helpers/engine.ts';
import { tempDataDir } from '../helpers/server.ts';
import { eventually } from '../helpers/eventually.ts';

const SANDBOX_NOW = { sandbox: { kind: 'sandbox', delayMs: 0, callbacks: false } };

/** The value of one series, or undefined when absent. */
function value(text: string, series: string): number | undefined {
  const line = text.split('\n').find((l) => l.startsWith(`${series} `));
  return line === undefined ? undefined : Number(line.slice(series.length + 1));
}

async function performPayout(url: string, token: string, orderNumber: string) {
  const res = await fetch(`${url}/api/v1/performPayout`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json; charset=UTF-8', Authorization: `Bearer ${token}` },
    body: JSON.stringify({ orderNumber, amount: 1000, description: 'x', target: { pan: '4111111111111111' } }),
  });
  assert.equal(res.status, 200, await res.text());
}

test('after a payout, /metrics shows its requests, transitions, provider call and webhook', async () => {
  const receiver = await webhookReceiver();
  const dataDir = tempDataDir();
  const m = await seedMerchant(dataDir, { webhook: { url: receiver.url, enabled: true, useSignature: true } });
  const svc = await startService({ env: { ...SERVICE_ENV, METRICS_PORT: '0' }, dataDir, providers: SANDBOX_NOW });
  try {
    assert.ok(svc.metricsUrl, 'served when METRICS_PORT is set');
    assert.notEqual(new URL(svc.metricsUrl).port, new URL(svc.url).port);
    assert.equal((await fetch(`${svc.url}/metrics`)).status, 404, 'not on the public port');

    await performPayout(svc.url, m.token, 'MET-1');
    await receiver.until((r) => r.some((x) => x.body.includes('"status":"success"')));
    const created = await svc.app.request('/api/v1/createPayout', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json; charset=UTF-8', Authorization: `Bearer ${m.token}` },
      body: JSON.stringify({
        orderNumber: 'MET-2',
        amount: 1000,
        type: 'card',
        urls: { returnUrl: 'https://shop.example/r' },
      }),
    });
    const link = new URL((await created.json()).payoutUrl).pathname;
    await svc.app.request(`${link}/status`);

    const text = await eventually(
      async () => {
        const t = await (await fetch(svc.metricsUrl!)).text();
        return (value(t, 'payee_webhook_deliveries_total{result="delivered"}') ?? 0) >= 2 && t;
      },
      30_000,
      'both deliveries counted',
    );
    assert.ok(
      value(
        text,
        'payee_http_request_duration_seconds_count{method="POST",route="/api/v1/performPayout",status="200"}',
      )! >= 1,
    );
    assert.match(
      text,
      /payee_http_request_duration_seconds_count\{method="GET",route="\/pay\/:token\/status",status="\d+"\} 1/,
    );
    assert.ok(!text.includes(link.split('/')[2]!), 'no link token in any label');
    assert.match(text, /payee_payout_transitions_total\{from="[a-z]+",to="success"\} 1/);
    assert.ok(
      value(
        text,
        'payee_provider_call_duration_seconds_count{provider="sandbox",kind="sandbox",operation="submit",outcome="processing"}',
      ) === 1 ||
        value(
          text,
          'payee_provider_call_duration_seconds_count{provider="sandbox",kind="sandbox",operation="submit",outcome="success"}',
        ) === 1,
      text
        .split('\n')
        .filter((l) => l.includes('provider_call'))
        .join('\n'),
    );
    assert.equal(value(text, 'payee_webhook_queue_depth'), 0);
    assert.equal(value(text, 'payee_webhook_oldest_pending_seconds'), 0);
    assert.equal(value(text, 'payee_review_open'), 0);
    assert.match(text, /^process_cpu_seconds_total /m);
  } finally {
    await svc.stop();
    await receiver.close();
  }
});

test('a webhook that keeps failing shows in the queue depth, its age, and the retry count', async () => {
  const receiver = await webhookReceiver(() => 500);
  const dataDir = tempDataDir();
  const clock = new ManualClock();
  const m = await seedMerchant(dataDir, { webhook: { url: receiver.url, enabled: true, useSignature: false } });
  const svc = await startService({
    env: { ...SERVICE_ENV, METRICS_PORT: '0' },
    dataDir,
    providers: SANDBOX_NOW,
    clock,
  });
  try {
    await performPayout(svc.url, m.token, 'MET-3');
    await receiver.until((r) => r.length >= 1);
    clock.advance(5_000);
    const text = await eventually(
      async () => {
        const t = await (await fetch(svc.metricsUrl!)).text();
        return (value(t, 'payee_webhook_deliveries_total{result="retry"}') ?? 0) >= 1 && t;
      },
      30_000,
      'a retry counted',
    );
    assert.ok(value(text, 'payee_webhook_queue_depth')! >= 1);
    assert.ok(value(text, 'payee_webhook_oldest_pending_seconds')! >= 5);
  } finally {
    await svc.stop();
    await receiver.close();
  }
});

test('without METRICS_PORT nothing is served', async () => {
  const svc = await startService({ env: SERVICE_ENV });
  try {
    assert.equal(svc.metricsUrl, undefined);
    assert.equal((await svc.app.request('/metrics')).status, 404);
  } finally {
    await svc.stop();
  }
});
