// The form in a merchant's iframe, the merchant page on another origin: a card payout from
// start to the merchant's returnUrl, the frame following the form's height, events with the
// exact origin, framing refused to unlisted sites, and messages from them ignored.
import type { Page } from '@playwright/test';
import { afterCountdown, expect, test } from './test.ts';
import { createCardPayout, startEmbedWorld, type EmbedWorld } from './embed-site.ts';

let world: EmbedWorld;
test.beforeAll(async () => {
  world = await startEmbedWorld();
});
test.afterAll(async () => {
  await world?.close();
});
test.beforeEach(() => world.setClockOffset(0));

interface Received {
  origin: string;
  data: any;
}

/** Every message the merchant page receives, kept across its navigations. */
async function recordMessages(page: Page): Promise<Received[]> {
  const received: Received[] = [];
  await page.exposeBinding('record', (_source, m: Received) => void received.push(m));
  return received;
}

const formMessages = (all: Received[]) => all.filter((m) => m.data?.source === 'payee');
const types = (all: Received[]) => formMessages(all).map((m) => m.data.type);

async function openInIframe(page: Page, payoutUrl: string, extra = ''): Promise<void> {
  await page.goto(`${world.site.origin}/iframe?payout=${encodeURIComponent(`${payoutUrl}?embed=1&lang=en`)}${extra}`);
}

test('a card payout in an iframe ends with the merchant page at returnUrl; events arrive in order from the exact origin', async ({
  page,
}) => {
  const received = await recordMessages(page);
  const { payoutUrl, orderNumber } = await createCardPayout(world);
  await openInIframe(page, payoutUrl);
  const form = page.frameLocator('#payee');
  // The widget has its checks: the details go by fetch, and the page stays.
  await expect(form.locator('form[data-enhanced]')).toHaveCount(1);

  await form.getByLabel('Card number').fill('4111 1111 1111 1111');
  await form.getByRole('button', { name: /^Receive/ }).click();
  await expect(form.getByText('Payout sent')).toBeVisible();
  await afterCountdown(page, form);
  await page.waitForURL(`${world.site.origin}/return?**`);

  const returned = new URL(page.url());
  expect(returned.searchParams.get('orderNumber')).toBe(orderNumber);
  expect(returned.searchParams.get('status')).toBe('success');
  await expect(page.locator('#status')).toHaveText('success');

  const sent = formMessages(received);
  expect(sent.every((m) => m.origin === world.formOrigin)).toBe(true);
  const order = types(received).filter((t) => t !== 'resize');
  expect(order).toEqual(['ready', 'submitted', 'completed']);
  expect(types(received)[1]).toBe('resize');
  expect(sent.find((m) => m.data.type === 'submitted')!.data).toEqual({
    source: 'payee',
    version: 1,
    type: 'submitted',
    orderNumber,
    method: 'card',
  });
  expect(sent.find((m) => m.data.type === 'completed')!.data).toEqual({
    source: 'payee',
    version: 1,
    type: 'completed',
    orderNumber,
    status: 'success',
    redirectUrl: page.url(),
  });
  // Never the card number, its masked digits, or the link's token.
  const wire = JSON.stringify(sent);
  expect(wire).not.toContain('4111111111111111');
  expect(wire).not.toContain('1111 1111');
  expect(wire).not.toContain(new URL(payoutUrl).pathname.split('/').pop()!);
});

test('details sent by a plain form post, before the script is ready, are announced by the page that follows', async ({
  page,
}) => {
  const received = await recordMessages(page);
  // Hold the widget's checks back until the recipient has pressed the button: the browser posts the form itself.
  let release!: () => void;
  const held = new Promise<void>((r) => (release = r));
  await page.route('**/assets/enhance-*.js', async (route) => {
    await held;
    // The first document's request is gone with it.
    await route.continue().catch(() => {});
  });
  const { payoutUrl, orderNumber } = await createCardPayout(world);
  await openInIframe(page, payoutUrl);
  const form = page.frameLocator('#payee');
  await form.getByLabel('Card number').fill('4111111111111111');
  await form.getByRole('button', { name: /^Receive/ }).click();
  // The server's answer to the post is in the frame (a progress or done view): only now may scripts load.
  await expect(form.locator('#view-title')).toBeVisible();
  release();
  await expect(form.getByText('Payout sent')).toBeVisible();
  await form.getByRole('link', { name: 'Go now' }).click();
  await page.waitForURL(`${world.site.origin}/return?**`);

  // The first document never got its script; the page after the post says ready, submitted and completed.
  const order = types(received).filter((t) => t !== 'resize');
  expect(order).toEqual(['ready', 'submitted', 'completed']);
  expect(formMessages(received).find((m) => m.data.type === 'submitted')!.data.orderNumber).toBe(orderNumber);
  expect(formMessages(received).every((m) => m.origin === world.formOrigin)).toBe(true);
});

test('the frame grows when an error appears and shrinks back when it is fixed, never scrolling inside', async ({
  page,
}) => {
  const { payoutUrl } = await createCardPayout(world);
  await openInIframe(page, payoutUrl);
  const iframe = page.locator('#payee');
  const form = page.frameLocator('#payee');
  const frameHeight = async () =>
    Number((await iframe.evaluate((f: HTMLIFrameElement) => f.style.height)).replace('px', ''));
  const pan = form.getByLabel('Card number');
  await expect(form.locator('form[data-enhanced]')).toHaveCount(1);
  await expect.poll(frameHeight).toBeGreaterThan(300);
  const clean = await frameHeight();

  await pan.fill('4111 1111 1111 1112');
  await pan.blur();
  await expect(form.getByText('This card number has a typo')).toBeVisible();
  await expect.poll(frameHeight).toBeGreaterThan(clean);

  await pan.fill('4111 1111 1111 1111');
  await pan.blur();
  await expect(form.getByText('This card number has a typo')).toBeHidden();
  await expect.poll(frameHeight).toBe(clean);

  const inner = page.frames().find((f) => f.url().startsWith(world.formOrigin))!;
  const overflow = await inner.evaluate(() => document.documentElement.scrollHeight - window.innerHeight);
  expect(overflow).toBeLessThanOrEqual(0);
});

test('a site the merchant did not list cannot frame the form', async ({ page }) => {
  const { payoutUrl } = await createCardPayout(world);
  const res = await fetch(`${payoutUrl}?embed=1`);
  expect(res.headers.get('content-security-policy')).toContain(`frame-ancestors ${world.site.origin}`);

  await page.goto(
    `${world.site.foreignOrigin}/iframe-static?payout=${encodeURIComponent(`${payoutUrl}?embed=1&lang=en`)}`,
  );
  // Chromium replaces a refused frame with its error page.
  await expect.poll(() => page.frames()[1]?.url()).toBe('chrome-error://chromewebdata/');
  await expect(page.frameLocator('#payee').getByLabel('Card number')).toHaveCount(0);
});

test('messages posted to the frame from another origin are ignored', async ({ page }) => {
  const received = await recordMessages(page);
  const { payoutUrl } = await createCardPayout(world);
  await openInIframe(page, payoutUrl, `&foreign=${encodeURIComponent(`${world.site.foreignOrigin}/foreign`)}`);
  await expect(page.frameLocator('#payee').getByLabel('Card number')).toBeVisible();
  await expect.poll(() => types(received).includes('resize')).toBe(true);

  const form = page.frames().find((f) => f.url().startsWith(world.formOrigin))!;
  const foreign = page.frames().find((f) => f.url().startsWith(world.site.foreignOrigin))!;
  // Watch the form's window, so we know when the foreign message has been handled.
  await form.evaluate(() => {
    (window as any).seen = [];
    addEventListener('message', (e) => (window as any).seen.push(e.origin));
  });
  await foreign.evaluate(() => parent.frames[0]!.postMessage({ source: 'payee-host', type: 'hello' }, '*'));
  await expect.poll(() => form.evaluate(() => (window as any).seen as string[])).toContain(world.site.foreignOrigin);

  // The form answered nobody; now the real parent says hello and gets exactly one answer.
  const before = formMessages(received).length;
  await page.evaluate((origin) => {
    (document.getElementById('payee') as HTMLIFrameElement).contentWindow!.postMessage(
      { source: 'payee-host', type: 'hello' },
      origin,
    );
  }, world.formOrigin);
  await expect.poll(() => formMessages(received).length).toBeGreaterThan(before);
  expect(types(received).slice(before)).toEqual(['resize']);
  expect(await foreign.evaluate(() => (window as any).received.length)).toBe(0);
});

test('with no script on the parent page, the recipient leaves through a top-level link', async ({ page }) => {
  const received = await recordMessages(page);
  const { payoutUrl, orderNumber } = await createCardPayout(world);
  await page.goto(`${world.site.origin}/iframe-static?payout=${encodeURIComponent(`${payoutUrl}?embed=1&lang=en`)}`);
  const form = page.frameLocator('#payee');
  await form.getByLabel('Card number').fill('4111111111111111');
  await form.getByRole('button', { name: /^Receive/ }).click();
  const back = form.getByRole('link', { name: 'Go now' });
  await expect(back).toHaveAttribute('target', '_top');
  // The countdown ends (the form says `completed`) and still the frame holds the form, not the merchant's page.
  await afterCountdown(page, form);
  await expect.poll(() => types(received), { timeout: 15_000 }).toContain('completed');
  expect(page.frames()[1]!.url().startsWith(world.formOrigin)).toBe(true);
  await expect(back).toBeVisible();
  await back.click();
  await page.waitForURL(`${world.site.origin}/return?**`);
  expect(new URL(page.url()).searchParams.get('orderNumber')).toBe(orderNumber);
});

test('an expired link in the frame says `expired` when it is time to go, and the parent goes to failUrl', async ({
  page,
}) => {
  const received = await recordMessages(page);
  const { payoutUrl, orderNumber } = await createCardPayout(world, undefined, 60);
  await world.setClockOffset(61_000);
  await openInIframe(page, payoutUrl);
  await expect(page.frameLocator('#payee').getByRole('heading', { name: 'This link has expired' })).toBeVisible();
  // After the countdown the parent page is at failUrl.
  await afterCountdown(page, page.frameLocator('#payee'));
  await page.waitForURL(`${world.site.origin}/return?**`, { timeout: 15_000 });
  const failed = new URL(page.url()).searchParams;
  expect([failed.get('failed'), failed.get('orderNumber'), failed.get('status')]).toEqual([
    '1',
    orderNumber,
    'cancelled',
  ]);
  expect(types(received).filter((t) => t !== 'resize')).toEqual(['ready', 'expired']);
  expect(formMessages(received).at(-1)!.data).toEqual({
    source: 'payee',
    version: 1,
    type: 'expired',
    orderNumber,
    redirectUrl: page.url(),
  });
});

test('an expired link with no failUrl says `expired` at once, with nowhere to go', async ({ page }) => {
  const received = await recordMessages(page);
  const { payoutUrl, orderNumber } = await createCardPayout(world, { returnUrl: `${world.site.origin}/return` }, 60);
  await world.setClockOffset(61_000);
  await openInIframe(page, payoutUrl);
  await expect(page.frameLocator('#payee').getByRole('heading', { name: 'This link has expired' })).toBeVisible();
  await expect.poll(() => types(received)).toContain('expired');
  expect(formMessages(received).find((m) => m.data.type === 'expired')!.data).toEqual({
    source: 'payee',
    version: 1,
    type: 'expired',
    orderNumber,
    redirectUrl: null,
  });
  expect(page.url().startsWith(`${world.site.origin}/iframe?`)).toBe(true);
});
