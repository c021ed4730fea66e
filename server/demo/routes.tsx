// A small demo merchant site: create payouts, give the recipient the form as a link, in the
// page (the loader's Payee.mount) and in a dialog (Payee.open), side by side; see where the
// recipient comes back and which webhooks arrived.
import { randomBytes, timingSafeEqual } from 'node:crypto';
import { Hono } from 'hono';
import { renderToString } from 'preact-render-to-string';
import type { ComponentChildren } from 'preact';
import type { Services } from '../services.ts';
import { createLinkPayout, findByOrderNumber, linkUrlOf } from '../engine/payouts.ts';
import { getMerchant, getWebhookSecret } from '../merchants/store.ts';
import { bodySignature } from '../lib/payouts-signature.ts';
import { DEMO_MERCHANT_ID } from './merchant.ts';

interface ReceivedWebhook {
  at: string;
  verified: boolean;
  body: string;
}

const STYLE = `
:root{--bg:#f2f3f5;--card:#fff;--fg:#16181b;--muted:#4f5560;--line:#d5d8dd;--accent:#2f6fde;--on-accent:#fff;color-scheme:light dark}
@media (prefers-color-scheme:dark){:root{--bg:#101214;--card:#1b1e22;--fg:#eceef1;--muted:#b0b6bf;--line:#3a3f46;--accent:#7ea6f0;--on-accent:#0b1220}}
*{box-sizing:border-box}
body{margin:0;background:var(--bg);color:var(--fg);font:16px/1.5 system-ui,-apple-system,'Segoe UI',Roboto,sans-serif}
main{max-width:72rem;margin:0 auto;padding:24px 16px 48px}
h1{font-size:1.75rem;margin:0 0 4px}h2{font-size:1.125rem;margin:0 0 8px}
p{margin:0 0 12px}.muted{color:var(--muted)}
.card{background:var(--card);border:1px solid var(--line);border-radius:14px;padding:20px}
.create{max-width:36rem}
label{display:block;margin:0 0 12px;font-weight:600}
input,select{display:block;width:100%;margin-top:4px;font:inherit;padding:10px 12px;min-height:44px;border:1px solid var(--line);border-radius:10px;background:var(--card);color:var(--fg)}
.btn{display:inline-flex;align-items:center;justify-content:center;min-height:44px;padding:10px 18px;border:0;border-radius:10px;background:var(--accent);color:var(--on-accent);font:inherit;font-weight:600;text-decoration:none;cursor:pointer}
.modes{display:grid;grid-template-columns:repeat(auto-fit,minmax(20rem,1fr));gap:16px;align-items:start;margin-top:16px}
.modes .card{display:flex;flex-direction:column;gap:8px}
code{font-size:.875em;overflow-wrap:anywhere}
pre{background:var(--card);border:1px solid var(--line);border-radius:10px;padding:8px 12px;white-space:pre-wrap;overflow-wrap:anywhere;font-size:.8125rem}
`;

function Layout({ title, children }: { title: string; children: ComponentChildren }) {
  return (
    <html lang="en">
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <title>{title}</title>
        <style>{STYLE}</style>
      </head>
      <body>
        <main>{children}</main>
      </body>
    </html>
  );
}

/** The three ways to give the recipient the form, each with a payout of its own. */
const MODES = [
  { key: 'link', title: 'A plain link', note: 'Send the recipient the payoutUrl (a message, an e-mail, a button).' },
  { key: 'frame', title: 'In the page', note: 'Payee.mount() puts the form into an element of your page.' },
  { key: 'modal', title: 'In a dialog', note: 'Payee.open() shows the form in an accessible modal over your page.' },
] as const;

const page = (node: preact.VNode) => `<!doctype html>${renderToString(node)}`;

/** JSON inside <script>: nothing in it may close the element. */
const scriptJson = (value: unknown) => JSON.stringify(value).replace(/</g, '\\u003c');

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
          <p class="muted">
            Create a payout as a merchant would, then give the recipient the form three ways: a link, in the page, in a
            dialog.
          </p>
          <form class="card create" method="post" action="/demo/payouts">
            <label>
              Amount, ₽ <input name="amount" inputMode="decimal" value="1500.00" required />
            </label>
            <label>
              Description <input name="description" value="Refund for order 1456" maxLength={600} />
            </label>
            <label>
              Method
              <select name="type">
                <option value="">Recipient chooses</option>
                <option value="card">Card</option>
                <option value="sbp">SBP</option>
              </select>
            </label>
            <label>
              Session, seconds <input name="timeout" type="number" value="600" min={60} max={86400} />
            </label>
            <button class="btn" type="submit">
              Create payouts
            </button>
          </form>
          <h2 style="margin-top:24px">Webhooks received</h2>
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

  app.get('/try/:order', async (c) => {
    const order = c.req.param('order');
    const links = await Promise.all(
      MODES.map(async (m) => {
        const payout = await findByOrderNumber(s, DEMO_MERCHANT_ID, `${order}-${m.key}`);
        return payout && linkUrlOf(s, payout);
      }),
    );
    if (links.some((l) => !l)) return c.text('No such demo payouts', 404);
    const [link, frame, modal] = links as string[];
    // The loader's options, as a merchant's page would pass them; the frame takes the card's background.
    const script = `
const frame = ${scriptJson(frame)}, modal = ${scriptJson(modal)};
Payee.mount('#frame', { url: frame, theme: { background: 'transparent', radius: 10 } });
document.getElementById('open').onclick = () => Payee.open({ url: modal, title: 'Payout details' });`;
    return c.html(
      page(
        <Layout title="Payee demo: three ways to embed">
          <h1>Three ways to give the recipient the form</h1>
          <p class="muted">
            Each is a payout of its own (order <code>{order}</code>). Card <code>4111 1111 1111 1111</code> is paid;{' '}
            <code>4000 0000 0000 0010</code> is declined and lets the recipient try another card.
          </p>
          <div class="modes">
            {MODES.map((m) => (
              <section class="card" aria-labelledby={`h-${m.key}`} key={m.key}>
                <h2 id={`h-${m.key}`}>{m.title}</h2>
                <p class="muted">{m.note}</p>
                {m.key === 'link' && (
                  <a class="btn" href={link}>
                    Open the payout page
                  </a>
                )}
                {m.key === 'frame' && <div id="frame" />}
                {m.key === 'modal' && (
                  <button class="btn" type="button" id="open">
                    Get paid
                  </button>
                )}
              </section>
            ))}
          </div>
          <p style="margin-top:16px">
            <a href="/demo">Create other payouts</a>
          </p>
          <script src="/embed/v1.js" />
          <script dangerouslySetInnerHTML={{ __html: script }} />
        </Layout>,
      ),
    );
  });

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
    const order = `demo-${Date.now()}-${randomBytes(3).toString('hex')}`;
    const base = s.config.publicUrl;
    // One payout for each way of showing the form: each can be paid once.
    for (const m of MODES) {
      const result = await createLinkPayout(s, merchant, {
        orderNumber: `${order}-${m.key}`,
        amount,
        returnUrl: `${base}/demo/return`,
        failUrl: `${base}/demo/return?failed=1`,
        description: String(form.description ?? '').slice(0, 600) || undefined,
        sessionTimeoutSecs: timeout,
        type,
        channel: 'vtb',
      });
      if (!result.ok) return c.text('Conflict', 409);
    }
    return c.redirect(`/demo/try/${order}`, 303);
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
