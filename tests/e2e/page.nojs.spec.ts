// Without JavaScript: the page is a real form the server answers (post/redirect/get),
// the progress page refreshes itself and the outcome page goes back to the merchant.
import { expect, test } from './test.ts';
import {
  createPayout,
  expectReturnedTo,
  expectWebhook,
  payoutStatus,
  startPageWorld,
  type PageWorld,
} from './page-helpers.ts';

let world: PageWorld;
test.beforeAll(async () => {
  world = await startPageWorld();
});
test.afterAll(async () => {
  await world?.close();
});
test.use({ javaScriptEnabled: false, locale: 'en-US' });

test('a card payout without JavaScript: refused typo, then paid, back at returnUrl', async ({ page }) => {
  const created = await createPayout(world);
  await page.goto(created.payoutUrl);
  // The method choice shows only the chosen method's fields, with CSS alone.
  await expect(page.getByRole('radio', { name: 'To a card' })).toBeChecked();
  await expect(page.getByRole('textbox', { name: 'Phone number' })).toBeHidden();

  await page.getByLabel('Card number').fill('4111 1111 1111 1112');
  const refused = page.waitForResponse((r) => r.request().method() === 'POST');
  await page.getByRole('button', { name: /^Receive/ }).click();
  expect((await refused).status()).toBe(422);
  await expect(page.locator('#pan-err')).toHaveText('This card number has a typo — check the digits');
  // The card number is never sent back to the browser.
  await expect(page.getByLabel('Card number')).toHaveValue('');
  expect(await page.content()).not.toContain('4111 1111 1111 1112');
  await expect(page.getByLabel('Card number')).toBeFocused();

  await page.getByLabel('Card number').fill('4111-1111-1111-1111');
  await page.getByRole('button', { name: /^Receive/ }).click();
  // Redirected to the page itself, which now shows the progress and refreshes until the outcome.
  await expect(page.getByRole('heading', { name: /Sending the payout…|Payout sent/ })).toBeVisible();
  expect(new URL(page.url()).pathname).toBe(new URL(created.payoutUrl).pathname);
  await expect(page.getByRole('heading', { name: 'Payout sent' })).toBeVisible({ timeout: 15_000 });
  await expectReturnedTo(page, created, 'returnUrl', 'success');
  await expectWebhook(world, created.orderNumber, 'success');
});

test('an SBP payout without JavaScript: phone and a bank from the list', async ({ page }) => {
  const created = await createPayout(world);
  await page.goto(created.payoutUrl);
  await page.getByRole('radio', { name: 'By phone number (SBP)' }).check();
  await page.getByRole('textbox', { name: 'Phone number' }).fill('8 900 000-00-01');
  // A plain select: popular banks first, and the hint says so (nothing to type into here).
  const bank = page.getByRole('combobox', { name: "Recipient's bank" });
  await expect(bank).toHaveAccessibleDescription(
    'Choose your bank from the list: popular ones first, then all by name',
  );
  await expect(bank.locator('optgroup').first()).toHaveAttribute('label', 'Popular');
  await expect(bank.locator('option').nth(1)).toHaveText('Sberbank');
  await bank.selectOption({ label: 'VTB Bank' });
  await page.getByRole('button', { name: /^Receive/ }).click();
  await expect(page.getByRole('heading', { name: 'Payout sent' })).toBeVisible({ timeout: 15_000 });
  await expect(page.getByText('phone +7 (900) ***-**-01')).toBeVisible();
  await page.getByRole('link', { name: 'Go now' }).click();
  await expectReturnedTo(page, created, 'returnUrl', 'success');
  const status = await payoutStatus(world, created.orderNumber);
  expect(status).toMatchObject({ orderStatus: 'success', destination_type: 'sbp' });
});

test('a refused SBP post keeps what was entered and says what is missing', async ({ page }) => {
  const created = await createPayout(world, { type: 'sbp' });
  await page.goto(created.payoutUrl);
  await page.getByRole('textbox', { name: 'Phone number' }).fill('+7 900 000 00 01');
  await page.getByRole('button', { name: /^Receive/ }).click();
  await expect(page.locator('#bank-err')).toHaveText("Choose the recipient's bank");
  await expect(page.getByRole('textbox', { name: 'Phone number' })).toHaveValue('+7 900 000 00 01');
  await expect(page.getByRole('combobox', { name: "Recipient's bank" })).toHaveAttribute('aria-invalid', 'true');
});

test('a declined card without JavaScript: the form comes back saying why, and another card is paid', async ({
  page,
}) => {
  const created = await createPayout(world, { type: 'card' });
  await page.goto(created.payoutUrl);
  await page.getByLabel('Card number').fill('4000 0000 0000 0010');
  await page.getByRole('button', { name: /^Receive/ }).click();
  // The progress page refreshes itself until the form is back.
  await expect(page.getByRole('alert')).toContainText("The card's bank declined the payout", { timeout: 30_000 });
  await page.getByLabel('Card number').fill('2200 0000 0000 0004');
  await page.getByRole('button', { name: /^Receive/ }).click();
  await expect(page.getByRole('heading', { name: 'Payout sent' })).toBeVisible({ timeout: 30_000 });
  await expectReturnedTo(page, created, 'returnUrl', 'success');
});
