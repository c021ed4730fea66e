// Russian by default; English, Uzbek, Kazakh, Kyrgyz and Tajik from Accept-Language or ?lang=;
// every text and error in each, <html lang> set, amounts written the language's way, and a
// language switcher on every page.
import { expect, test } from './test.ts';
import {
  createPayout,
  expectAccessible,
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

test.describe('a browser in none of the languages', () => {
  test.use({ locale: 'de-DE' });

  test('gets Russian', async ({ page }) => {
    const created = await createPayout(world);
    await page.goto(created.payoutUrl);
    await expect(page.locator('html')).toHaveAttribute('lang', 'ru');
  });
});

/** What each of the other languages must show: heading, amount on the button, one error, the card's bank declining. */
const LANGUAGES = [
  {
    lang: 'uz',
    browser: 'uz-UZ',
    heading: 'To‘lovchi Demo shop',
    button: '1 500,00 ₽ olish',
    panError: 'Karta raqamini kiriting',
    bank: 'Qabul qiluvchining banki',
    firstBank: 'Sberbank',
  },
  {
    lang: 'kk',
    browser: 'kk-KZ',
    heading: 'Төлеуші Demo shop',
    button: '1 500,00 ₽ алу',
    panError: 'Карта нөмірін енгізіңіз',
    bank: 'Алушының банкі',
    firstBank: 'Сбербанк',
  },
  {
    lang: 'ky',
    browser: 'ky-KG',
    heading: 'Төлөөчү Demo shop',
    button: '1 500,00 ₽ алуу',
    panError: 'Картанын номерин киргизиңиз',
    bank: 'Алуучунун банкы',
    firstBank: 'Сбербанк',
  },
  {
    lang: 'tg',
    browser: 'tg-TJ',
    heading: 'Пардохт аз Demo shop',
    button: 'Гирифтани 1 500,00 ₽',
    panError: 'Рақами кортро ворид кунед',
    bank: 'Бонки гиранда',
    firstBank: 'Сбербанк',
  },
] as const;

for (const l of LANGUAGES) {
  test.describe(`a browser in ${l.browser}`, () => {
    test.use({ locale: l.browser });

    test(`the page is in ${l.lang}: texts, amount, errors, bank names`, async ({ page }) => {
      const created = await createPayout(world);
      await page.goto(created.payoutUrl);
      await expect(page.locator('html')).toHaveAttribute('lang', l.lang);
      await expect(page.getByRole('heading', { level: 1 })).toHaveText(l.heading);
      await waitForEnhancements(page);
      await page.getByRole('button', { name: l.button }).click();
      await expect(page.locator('#pan-err')).toHaveText(l.panError);
      await page.locator('#m-sbp').check();
      await bankPicker(page, l.bank).click();
      await page.keyboard.press('ArrowDown');
      await expect(page.getByRole('option').first()).toContainText(l.firstBank);
    });
  });
}

for (const scheme of ['light', 'dark'] as const) {
  test.describe(`every language in the ${scheme} colour scheme`, () => {
    test.use({ colorScheme: scheme });
    for (const l of LANGUAGES) {
      test(`${l.lang} by ?lang=: no axe violations`, async ({ page }) => {
        const created = await createPayout(world);
        await page.goto(`${created.payoutUrl}?lang=${l.lang}`);
        await expect(page.locator('html')).toHaveAttribute('lang', l.lang);
        await waitForEnhancements(page);
        await expectAccessible(page);
      });
    }
  });
}

test('the language switcher offers every other language, each named in itself, and keeps the choice', async ({
  page,
}) => {
  const created = await createPayout(world);
  await page.goto(`${created.payoutUrl}?lang=kk`);
  const switcher = page.getByRole('navigation', { name: 'Тіл' });
  await expect(switcher.getByRole('link')).toHaveText(['Русский', 'English', 'Oʻzbekcha', 'Кыргызча', 'Тоҷикӣ']);
  await switcher.getByRole('link', { name: 'Тоҷикӣ' }).click();
  await expect(page.locator('html')).toHaveAttribute('lang', 'tg');
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Пардохт аз Demo shop');
  // The chosen language stays after a refused post (the form posts to the page with ?lang=).
  await waitForEnhancements(page);
  await page.getByRole('button', { name: /^Гирифтани/ }).click();
  await expect(page.locator('#pan-err')).toHaveText('Рақами кортро ворид кунед');
});

test('a declined card in Uzbek: the note above the form is in Uzbek too', async ({ page }) => {
  const created = await createPayout(world, { type: 'card' });
  await page.goto(`${created.payoutUrl}?lang=uz`);
  await waitForEnhancements(page);
  await page.getByLabel('Karta raqami').fill('4000 0000 0000 0010');
  await page.getByRole('button', { name: /olish$/ }).click();
  await expect(page.getByRole('alert')).toHaveText(
    'Kartani chiqargan bank to‘lovni rad etdi. Boshqa karta yoki telefon raqamini kiriting.',
    { timeout: 30_000 },
  );
  await expect(page.locator('html')).toHaveAttribute('lang', 'uz');
});
