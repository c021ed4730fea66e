// The recipient page with SBP: phone number and bank, chosen by the recipient when the
// merchant did not fix the method; the bank picker by keyboard alone.
import type { Page } from '@playwright/test';
import { expect, test } from './test.ts';
import {
  createPayout,
  expectReturnedTo,
  expectWebhook,
  payoutStatus,
  startPageWorld,
  waitForEnhancements,
  type PageWorld,
  bankPicker,
} from './page-helpers.ts';

let world: PageWorld;
test.beforeAll(async () => {
  world = await startPageWorld();
});
test.afterAll(async () => {
  await world?.close();
});
test.use({ locale: 'en-US' });

async function openSbp(page: Page, url: string): Promise<void> {
  await page.goto(url);
  await waitForEnhancements(page);
  await page.getByRole('radio', { name: 'By phone number (SBP)' }).check();
  await expect(bankPicker(page, "Recipient's bank")).toBeVisible();
}

test('the recipient chooses SBP; the payout goes from the link to returnUrl and the merchant gets the webhook', async ({
  page,
}) => {
  const created = await createPayout(world);
  await page.goto(created.payoutUrl);
  await waitForEnhancements(page);
  // Both methods on offer; card first, SBP fields hidden until chosen.
  await expect(page.getByRole('radio', { name: 'To a card' })).toBeChecked();
  await expect(page.getByRole('textbox', { name: 'Phone number' })).toBeHidden();
  await page.getByRole('radio', { name: 'By phone number (SBP)' }).check();
  await expect(page.getByLabel('Card number')).toBeHidden();

  const phone = page.getByRole('textbox', { name: 'Phone number' });
  await phone.pressSequentially('89000000001');
  await expect(phone).toHaveValue('+7 (900) 000-00-01');

  const bank = bankPicker(page, "Recipient's bank");
  await bank.click();
  await bank.pressSequentially('sber');
  // The page is in English: English names, the Russian one beside it.
  await page.getByRole('option', { name: 'Sberbank · Сбербанк' }).click();
  await expect(bank).toHaveValue('Sberbank');

  await page.getByRole('button', { name: /^Receive/ }).click();
  await expect(page.getByRole('heading', { name: 'Payout sent' })).toBeVisible({ timeout: 15_000 });
  await expect(page.getByText('phone +7 (900) ***-**-01')).toBeVisible();
  await expectReturnedTo(page, created, 'returnUrl', 'success');
  await expectWebhook(world, created.orderNumber, 'success');
  const status = await payoutStatus(world, created.orderNumber);
  expect(status).toMatchObject({
    orderStatus: 'success',
    destination_type: 'sbp',
    target: { maskedPhone: '+7 (900) ***-**-01' },
  });
});

test('the bank picker works by keyboard alone: popular first, search in Russian or English, arrows, Enter, Escape', async ({
  page,
}) => {
  const created = await createPayout(world, { type: 'sbp' });
  await page.goto(created.payoutUrl);
  await waitForEnhancements(page);
  const bank = bankPicker(page, "Recipient's bank");
  await expect(bank).toBeVisible();

  // Tab from the phone field into the picker.
  await page.getByRole('textbox', { name: 'Phone number' }).focus();
  await page.keyboard.press('Tab');
  await expect(bank).toBeFocused();
  await expect(bank).toHaveAttribute('aria-expanded', 'false');

  // Down opens the list, popular banks first, and moves through it.
  await page.keyboard.press('ArrowDown');
  await expect(bank).toHaveAttribute('aria-expanded', 'true');
  const options = page.getByRole('option');
  await expect(options.nth(0)).toContainText('Sberbank');
  await expect(options.nth(1)).toContainText('T-Bank');
  await expect(options.nth(2)).toContainText('VTB Bank');
  await expect(options.nth(0)).toHaveAttribute('aria-selected', 'true');
  await page.keyboard.press('ArrowDown');
  await page.keyboard.press('ArrowDown');
  await expect(bank).toHaveAttribute('aria-activedescendant', 'bank-100000000005');
  await page.keyboard.press('ArrowUp');
  await expect(bank).toHaveAttribute('aria-activedescendant', 'bank-100000000004');

  // Escape closes without choosing.
  await page.keyboard.press('Escape');
  await expect(bank).toHaveAttribute('aria-expanded', 'false');
  await expect(bank).toHaveValue('');

  // Typing in Russian searches both languages' names; Enter takes the first match.
  await page.keyboard.type('альфа');
  await expect(options).toHaveCount(1);
  await expect(page.getByText('Banks found: 1')).toBeAttached();
  await page.keyboard.press('Enter');
  await expect(bank).toHaveValue('Alfa-Bank');
  await expect(bank).toHaveAttribute('aria-expanded', 'false');
  await expect(page.locator('input[name=bankId]')).toHaveValue('100000000008');

  // Escape on a closed box clears the choice; a name in English finds the bank too.
  await page.keyboard.press('Escape');
  await expect(bank).toHaveValue('');
  await expect(page.locator('input[name=bankId]')).toHaveValue('');
  await page.keyboard.type('raiff');
  await page.keyboard.press('ArrowDown');
  await page.keyboard.press('Enter');
  await expect(bank).toHaveValue('Raiffeisenbank');

  // A former name finds the bank under its name of today; so does a Russian name in Latin letters.
  await expect(page.locator('#bank-hint')).toHaveText('Start typing the name, in English or Russian');
  await page.keyboard.press('Escape');
  await page.keyboard.type('тинькофф');
  await expect(options).toHaveCount(1);
  await expect(options.first()).toContainText('T-Bank');
  await page.keyboard.press('Escape');
  await page.keyboard.press('Escape');
  await page.keyboard.type('rosselhoz');
  await expect(options.first()).toContainText('Rosselkhozbank');

  // A name that is not on the list is refused when leaving the box.
  await page.keyboard.press('Escape');
  await page.keyboard.press('Escape');
  await page.keyboard.type('Nosuchbank');
  await expect(page.locator('.none')).toHaveText('No such bank in the list');
  await page.keyboard.press('Tab');
  await expect(page.locator('#bank-err')).toHaveText('Choose a bank from the list');
  await expect(bank).toHaveAttribute('aria-invalid', 'true');
});

test('phone numbers are taken as pasted or typed with 8 or +7; a short one is refused on submit', async ({ page }) => {
  const created = await createPayout(world);
  await openSbp(page, created.payoutUrl);
  const phone = page.getByRole('textbox', { name: 'Phone number' });
  await phone.pressSequentially('+79000000001');
  await expect(phone).toHaveValue('+7 (900) 000-00-01');

  await phone.fill('');
  await page.context().grantPermissions(['clipboard-read', 'clipboard-write']);
  await page.evaluate(() => navigator.clipboard.writeText('8 (900) 000-00-01'));
  await phone.focus();
  await page.keyboard.press('ControlOrMeta+V');
  await expect(phone).toHaveValue('+7 (900) 000-00-01');

  await phone.fill('');
  await phone.pressSequentially('900123');
  await page.getByRole('button', { name: /^Receive/ }).click();
  await expect(page.locator('#phone-err')).toHaveText('Enter 10 digits after +7');
  await expect(page.locator('#bank-err')).toHaveText("Choose the recipient's bank");
  await expect(phone).toBeFocused();
  expect((await payoutStatus(world, created.orderNumber)).orderStatus).toBe('uploaded');
});
