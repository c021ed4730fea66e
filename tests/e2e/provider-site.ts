// The merchant's side of the provider browser tests: a site whose return page shows the
// status it was sent back with, and payout links that point at it.
import { expect, type Page } from '@playwright/test';
import type { PayeeWithProvider } from '../helpers/provider-harness.ts';

export const SHOP = 'https://shop.example';

/** Serves the merchant's site (intercepted, never reached): the return page shows what it was told. */
export async function merchantSite(page: Page): Promise<void> {
  await page.route(`${SHOP}/**`, (route) => {
    const u = new URL(route.request().url());
    return route.fulfill({
      contentType: 'text/html',
      body: `<h1>Shop</h1><p id="status">${u.searchParams.get('status')}</p>`,
    });
  });
}

let n = 0;

/** createPayout returning to the merchant's site; the link to open in English. */
export async function createShopPayout(
  payee: PayeeWithProvider,
  prefix: string,
  type: 'card' | 'sbp',
): Promise<{ orderNumber: string; url: string }> {
  const orderNumber = `${prefix}-${++n}-${Date.now()}`;
  const r = await payee.api('createPayout', {
    orderNumber,
    amount: 150000,
    type,
    description: 'Prize',
    urls: { returnUrl: `${SHOP}/done`, failUrl: `${SHOP}/fail` },
  });
  expect(r.status, JSON.stringify(r.body)).toBe(200);
  return { orderNumber, url: `${r.body.payoutUrl.replace(payee.server.publicUrl, payee.server.url)}?lang=en` };
}
