// The demo shop: payouts created from its form, and the recipient's form shown three ways side
// by side (a link, in the page, in a dialog), each one paid to the end.
import type { Page } from '@playwright/test';
import { afterCountdown, expect, test } from './test.ts';
import AxeBuilder from '@axe-core/playwright';
import { expectAccessible, startPageWorld, type PageWorld } from './page-helpers.ts';

let world: PageWorld;
test.beforeAll(async () => {
  world = await startPageWorld();
});
test.afterAll(async () => {
  await world?.close();
});

async function createDemoPayouts(page: Page): Promise<void> {
  await page.goto(`${world.server.url}/demo`);
  await page.getByRole('button', { name: 'Create payouts' }).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Three ways to give the recipient the form');
}

test('the link, the frame and the dialog side by side; the frame is paid and the page goes to returnUrl', async ({
  page,
}) => {
  await createDemoPayouts(page);
  await expect(page.getByRole('link', { name: 'Open the payout page' })).toHaveAttribute('href', /\/pay\/[\w-]{43}$/);
  const form = page.frameLocator('#frame iframe');
  await form.getByLabel(/Card number|Номер карты/).fill('4111 1111 1111 1111');
  await form.getByRole('button', { name: /^(Receive|Получить)/ }).click();
  await afterCountdown(page, form);
  await page.waitForURL((u) => u.pathname === '/demo/return' && u.searchParams.get('status') === 'success', {
    timeout: 30_000,
  });
});

test('the dialog opens the form over the page', async ({ page }) => {
  await createDemoPayouts(page);
  await page.getByRole('button', { name: 'Get paid' }).click();
  const dialog = page.getByRole('dialog', { name: 'Payout details' });
  await expect(dialog).toBeVisible();
  await expect(dialog.frameLocator('iframe').getByLabel(/Card number|Номер карты/)).toBeVisible();
});

for (const scheme of ['light', 'dark'] as const) {
  test(`the demo pages have no axe violations (${scheme})`, async ({ page }) => {
    await page.emulateMedia({ colorScheme: scheme });
    await page.goto(`${world.server.url}/demo`);
    await expectAccessible(page);
    await createDemoPayouts(page);
    await expect(page.frameLocator('#frame iframe').locator('form[data-enhanced]')).toHaveCount(1);
    // The form in its frame is scanned on its own (page.states, embed.loader-errors): through a
    // transparent frame axe cannot see the demo's card behind the text, and takes white.
    const results = await new AxeBuilder({ page }).exclude('#frame iframe').analyze();
    expect(results.violations.map((v) => v.id)).toEqual([]);
  });
}
