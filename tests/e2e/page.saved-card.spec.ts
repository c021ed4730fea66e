// Saved destinations on the page: a recipient paid to a card once is offered that card,
// masked, on the next payout the merchant creates for the same recipient id; one tap pays
// it. Another recipient is not offered it, and a revoked destination is no longer offered.
import type { Page } from '@playwright/test';
import { expect, test } from './test.ts';
import { DEMO_MERCHANT_ID } from '../../server/demo/merchant.ts';
import { merchantCli } from '../helpers/cli.ts';
import {
  createPayout,
  expectAccessible,
  expectReturnedTo,
  expectWebhook,
  payoutStatus,
  startPageWorld,
  waitForEnhancements,
  type PageWorld,
} from './page-helpers.ts';

let world: PageWorld;
test.beforeAll(async () => {
  world = await startPageWorld();
});
test.afterAll(async () => {
  await world?.close();
});
test.use({ locale: 'en-US' });

let n = 0;
const recipient = () => `customer:${process.pid}.${Date.now()}.${++n}`;

/** A first payout for the recipient, paid on the page by card number: it saves the card. */
async function payByNumber(page: Page, recipientId: string): Promise<string> {
  const first = await createPayout(world, { type: 'card', recipientId });
  await page.goto(first.payoutUrl);
  await waitForEnhancements(page);
  await page.getByLabel('Card number').fill('2200 0000 0000 0004');
  await page.getByRole('button', { name: /^Receive/ }).click();
  await expect(page.getByRole('heading', { name: 'Payout sent' })).toBeVisible({ timeout: 30_000 });
  await expectWebhook(world, first.orderNumber, 'success');
  const status = await payoutStatus(world, first.orderNumber);
  expect(status.destination.maskedPan).toBe('220000******0004');
  return status.destination.token;
}

const savedButton = (page: Page) => page.getByRole('button', { name: /^Receive ₽1,500\.00 · card ••\s0004$/ });

test('a returning recipient gets the saved card by one tap: success, returnUrl, and the webhook names the same destination', async ({
  page,
}) => {
  const recipientId = recipient();
  const token = await payByNumber(page, recipientId);

  const second = await createPayout(world, { type: 'card', recipientId });
  await page.goto(second.payoutUrl);
  await expect(savedButton(page)).toBeVisible();
  await expect(page.getByText('or to another card')).toBeVisible();
  // The page holds the masked card only.
  expect(await page.content()).not.toContain('2200000000000004');
  await savedButton(page).click();
  await expect(page.getByRole('heading', { name: 'Payout sent' })).toBeVisible({ timeout: 30_000 });
  await expect(page.getByText('card 2200 00** **** 0004')).toBeVisible();
  await expectReturnedTo(page, second, 'returnUrl', 'success');
  await expectWebhook(world, second.orderNumber, 'success');
  const status = await payoutStatus(world, second.orderNumber);
  expect(status.orderStatus).toBe('success');
  expect(status.destination).toEqual({ token, maskedPan: '220000******0004' });
  const demo = await (await fetch(`${world.server.url}/demo`)).text();
  expect(demo).toContain(`&quot;destination&quot;:{&quot;token&quot;:&quot;${token}&quot;`);
});

test('the saved card is offered only to the same recipient, and no longer once revoked', async ({ page }) => {
  const recipientId = recipient();
  const token = await payByNumber(page, recipientId);

  await page.goto((await createPayout(world, { type: 'card', recipientId: recipient() })).payoutUrl);
  await expect(page.getByLabel('Card number')).toBeVisible();
  await expect(page.getByText('or to another card')).toHaveCount(0);
  await page.goto((await createPayout(world, { type: 'card' })).payoutUrl);
  await expect(page.getByLabel('Card number')).toBeVisible();
  await expect(page.getByText('or to another card')).toHaveCount(0);

  await merchantCli(world.server.dataDir, ['revoke-destination', DEMO_MERCHANT_ID, token]);
  await page.goto((await createPayout(world, { type: 'card', recipientId })).payoutUrl);
  await expect(page.getByLabel('Card number')).toBeVisible();
  await expect(page.getByText('or to another card')).toHaveCount(0);
});

for (const scheme of ['light', 'dark'] as const) {
  test.describe(`${scheme} scheme`, () => {
    test.use({ colorScheme: scheme });
    test(`the saved card offer has no accessibility violations (${scheme})`, async ({ page }) => {
      const recipientId = recipient();
      await payByNumber(page, recipientId);
      await page.goto((await createPayout(world, { type: 'card', recipientId })).payoutUrl);
      await waitForEnhancements(page);
      await expect(savedButton(page)).toBeVisible();
      await expectAccessible(page);
    });
  });
}
