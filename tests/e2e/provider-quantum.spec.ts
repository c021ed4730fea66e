// A recipient in Chromium fills our form for a card payout routed to an upstream Quantum
// Payouts account (the simulator, over real HTTP): we pay out by performPayout, the
// account's signed webhook says success; the recipient lands on the merchant's returnUrl
// and the merchant's webhook sees it too.
import { afterCountdown, expect, test } from './test.ts';
import { SHOP, createShopPayout, merchantSite } from './provider-site.ts';
import { secretFile, startPayeeWith, type PayeeWithProvider } from '../helpers/provider-harness.ts';
import { startQuantumSimulator, type QuantumSimulator } from '../simulators/quantum.ts';

let sim: QuantumSimulator;
let payee: PayeeWithProvider;

test.beforeAll(async () => {
  sim = await startQuantumSimulator();
  sim.autoStatus = 'success';
  sim.autoSettleMs = 200;
  payee = await startPayeeWith(
    {
      upstream: {
        kind: 'quantum',
        baseUrl: sim.url,
        tokenFile: secretFile(sim.token),
        webhookSecretFile: secretFile(sim.webhookSecret),
      },
    },
    [{ type: 'card', channel: 'vtb', provider: 'upstream' }],
  );
  sim.webhookUrl = `${payee.server.url}/callbacks/upstream/webhook`;
});
test.afterAll(async () => {
  await payee?.stop();
  await sim?.close();
});

test('card: paid out upstream, success at returnUrl and in the webhook', async ({ page }) => {
  await merchantSite(page);
  const { orderNumber, url } = await createShopPayout(payee, 'QU-PW', 'card');
  await page.goto(url);
  await page.getByLabel('Card number').fill('2200 0000 0000 0004');
  await page.getByRole('button', { name: /^Receive/ }).click();
  await expect(page.getByText('Payout sent')).toBeVisible({ timeout: 15_000 });
  await afterCountdown(page);
  await page.waitForURL(`${SHOP}/done?**`, { timeout: 20_000 });
  expect(new URL(page.url()).searchParams.get('status')).toBe('success');
  await expect(page.locator('#status')).toHaveText('success');
  await payee.hooks.until((rs) =>
    rs.some(
      (x) => JSON.parse(x.body).payout.externalId === orderNumber && JSON.parse(x.body).payout.status === 'success',
    ),
  );
  expect(payee.webhookStatuses(orderNumber)).toEqual(['created', 'processing', 'success']);

  const orderId = payee.row(orderNumber)!.order_id;
  expect(sim.bankSubmissions.filter((o) => o === orderId)).toEqual([orderId]);
  expect(sim.payouts.get(orderId)!.maskedPan).toBe('220000******0004');
  expect(sim.webhooks.filter((w) => w.orderNumber === orderId).every((w) => w.httpStatus === 200)).toBe(true);
});
