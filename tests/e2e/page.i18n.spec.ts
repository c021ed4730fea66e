// Russian by default, English from Accept-Language or ?lang=en; every text and error in both.
import { expect, test } from '@playwright/test';
import { createPayout, startPageWorld, waitForEnhancements, type PageWorld, bankPicker } from './page-helpers.ts';

let world: PageWorld;
test.beforeAll(async () => {
  world = await startPageWorld();
});
test.afterAll(async () => {
  await world?.close();
});

test.describe('a browser in Russian', () => {
  test.use({ locale: 'ru-RU' });

  test('the page, its amount and its errors are in Russian', async ({ page }) => {
    const created = await createPayout(world, { description: 'Возврат за заказ 1456' });
    await page.goto(created.payoutUrl);
    await expect(page.locator('html')).toHaveAttribute('lang', 'ru');
    await expect(page.getByRole('heading', { level: 1 })).toHaveText('Выплата от Demo shop');
    await expect(page.getByText('1 500,00 ₽', { exact: true })).toBeVisible();
    await expect(page.locator('.timer')).toContainText('Ссылка действует ещё');
    await waitForEnhancements(page);
    await page.getByLabel('Номер карты').fill('4111 1111 1111 1112');
    await page.getByRole('button', { name: 'Получить 1 500,00 ₽' }).click();
    await expect(page.locator('#pan-err')).toHaveText('В номере карты ошибка — проверьте цифры');

    await page.getByRole('radio', { name: 'По номеру телефона (СБП)' }).check();
    await page.getByRole('button', { name: /^Получить/ }).click();
    await expect(page.locator('#phone-err')).toHaveText('Введите номер телефона');
    await expect(page.locator('#bank-err')).toHaveText('Выберите банк получателя');
    // Russian names in the bank list.
    await bankPicker(page, 'Банк получателя').pressSequentially('alfa');
    await expect(page.getByRole('option')).toHaveText(['АЛЬФА-БАНК · Alfa-Bank']);
  });

  test('?lang=en switches to English, and the link in the footer switches back', async ({ page }) => {
    const created = await createPayout(world);
    await page.goto(`${created.payoutUrl}?lang=en`);
    await expect(page.locator('html')).toHaveAttribute('lang', 'en');
    await expect(page.getByText('₽1,500.00', { exact: true })).toBeVisible();
    await expect(page.getByRole('button', { name: 'Receive ₽1,500.00' })).toBeVisible();
    await page.getByRole('link', { name: 'Русский' }).click();
    await expect(page.getByRole('button', { name: 'Получить 1 500,00 ₽' })).toBeVisible();
    await page.getByRole('link', { name: 'English' }).click();
    await expect(page.getByRole('button', { name: 'Receive ₽1,500.00' })).toBeVisible();
  });
});

test.describe('a browser in English', () => {
  test.use({ locale: 'en-GB' });

  test('the page is in English and its outcome too', async ({ page }) => {
    const created = await createPayout(world, { type: 'card' });
    await page.goto(created.payoutUrl);
    await expect(page.locator('html')).toHaveAttribute('lang', 'en');
    await expect(page.getByRole('heading', { level: 1 })).toHaveText('Payout from Demo shop');
    await waitForEnhancements(page);
    await page.getByLabel('Card number').fill('2200 0000 0000 0004');
    await page.getByRole('button', { name: 'Receive ₽1,500.00' }).click();
    await expect(page.getByRole('heading', { name: 'Payout sent' })).toBeVisible({ timeout: 15_000 });
    await expect(page.getByText(/Taking you back to Demo shop in \d s/)).toBeVisible();
  });
});

test.describe('a browser in neither language', () => {
  test.use({ locale: 'de-DE' });

  test('gets Russian', async ({ page }) => {
    const created = await createPayout(world);
    await page.goto(created.payoutUrl);
    await expect(page.locator('html')).toHaveAttribute('lang', 'ru');
  });
});
