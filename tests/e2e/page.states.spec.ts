// Every state of the page, checked with axe-core (zero violations) in light and dark,
// and photographed at 375 px wide into tests/output/screenshots/ (not committed).
// Also: usable at 320 px wide (the width of 200% zoom on a 640 px window).
import type { Page } from '@playwright/test';
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

/** Each state, reached from a fresh payout: the steps before it are repeated, not scanned. */
const STATES: Array<[name: string, reach: (page: Page) => Promise<void>]> = [
  ['1-form', async (page) => openForm(page, await createPayout(world, { description: 'Возврат за заказ 1456' }))],
  [
    '2-card-error',
    async (page) => {
      await openForm(page, await createPayout(world, { description: 'Возврат за заказ 1456' }));
      await submit(page);
      await expect(page.locator('#pan-err')).toBeVisible();
    },
  ],
  ['3-sbp-errors', sbpErrors],
  [
    '4-bank-list',
    async (page) => {
      await sbpErrors(page);
      await bankListOpen(page);
    },
  ],
  [
    '5-progress',
    async (page) => {
      await sbpErrors(page);
      await bankListOpen(page);
      await page.keyboard.press('Enter');
      await submit(page);
      await expect(page.getByRole('heading', { name: 'Отправляем выплату…' })).toBeVisible();
    },
  ],
  [
    '6-processing',
    async (page) => {
      await sbpErrors(page);
      await bankListOpen(page);
      await page.keyboard.press('Enter');
      await submit(page);
      await expect(page.getByRole('heading', { name: 'Отправляем выплату…' })).toBeVisible();
      await world.setClockOffset(61_000); // the wait is over: still processing
      await expect(page.getByRole('heading', { name: 'Выплата в обработке' })).toBeVisible();
    },
  ],
  ['7-success', (page) => cardOutcome(page, '2200 0000 0000 0004', 'Выплата отправлена')],
  ['8-failed', (page) => cardOutcome(page, '4000 0000 0000 0002', 'Выплата не прошла')],
  [
    '8b-another-try',
    async (page) => {
      await openForm(page, await createPayout(world, { type: 'card' }));
      await page.getByLabel('Номер карты').fill('4000 0000 0000 0010');
      await submit(page);
      await expect(page.getByRole('alert')).toContainText('Укажите другую карту', { timeout: 30_000 });
      await waitForEnhancements(page);
    },
  ],
  [
    '9-expired',
    async (page) => {
      const expired = await createPayout(world, { type: 'card', sessionTimeoutSecs: 60 });
      await world.setClockOffset(61_000);
      await page.goto(expired.payoutUrl);
      await expect(page.getByRole('heading', { name: 'Ссылка больше не действует' })).toBeVisible();
    },
  ],
];

async function openForm(page: Page, created: { payoutUrl: string }): Promise<void> {
  await page.goto(created.payoutUrl);
  await waitForEnhancements(page);
}

const submit = (page: Page) => page.getByRole('button', { name: /^Получить/ }).click();

/** SBP chosen and sent empty: the phone and bank errors. */
async function sbpErrors(page: Page): Promise<void> {
  await openForm(page, await createPayout(world, { description: 'Возврат за заказ 1456' }));
  await page.getByRole('radio', { name: /СБП/ }).check();
  await submit(page);
  await expect(page.locator('#bank-err')).toBeVisible();
}

/** A phone that stays processing, and the bank list open at "т". */
async function bankListOpen(page: Page): Promise<void> {
  await page.getByRole('textbox', { name: 'Номер телефона' }).pressSequentially('9000000003');
  await bankPicker(page, 'Банк получателя').pressSequentially('т');
  await page.keyboard.press('ArrowDown');
  await expect(page.getByRole('listbox')).toBeVisible();
}

async function cardOutcome(page: Page, pan: string, heading: string): Promise<void> {
  await openForm(page, await createPayout(world, { type: 'card' }));
  await page.getByLabel('Номер карты').fill(pan);
  await submit(page);
  await expect(page.getByRole('heading', { name: heading })).toBeVisible({ timeout: 15_000 });
}

for (const scheme of ['light', 'dark'] as const) {
  test.describe(`${scheme} colour scheme`, () => {
    test.use({ colorScheme: scheme });
    for (const [name, reach] of STATES) {
      test(`${name}: no axe violations`, async ({ page }) => {
        await reach(page);
        await expectAccessible(page);
        await shot(page, `${scheme}-${name}`);
      });
    }
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
