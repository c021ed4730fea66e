// Another try: a card the bank declines does not end the link. The page says what happened
// and takes another card; the payout then ends at returnUrl with status=success, and the
// merchant gets one payout and one "success" webhook.
import { expect, test } from './test.ts';
import {
  createPayout,
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

/** The demo merchant's webhooks for this payout, as statuses in the order received. */
async function webhookStatuses(orderNumber: string): Promise<string[]> {
  const html = await (await fetch(`${world.server.url}/demo`)).text();
  return [...html.matchAll(/<pre>([^<]*)<\/pre>/g)]
    .map((m) => m[1]!.replace(/&quot;/g, '"'))
    .filter((b) => b.includes(`"externalId":"${orderNumber}"`))
    .map((b) => /"status":"(\w+)"/.exec(b)?.[1] ?? '?');
}

test('a declined card, then another card on the same link: returnUrl with status=success and one success webhook', async ({
  page,
}) => {
  const created = await createPayout(world, { type: 'card' });
  await page.goto(created.payoutUrl);
  await waitForEnhancements(page);
  await page.getByLabel('Card number').fill('4000 0000 0000 0010');
  await page.getByRole('button', { name: /^Receive/ }).click();

  // The form again, saying why, in plain words.
  await expect(
    page.getByRole('alert').filter({ hasText: "The card's bank declined the payout. Enter another card" }),
  ).toBeVisible({ timeout: 30_000 });
  expect((await payoutStatus(world, created.orderNumber)).orderStatus).toBe('processing');
  await waitForEnhancements(page);
  await expect(page.getByLabel('Card number')).toHaveValue('');

  await page.getByLabel('Card number').fill('4111 1111 1111 1111');
  await page.getByRole('button', { name: /^Receive/ }).click();
  await expect(page.getByRole('heading', { name: 'Payout sent' })).toBeVisible({ timeout: 30_000 });
  await expect(page.getByText('card 4111 11** **** 1111')).toBeVisible();
  await expectReturnedTo(page, created, 'returnUrl', 'success');
  await expectWebhook(world, created.orderNumber, 'success');
  expect((await webhookStatuses(created.orderNumber)).filter((s) => s === 'success')).toHaveLength(1);
  expect(await webhookStatuses(created.orderNumber)).not.toContain('failed');
});
