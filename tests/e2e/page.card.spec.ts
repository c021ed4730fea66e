// The recipient page with a card: from the link to the merchant's returnUrl (and its
// webhook), a declined card to failUrl, and the card-number field as people use it.
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

test('a card payout goes from the link to the merchant returnUrl, and the merchant gets the webhook', async ({
  page,
}) => {
  const created = await createPayout(world, { type: 'card' });
  await page.goto(created.payoutUrl);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Payout from Demo shop');
  await expect(page.getByText('₽1,500.00', { exact: true })).toBeVisible();
  await expect(page.getByText('Refund for order 1456')).toBeVisible();
  await expect(page.locator('.timer')).toContainText(/Link valid for \d+:\d\d/);
  await waitForEnhancements(page);

  await page.getByLabel('Card number').pressSequentially('4111111111111111');
  await expect(page.getByLabel('Card number')).toHaveValue('4111 1111 1111 1111');
  await page.getByRole('button', { name: 'Receive ₽1,500.00' }).click();

  await expect(page.getByRole('heading', { name: 'Payout sent' })).toBeVisible({ timeout: 15_000 });
  await expect(page.getByText('card 4111 11** **** 1111')).toBeVisible();
  await expect(page.getByText(/Taking you back to Demo shop in [1-5] s/)).toBeVisible();
  await expect(page.getByRole('link', { name: 'Go now' })).toBeVisible();
  await expectReturnedTo(page, created, 'returnUrl', 'success');
  await expect(page.getByText('Payee reports: success')).toBeVisible();
  await expectWebhook(world, created.orderNumber, 'success');

  const status = await payoutStatus(world, created.orderNumber);
  expect(status.orderStatus).toBe('success');
  expect(status.target).toEqual({ maskedPan: '411111******1111' });
});

test('a declined card ends at failUrl with status=failed, and "Go now" leaves without waiting', async ({ page }) => {
  const created = await createPayout(world, { type: 'card' });
  await page.goto(created.payoutUrl);
  await waitForEnhancements(page);
  await page.getByLabel('Card number').fill('4000 0000 0000 0002');
  await page.getByRole('button', { name: /^Receive/ }).click();
  await expect(page.getByRole('heading', { name: 'Payout failed' })).toBeVisible({ timeout: 15_000 });
  // The provider's reason (the sender's balance), in plain words.
  await expect(
    page.getByText('The sender cannot make this payout right now. We have let them know; please contact them.'),
  ).toBeVisible();
  await page.getByRole('link', { name: 'Go now' }).click();
  await expectReturnedTo(page, created, 'failUrl', 'failed');
  await expectWebhook(world, created.orderNumber, 'failed');
});

test('typing, pasting and correcting a card number: grouped as typed, no error mid-way, a clear one for a typo', async ({
  page,
}) => {
  const created = await createPayout(world, { type: 'card' });
  await page.goto(created.payoutUrl);
  await waitForEnhancements(page);
  const pan = page.getByLabel('Card number');

  // A valid prefix is never an error, even with enough digits to look like a whole card.
  await pan.pressSequentially('4111 1111 1111 1112');
  await expect(pan).toHaveValue('4111 1111 1111 1112');
  await expect(page.locator('#pan-err')).toHaveCount(0);
  await expect(pan).not.toHaveAttribute('aria-invalid', 'true');

  // Leaving the field says what is wrong, and ties the message to the field.
  await pan.blur();
  await expect(page.locator('#pan-err')).toHaveText('This card number has a typo — check the digits');
  await expect(pan).toHaveAttribute('aria-invalid', 'true');
  await expect(pan).toHaveAttribute('aria-describedby', 'pan-hint pan-err');

  // Correcting the last digit clears it at once.
  await pan.press('End');
  await pan.press('Backspace');
  await pan.pressSequentially('1');
  await expect(pan).toHaveValue('4111 1111 1111 1111');
  await expect(page.locator('#pan-err')).toHaveCount(0);
  await expect(pan).not.toHaveAttribute('aria-invalid', 'true');

  // Pasting a dashed number: digits only, grouped by the brand.
  await pan.fill('');
  await page.context().grantPermissions(['clipboard-read', 'clipboard-write']);
  await page.evaluate(() => navigator.clipboard.writeText('2200-0000-0000-0004'));
  await pan.focus();
  await page.keyboard.press('ControlOrMeta+V');
  await expect(pan).toHaveValue('2200 0000 0000 0004');
  await expect(page.getByRole('img', { name: 'Mir' })).toBeVisible();
});

test('the brand icon follows the number: Mir and Visa', async ({ page }) => {
  const created = await createPayout(world, { type: 'card' });
  await page.goto(created.payoutUrl);
  await waitForEnhancements(page);
  const pan = page.getByLabel('Card number');
  await pan.pressSequentially('2200 0000');
  await expect(page.getByRole('img', { name: 'Mir' })).toBeVisible();
  await pan.fill('');
  await pan.pressSequentially('4111');
  await expect(page.getByRole('img', { name: 'Visa' })).toBeVisible();
  await expect(page.getByRole('img', { name: 'Mir' })).toHaveCount(0);
  await expect(page.locator('svg.brand')).toHaveAttribute('data-brand', 'visa');
});

test('a Luhn-invalid number is refused with a clear message and the focus on the field', async ({ page }) => {
  const created = await createPayout(world, { type: 'card' });
  await page.goto(created.payoutUrl);
  await waitForEnhancements(page);
  await page.getByLabel('Card number').fill('4111 1111 1111 1112');
  await page.getByRole('button', { name: /^Receive/ }).focus();
  await page.keyboard.press('Enter');
  await expect(page.locator('#pan-err')).toHaveText('This card number has a typo — check the digits');
  await expect(page.getByLabel('Card number')).toBeFocused();
  // Nothing was sent: the payout still waits for details.
  expect((await payoutStatus(world, created.orderNumber)).orderStatus).toBe('uploaded');

  // An empty field on submit says so too.
  await page.getByLabel('Card number').fill('');
  await page.getByRole('button', { name: /^Receive/ }).click();
  await expect(page.locator('#pan-err')).toHaveText('Enter the card number');
});
