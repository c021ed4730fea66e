// A small demo merchant site: create a payout, open its link, see where the
// recipient comes back and which webhooks arrived.
import { randomBytes, timingSafeEqual } from 'node:crypto';
import { Hono } from 'hono';
import { renderToString } from 'preact-render-to-string';
import type { ComponentChildren } from 'preact';
import type { Services } from '../services.ts';
import { createLinkPayout, findByOrderNumber } from '../engine/payouts.ts';
import { getMerchant, getWebhookSecret } from '../merchants/store.ts';
import { bodySignature } from '../lib/payouts-signature.ts';
import { DEMO_MERCHANT_ID } from './merchant.ts';

interface ReceivedWebhook {
  at: string;
  verified: boolean;
  body: string;
}

function Layout({ title, children }: { title: string; children: ComponentChildren }) {
  return (
    <html lang="en">
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <title>{title}</title>
        <style>
          {
            'body{font:16px/1.5 system-ui,sans-serif;max-width:40rem;margin:2rem auto;padding:0 1rem}label{display:block;margin:.75rem 0}input,select,button{font:inherit;padding:.4rem;min-height:44px}pre{background:#f4f4f4;padding:.5rem;overflow:auto}'
          }
        </style>
      </head>
      <body>{children}</body>
    </html>
  );
}

const page = (node: preact.VNode) => `<!doctype html>${renderToString(node)}`;

export function demoRoutes(s: Services): Hono {
  const app = new Hono();
  const webhooks: ReceivedWebhook[] = [];

  app.use('*', async (c, next) => {
    await next();
    c.header('Cache-Control', 'no-store');
  });

  app.get('/', (c) =>
    c.html(
      page(
        <Layout title="Payee demo shop">
          <h1>Demo shop</h1>
          <p>Create a payout as a merchant would, then fill in the recipient's details on the hosted page.</p>
          <form method="post" action="/demo/payouts">
            <label>
              Amount, ₽ <input name="amount" inputMode="decimal" value="1500.00" required />
            </label>
            <label>
              Description <input name="description" value="Refund for order 1456" maxLength={600} />
            </label>
            <label>
              Method{' '}
              <select name="type">
                <option value="">Recipient chooses</option>
                <option value="card">Card</option>
                <option value="sbp">SBP</option>
              </select>
            </label>
            <label>
              Session, seconds <input name="timeout" type="number" value="600" min={60} max={86400} />
            </label>
            <button type="submit">Create payout and open its link</button>
          </form>
          <h2>Webhooks received</h2>
          {webhooks.length === 0 ? (
            <p>None yet.</p>
          ) : (
            webhooks
              .slice(-10)
              .reverse()
              .map((w) => <pre key={w.at}>{`${w.at} signature ${w.verified ? 'valid' : 'INVALID'}\n${w.body}`}</pre>)
          )}
        </Layout>,
      ),
    ),
  );

  app.post('/payouts', async (c) => {
    const form = await c.req.parseBody();
    const rubles = String(form.amount ?? '')
      .replace(',', '.')
      .trim();
    if (!/^\d{1,10}(\.\d{1,2})?$/.test(rubles)) return c.text('Amount must be a number of rubles, e.g. 1500.00', 400);
    const amount = Math.round(Number(rubles) * 100);
    const type = form.type === 'card' || form.type === 'sbp' ? form.type : undefined;
    const timeout = Math.min(86400, Math.max(60, Number(form.timeout) || 600));
    const merchant = (await getMerchant(s.db, DEMO_MERCHANT_ID))!;
    const orderNumber = `demo-${Date.now()}-${randomBytes(3).toString('hex')}`;
    const base = s.config.publicUrl;
    const result = await createLinkPayout(s, merchant, {
      orderNumber,
      amount,
      returnUrl: `${base}/demo/return`,
      failUrl: `${base}/demo/return?failed=1`,
      description: String(form.description ?? '').slice(0, 600) || undefined,
      sessionTimeoutSecs: timeout,
      type,
      channel: 'vtb',
    });
    if (!result.ok) return c.text('Conflict', 409);
    return c.redirect(result.payoutUrl, 303);
  });

  app.get('/return', async (c) => {
    const orderNumber = c.req.query('orderNumber') ?? '';
    const payout = orderNumber ? await findByOrderNumber(s, DEMO_MERCHANT_ID, orderNumber) : undefined;
    return c.html(
      page(
        <Layout title="Back at the demo shop">
          <h1>Back at the shop</h1>
          <p>
            The recipient came back with status <strong>{c.req.query('status') ?? 'unknown'}</strong> for order{' '}
            <code>{orderNumber}</code>.
          </p>
          {payout && <p>Payee reports: {payout.status}.</p>}
          <p>
            <a href="/demo">Create another payout</a>
          </p>
        </Layout>,
      ),
    );
  });

  app.post('/webhook', async (c) => {
    const raw = await c.req.text();
    const secret = await getWebhookSecret(s.db, s.keyring, DEMO_MERCHANT_ID);
    const expected = bodySignature(secret ?? '', raw);
    const got = c.req.header('x-payouts-signature') ?? '';
    const verified = got.length === expected.length && timingSafeEqual(Buffer.from(got), Buffer.from(expected));
    webhooks.push({ at: new Date().toISOString(), verified, body: raw });
    if (webhooks.length > 50) webhooks.shift();
    return verified ? c.body(null, 204) : c.text('bad signature', 401);
  });

  return app;
}
