// A recipient in Chromium fills our form for a payout routed to the P2P gateway (the
// simulator, over real HTTP): a card number, or an SBP phone + bank. The gateway pays and
// calls back to the tagged URL we gave it; the recipient lands on the merchant's
// returnUrl (or failUrl) with the final status and the merchant's webhook sees it too.
import type { Page } from '@playwright/test';
import { afterCountdown, expect, test } from './test.ts';
import { SHOP, createShopPayout, merchantSite } from './provider-site.ts';
import { bankPicker } from './page-helpers.ts';
import { p2pInstance, startPayeeWith, type PayeeWithProvider } from '../helpers/provider-harness.ts';
import { startP2pSimulator, type P2pSimulator } from '../simulators/p2p.ts';

let sim: P2pSimulator;
let payee: PayeeWithProvider;

test.beforeAll(async () => {
  sim = await startP2pSimulator();
  sim.autoStatus = 'successful';
  sim.autoSettleMs = 200;
  payee = await startPayeeWith(
    {
      p2p: p2pInstance(sim),
    },
    [
      { type: 'card', channel: 'vtb', provider: 'p2p' },
      { type: 'sbp', channel: 'vtb', provider: 'p2p' },
    ],
  );
});
test.afterAll(async () => {
  await payee?.stop();
  await sim?.close();
});

async function merchantSees(page: Page, orderNumber: string, status: 'success' | 'failed'): Promise<void> {
  await afterCountdown(page);
  await page.waitForURL(`${SHOP}/${status === 'success' ? 'done' : 'fail'}?**`, { timeout: 20_000 });
  const back = new URL(page.url());
  expect(back.searchParams.get('orderNumber')).toBe(orderNumber);
  expect(back.searchParams.get('status')).toBe(status);
  await expect(page.locator('#status')).toHaveText(status);
  await payee.hooks.until((rs) =>
    rs.some((x) => JSON.parse(x.body).payout.externalId === orderNumber && JSON.parse(x.body).payout.status === status),
  );
}

test('card: the gateway pays and calls back, success at returnUrl and in the webhook', async ({ page }) => {
  await merchantSite(page);
  const { orderNumber, url } = await createShopPayout(payee, 'P2P-PW', 'card');
  await page.goto(url);
  await page.getByLabel('Card number').fill('2200 0000 0000 0004');
  await page.getByRole('button', { name: /^Receive/ }).click();
  await expect(page.getByText('Payout sent')).toBeVisible({ timeout: 15_000 });
  await merchantSees(page, orderNumber, 'success');
  expect(payee.webhookStatuses(orderNumber)).toEqual(['created', 'processing', 'success']);
  const order = sim.orders.get(payee.row(orderNumber)!.order_id)!;
  expect([order.paymentMethod, order.requisite, order.fiatAmount]).toEqual(['card', '220000******0004', '1500.00']);
});

test('SBP: phone + bank from the picker; the gateway gets the bank name from our list', async ({ page }) => {
  await merchantSite(page);
  const { orderNumber, url } = await createShopPayout(payee, 'P2P-PW', 'sbp');
  await page.goto(url);
  await page.getByLabel('Phone number').fill('9680000000');
  await bankPicker(page, "Recipient's bank").fill('Sber');
  await page
    .getByRole('option', { name: /Sberbank/ })
    .first()
    .click();
  await page.getByRole('button', { name: /^Receive/ }).click();
  await merchantSees(page, orderNumber, 'success');
  const order = sim.orders.get(payee.row(orderNumber)!.order_id)!;
  expect([order.paymentMethod, order.requisite, order.bankName]).toEqual(['sbp', '79680000000', 'Sberbank']);
});

test('the gateway refusing ("low balance"): the recipient sees the failure, lands on failUrl; the merchant gets failed', async ({
  page,
}) => {
  await merchantSite(page);
  sim.failNext = { error: 'low balance' };
  const { orderNumber, url } = await createShopPayout(payee, 'P2P-PW', 'card');
  await page.goto(url);
  await page.getByLabel('Card number').fill('2200 0000 0000 0004');
  await page.getByRole('button', { name: /^Receive/ }).click();
  await expect(page.getByText('Payout failed')).toBeVisible({ timeout: 15_000 });
  await merchantSees(page, orderNumber, 'failed');
  expect(payee.row(orderNumber)!.status_reason).toBe('p2p_low_balance');
});
