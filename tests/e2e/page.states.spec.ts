// Every state of the page, checked with axe-core (zero violations) in light and dark,
// and photographed at 375 px wide into tests/output/screenshots/ (not committed).
// Also: usable at 320 px wide (the width of 200% zoom on a 640 px window).
import { expect, test, type Page } from '@playwright/test';
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
  world = await startPageWorld({ clock: true });
});
test.afterAll(async () => {
  await world?.close();
});
test.beforeEach(() => world.setClockOffset(0));
test.use({ viewport: { width: 375, height: 812 }, locale: 'ru-RU' });

async function shot(page: Page, name: string): Promise<void> {
  const project = test.info().project.name;
  await page.screenshot({ path: `tests/output/screenshots/${project}-${name}.png`, fullPage: true });
}

for (const scheme of ['light', 'dark'] as const) {
  test.describe(`${scheme} colour scheme`, () => {
    test.use({ colorScheme: scheme });

    test('form, errors, bank list, progress and outcome: no axe violations', async ({ page }) => {
      const created = await createPayout(world, { description: 'Возврат за заказ 1456' });
      await page.goto(created.payoutUrl);
      await waitForEnhancements(page);
      await expectAccessible(page);
      await shot(page, `${scheme}-1-form`);

      await page.getByRole('button', { name: /^Получить/ }).click();
      await expect(page.locator('#pan-err')).toBeVisible();
      await expectAccessible(page);
      await shot(page, `${scheme}-2-card-error`);

      await page.getByRole('radio', { name: /СБП/ }).check();
      await page.getByRole('button', { name: /^Получить/ }).click();
      await expect(page.locator('#bank-err')).toBeVisible();
      await expectAccessible(page);
      await shot(page, `${scheme}-3-sbp-errors`);

      await page.getByRole('textbox', { name: 'Номер телефона' }).pressSequentially('9000000003'); // stays processing
      const bank = bankPicker(page, 'Банк получателя');
      await bank.pressSequentially('т');
      await page.keyboard.press('ArrowDown');
      await expect(page.getByRole('listbox')).toBeVisible();
      await expectAccessible(page);
      await shot(page, `${scheme}-4-bank-list`);
      await page.keyboard.press('Enter');

      await page.getByRole('button', { name: /^Получить/ }).click();
      await expect(page.getByRole('heading', { name: 'Отправляем выплату…' })).toBeVisible();
      await expectAccessible(page);
      await shot(page, `${scheme}-5-progress`);

      await world.setClockOffset(61_000); // the wait is over: still processing
      await expect(page.getByRole('heading', { name: 'Выплата в обработке' })).toBeVisible();
      await expectAccessible(page);
      await shot(page, `${scheme}-6-processing`);
    });

    test('success, failure and expiry: no axe violations', async ({ context }) => {
      // A fresh tab for each: the previous one is about to go back to the merchant.
      let page = await context.newPage();
      const paid = await createPayout(world, { type: 'card' });
      await page.goto(paid.payoutUrl);
      await waitForEnhancements(page);
      await page.getByLabel('Номер карты').fill('2200 0000 0000 0004');
      await page.getByRole('button', { name: /^Получить/ }).click();
      await expect(page.getByRole('heading', { name: 'Выплата отправлена' })).toBeVisible({ timeout: 15_000 });
      await expectAccessible(page);
      await shot(page, `${scheme}-7-success`);

      const declined = await createPayout(world, { type: 'card' });
      page = await context.newPage();
      await page.goto(declined.payoutUrl);
      await waitForEnhancements(page);
      await page.getByLabel('Номер карты').fill('4000 0000 0000 0002');
      await page.getByRole('button', { name: /^Получить/ }).click();
      await expect(page.getByRole('heading', { name: 'Выплата не прошла' })).toBeVisible({ timeout: 15_000 });
      await expectAccessible(page);
      await shot(page, `${scheme}-8-failed`);

      const expired = await createPayout(world, { type: 'card', sessionTimeoutSecs: 60 });
      await world.setClockOffset(61_000);
      page = await context.newPage();
      await page.goto(expired.payoutUrl);
      await expect(page.getByRole('heading', { name: 'Ссылка больше не действует' })).toBeVisible();
      await expectAccessible(page);
      await shot(page, `${scheme}-9-expired`);
    });
  });
}

test.describe('a narrow screen', () => {
  test.use({ viewport: { width: 320, height: 640 } });

  test('at 320 px nothing scrolls sideways and every control is at least 44 px tall', async ({ page }) => {
    const created = await createPayout(world, {
      description: 'Очень длинное описание выплаты, которое не должно ломать вёрстку на узком экране: заказ №1456789',
    });
    await page.goto(created.payoutUrl);
    await waitForEnhancements(page);
    await page.getByRole('radio', { name: /СБП/ }).check();
    await bankPicker(page, 'Банк получателя').click();
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    expect(overflow).toBeLessThanOrEqual(0);
    const small = await page.evaluate(() =>
      [
        ...document.querySelectorAll<HTMLElement>(
          'input:not([type=hidden]):not([type=radio]), select, button, label.tile, a, [role=option]',
        ),
      ]
        .filter((el) => el.offsetParent !== null && el.getBoundingClientRect().height < 44)
        .map((el) => el.outerHTML.slice(0, 80)),
    );
    expect(small).toEqual([]);
    await shot(page, 'narrow-320');
  });
});
