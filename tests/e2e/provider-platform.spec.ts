// A recipient in Chromium opens our page for a payout routed to the payments platform (a
// hand-off provider, simulated over real HTTP): choosing the method sends them on to the
// platform's own form, where they enter the card; the platform brings them back to our
// page, which shows the result and returns them to the merchant. The platform's signed
// webhook (confirmed with GET /api/payments/:id) settles the payout; the merchant's
// webhook sees it.
import { afterCountdown, expect, test } from './test.ts';
import { SHOP, createShopPayout, merchantSite } from './provider-site.ts';
import { secretFile, startPayeeWith, type PayeeWithProvider } from '../helpers/provider-harness.ts';
import { startPlatformSimulator, type PlatformSimulator } from '../simulators/platform.ts';

let sim: PlatformSimulator;
let payee: PayeeWithProvider;

test.beforeAll(async () => {
  sim = await startPlatformSimulator();
  payee = await startPayeeWith({ platform: { kind: 'platform', baseUrl: sim.url, tokenFile: secretFile(sim.token) } }, [
    { type: 'card', channel: 'vtb', provider: 'platform' },
  ]);
});
test.afterAll(async () => {
  await payee?.stop();
  await sim?.close();
});

test('card by hand-off: our page → the platform form → back to our page → the merchant sees success', async ({
  page,
}) => {
  await merchantSite(page);
  const { orderNumber, url } = await createShopPayout(payee, 'PL-PW', 'card');
  await page.goto(url);
  // The platform collects the card itself: our page asks for nothing but the go-ahead.
  await expect(page.getByLabel('Card number')).toHaveCount(0);
  // With the script loaded (the plain form's cross-origin redirect is refused by our CSP's form-action).
  await expect(page.locator('form[data-enhanced]')).toHaveCount(1);
  await page.getByRole('button', { name: /^(Receive|Continue)/ }).click();

  await page.waitForURL(`${sim.url}/checkin/**`);
  await expect(page.getByRole('heading', { name: 'Receive 1500.00 RUB' })).toBeVisible();
  await page.getByLabel('Card number').fill('2200000000000004');
  await page.getByRole('button', { name: 'Receive payout' }).click();

  await expect(page.getByText('Payout sent')).toBeVisible({ timeout: 15_000 });
  await afterCountdown(page);
  await page.waitForURL(`${SHOP}/done?**`, { timeout: 20_000 });
  expect(new URL(page.url()).searchParams.get('status')).toBe('success');
  await payee.hooks.until((rs) =>
    rs.some(
      (x) => JSON.parse(x.body).payout.externalId === orderNumber && JSON.parse(x.body).payout.status === 'success',
    ),
  );
  expect(payee.webhookStatuses(orderNumber)).toEqual(['created', 'processing', 'success']);
  const mine = [...sim.payments.values()].filter((p) => p.externalId === payee.row(orderNumber)!.order_id);
  expect(mine.length).toBe(1);
  expect(mine[0]!.maskedPan).toBe('220000******0004');
});
