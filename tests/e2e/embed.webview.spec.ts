// The form at the top of a mobile app's WebView: stand-ins for the React Native, WKWebView
// and Android bridges receive the same events; an app-scheme return URL works only when the
// merchant listed the scheme.
import type { Page } from '@playwright/test';
import { expect, test } from './test.ts';
import { api } from '../helpers/server.ts';
import { createCardPayout, startEmbedWorld, type EmbedWorld } from './embed-site.ts';

let world: EmbedWorld;
test.beforeAll(async () => {
  world = await startEmbedWorld(['--app-scheme', 'myapp']);
});
test.afterAll(async () => {
  await world?.close();
});

/** Each stand-in is what the app's WebView puts into the page before it loads; all hand strings to `native`. */
const bridges = {
  'React Native': () => {
    (window as any).ReactNativeWebView = { postMessage: (s: string) => (window as any).native('rn', s) };
  },
  WKWebView: () => {
    (window as any).webkit = {
      messageHandlers: { payee: { postMessage: (s: string) => (window as any).native('ios', s) } },
    };
  },
  Android: () => {
    (window as any).PayeeAndroid = { postMessage: (s: string) => (window as any).native('android', s) };
  },
};

async function inWebView(page: Page, bridge: keyof typeof bridges): Promise<Array<{ via: string; json: string }>> {
  const got: Array<{ via: string; json: string }> = [];
  await page.exposeBinding('native', (_source, via: string, json: string) => void got.push({ via, json }));
  await page.addInitScript(bridges[bridge]);
  return got;
}

const parsed = (got: Array<{ json: string }>) => got.map((g) => JSON.parse(g.json));
const withoutResize = (events: any[]) => events.map((e) => e.type).filter((t) => t !== 'resize');

for (const bridge of Object.keys(bridges) as Array<keyof typeof bridges>) {
  test(`${bridge}: the app receives ready, resize, submitted and completed for a card payout returning to myapp://`, async ({
    page,
  }) => {
    const got = await inWebView(page, bridge);
    const { payoutUrl, orderNumber } = await createCardPayout(world, {
      returnUrl: 'myapp://payout/done',
      failUrl: 'myapp://payout/failed',
    });
    await page.goto(`${payoutUrl}?lang=en`);
    await expect(page.locator('form[data-enhanced]')).toHaveCount(1);
    await page.getByLabel('Card number').fill('4111 1111 1111 1111');
    await page.getByRole('button', { name: /^Receive/ }).click();
    await expect(page.getByText('Payout sent')).toBeVisible();
    // The app closes the WebView on `completed` (or when it sees myapp://): the recipient taps "Go now".
    await page.getByRole('link', { name: 'Go now' }).click();
    await expect.poll(() => withoutResize(parsed(got))).toEqual(['ready', 'submitted', 'completed']);

    expect(new Set(got.map((g) => g.via)).size).toBe(1);
    const events = parsed(got);
    expect(events[1].type).toBe('resize');
    expect(events[1].height).toBeGreaterThan(100);
    const completed = events.find((e) => e.type === 'completed');
    expect(completed).toEqual({
      source: 'payee',
      version: 1,
      type: 'completed',
      orderNumber,
      status: 'success',
      redirectUrl: `myapp://payout/done?orderNumber=${encodeURIComponent(orderNumber)}&status=success`,
    });
    const wire = got.map((g) => g.json).join('\n');
    expect(wire).not.toContain('4111111111111111');
    expect(wire).not.toContain(new URL(payoutUrl).pathname.split('/').pop()!);
  });
}

test('an app-scheme returnUrl is accepted only when the merchant listed the scheme', async () => {
  const listed = await api(world.merchant, 'POST', 'createPayout', {
    orderNumber: `EMBED_APP_${Date.now()}`,
    amount: 1000,
    type: 'card',
    urls: { returnUrl: 'myapp://payout/done' },
  });
  expect(listed.body.result.error).toBe('0');
  const other = await api(world.merchant, 'POST', 'createPayout', {
    orderNumber: `EMBED_APP_${Date.now()}_2`,
    amount: 1000,
    type: 'card',
    urls: { returnUrl: 'otherapp://payout/done' },
  });
  expect(other.body.result.error).toBe('VALIDATION_ERROR');
  expect(other.body.result.message).toMatch(/urls\.returnUrl scheme otherapp: is not allowed/);
});
