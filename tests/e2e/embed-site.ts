// A merchant's web site for embedding tests: plain HTTP on loopback, on an origin other
// than the form's. It listens twice: `origin` is the merchant's allowed frame ancestor,
// `foreignOrigin` is a site the merchant never listed.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { api, startServer, tempDataDir, writeClockOffset, type TestServer } from '../helpers/server.ts';
import { createTestMerchant } from '../helpers/cli.ts';

export interface MerchantSite {
  origin: string;
  foreignOrigin: string;
  close(): Promise<void>;
}

export interface LoaderRef {
  /** Absolute URL of the loader (the immutable one when pinned by integrity). */
  src: string;
  integrity?: string;
}

const html = (title: string, body: string) =>
  `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>${title}</title></head><body>${body}</body></html>`;

/** Records every message the page receives, with its origin, for the test (through its `record` binding, which outlives navigation). */
const recorder = `window.received = []; addEventListener('message', (e) => { const m = { origin: e.origin, data: e.data }; window.received.push(m); window.record?.(m); });`;

const pages: Record<string, (q: URLSearchParams) => string> = {
  // The README's plain-iframe snippet, as a merchant would paste it.
  '/iframe': (q) =>
    html(
      'Shop: iframe',
      `<h1>Checkout</h1><iframe id="payee" src="${attr(q.get('payout'))}" title="Payout details" style="width:100%;border:0;height:300px"></iframe>
<script>${recorder}
const frame = document.getElementById('payee');
const FORM_ORIGIN = ${JSON.stringify(originOf(q.get('payout')))};
addEventListener('message', (e) => {
  if (e.origin !== FORM_ORIGIN || e.source !== frame.contentWindow || e.data?.source !== 'payee') return;
  if (e.data.type === 'ready') frame.contentWindow.postMessage({ source: 'payee-host', type: 'hello' }, FORM_ORIGIN);
  if (e.data.type === 'resize') frame.style.height = e.data.height + 'px';
  if (e.data.type === 'completed' || (e.data.type === 'expired' && e.data.redirectUrl)) location.href = e.data.redirectUrl;
});
</script>${q.get('foreign') ? `<iframe id="foreign" src="${attr(q.get('foreign'))}" title="Ads"></iframe>` : ''}`,
    ),
  // An iframe and no script of the merchant's (only the test's recorder, which never answers).
  '/iframe-static': (q) =>
    html(
      'Shop: static iframe',
      `<iframe id="payee" src="${attr(q.get('payout'))}" title="Payout details" style="width:100%;border:0;height:900px"></iframe><script>${recorder}</script>`,
    ),
  // The script tag, pinned by integrity, mounting into an element or opening the modal.
  '/script': (q) =>
    html(
      'Shop: script tag',
      `<h1>Checkout</h1><button id="before">Before</button><div id="payout"></div><button id="open">Get paid</button>
<script src="${attr(q.get('loader'))}"${q.get('integrity') ? ` integrity="${attr(q.get('integrity'))}" crossorigin="anonymous"` : ''}></script>
<script>${recorder}
window.events = []; window.closes = 0;
window.errors = [];
const options = { url: ${JSON.stringify(q.get('payout'))}, theme: ${q.get('theme') ?? 'undefined'}, onEvent: (e) => window.events.push(e), onError: (e) => window.errors.push(e), onClose: () => window.closes++ };
if (${JSON.stringify(q.get('mode'))} === 'modal') document.getElementById('open').onclick = () => Payee.open(options);
else Payee.mount('#payout', options);
</script>`,
    ),
  // The loader with nothing but its data attributes.
  '/one-tag': (q) =>
    html(
      'Shop: one tag',
      `<h1>Checkout</h1><div id="here"></div><script src="${attr(q.get('loader'))}" data-payout-url="${attr(q.get('payout'))}" data-target="#here" data-lang="en"></script>`,
    ),
  // A frame from a site the merchant never listed (an ad, say); the test posts from it.
  '/foreign': () => html('Foreign frame', `<p>Ad</p><script>${recorder}</script>`),
  '/return': (q) =>
    html(
      'Back at the shop',
      `<h1>Back at the shop</h1><p id="status">${attr(q.get('status'))}</p><p id="order">${attr(q.get('orderNumber'))}</p>`,
    ),
};

export async function startMerchantSite(): Promise<MerchantSite> {
  const handler = (req: import('node:http').IncomingMessage, res: import('node:http').ServerResponse) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const page = pages[url.pathname];
    if (!page) {
      res.writeHead(404).end('not found');
      return;
    }
    res
      .writeHead(200, { 'Content-Type': 'text/html; charset=utf-8', 'Cache-Control': 'no-store' })
      .end(page(url.searchParams));
  };
  const listen = () =>
    new Promise<Server>((resolve) => {
      const s = createServer(handler);
      s.listen(0, '127.0.0.1', () => resolve(s));
    });
  const servers = [await listen(), await listen()];
  const origins = servers.map((s) => `http://127.0.0.1:${(s.address() as AddressInfo).port}`);
  return {
    origin: origins[0]!,
    foreignOrigin: origins[1]!,
    close: () => Promise.all(servers.map((s) => new Promise<void>((r) => s.close(() => r())))).then(() => undefined),
  };
}

function attr(s: string | null): string {
  return (s ?? '').replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

function originOf(s: string | null): string {
  return s ? new URL(s).origin : '';
}

/** The form's server, a merchant site on another origin, and a merchant that lists that site as its frame ancestor. */
export interface EmbedWorld {
  server: TestServer;
  site: MerchantSite;
  merchant: { url: string; token: string };
  /** The form's origin, as payout links carry it. */
  formOrigin: string;
  /** Moves the form server's clock this many ms ahead of real time. */
  setClockOffset(ms: number): Promise<void>;
  close(): Promise<void>;
}

export async function startEmbedWorld(merchantArgs: string[] = []): Promise<EmbedWorld> {
  // The server's clock reads its offset from this file (its test hook).
  const offsetFile = join(tempDataDir('payee-clock-'), 'offset');
  writeClockOffset(offsetFile, 0);
  const server = await startServer({ env: { PAYEE_CLOCK_OFFSET_FILE: offsetFile } });
  const site = await startMerchantSite();
  const m = await createTestMerchant(server.dataDir, [
    '--name',
    'Shop',
    '--return-origin',
    site.origin,
    '--frame-ancestor',
    site.origin,
    ...merchantArgs,
  ]);
  return {
    server,
    site,
    merchant: { url: server.url, token: m.token },
    formOrigin: new URL(server.publicUrl).origin,
    async setClockOffset(ms) {
      // The service reads the file at every reading of its clock: the next request sees it.
      writeClockOffset(offsetFile, ms);
    },
    async close() {
      await site.close();
      await server.stop();
    },
  };
}

let orders = 0;

/** A card payout of 1 500,00 ₽ created through the merchant API; answers its link and orderNumber. */
export async function createCardPayout(
  world: EmbedWorld,
  urls?: { returnUrl: string; failUrl?: string },
  sessionTimeoutSecs = 600,
): Promise<{ payoutUrl: string; orderNumber: string }> {
  const orderNumber = `EMBED_${process.pid}_${Date.now()}_${++orders}`;
  const res = await api(world.merchant, 'POST', 'createPayout', {
    orderNumber,
    amount: 150000,
    type: 'card',
    description: 'Refund for order 1456',
    sessionTimeoutSecs,
    urls: urls ?? { returnUrl: `${world.site.origin}/return`, failUrl: `${world.site.origin}/return?failed=1` },
  });
  if (res.body?.result?.error !== '0') throw new Error(`createPayout failed: ${JSON.stringify(res.body)}`);
  return { payoutUrl: res.body.payoutUrl, orderNumber };
}
