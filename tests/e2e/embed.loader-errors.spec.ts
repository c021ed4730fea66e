// The loader tells the merchant's page when the form cannot be shown: `frame_refused` when the
// page is on a site the merchant never allowed to frame the form (the browser shows its own
// error instead of the form), `load_failed` when Payee cannot be reached. And the `theme`
// option: the form takes the page's background, colours, corner radius and font.
import type { Page } from '@playwright/test';
import { expect, test } from './test.ts';
import AxeBuilder from '@axe-core/playwright';
import { readLoader } from '../../server/embed/loader-file.ts';
import { createCardPayout, startEmbedWorld, type EmbedWorld } from './embed-site.ts';

let world: EmbedWorld;
test.beforeAll(async () => {
  world = await startEmbedWorld();
});
test.afterAll(async () => {
  await world?.close();
});

const loader = readLoader()!;

/** The merchant's script page on `origin`, mounting the form for `payout`, with an optional theme (JSON). */
async function openShop(page: Page, origin: string, payout: string, theme?: object): Promise<void> {
  const q = new URLSearchParams({
    payout,
    loader: `${world.server.publicUrl}/embed/${loader.hashedName}`,
    integrity: loader.integrity,
    mode: 'mount',
    ...(theme ? { theme: JSON.stringify(theme) } : {}),
  });
  await page.goto(`${origin}/script?${q}`);
}

const errors = (page: Page) => page.evaluate(() => (window as any).errors.map((e: any) => e.code) as string[]);

test('a site the merchant never allowed: onError gets frame_refused within seconds', async ({ page }) => {
  const { payoutUrl } = await createCardPayout(world);
  await openShop(page, world.site.foreignOrigin, payoutUrl);
  await expect.poll(() => errors(page), { timeout: 30_000 }).toEqual(['frame_refused']);
});

test('Payee unreachable: onError gets load_failed', async ({ page }) => {
  // A port nothing listens on: the frame shows the browser's error page, and the check finds no server.
  await openShop(page, world.site.origin, 'http://127.0.0.1:9/pay/unreachable');
  await expect.poll(() => errors(page), { timeout: 60_000 }).toEqual(['load_failed']);
});

test('an allowed site gets the form and no error', async ({ page }) => {
  const { payoutUrl } = await createCardPayout(world);
  await openShop(page, world.site.origin, `${payoutUrl}?lang=en`);
  await expect(page.frameLocator('#payout iframe').getByLabel('Card number')).toBeVisible();
  // Past the loader's wait for `ready` (5 s after the load): still nothing to report.
  await page.waitForFunction(() => (window as any).events.some((e: any) => e.type === 'ready'));
  await page.evaluate(() => new Promise((r) => setTimeout(r, 6000)));
  expect(await errors(page)).toEqual([]);
});

test('the theme option: transparent background, the accent, square corners and the font of the page', async ({
  page,
}) => {
  const { payoutUrl } = await createCardPayout(world);
  const theme = { background: 'transparent', accent: '#8a1538', text: '#222222', radius: 0, font: 'Georgia, serif' };
  await openShop(page, world.site.origin, `${payoutUrl}?lang=en`, theme);
  const form = page.frameLocator('#payout iframe');
  const button = form.getByRole('button', { name: /^Receive/ });
  await expect(button).toHaveCSS('background-color', 'rgb(138, 21, 56)');
  await expect(button).toHaveCSS('border-top-left-radius', '0px');
  await expect(form.locator('body')).toHaveCSS('background-color', 'rgba(0, 0, 0, 0)');
  await expect(form.locator('body')).toHaveCSS('font-family', 'Georgia, serif');
  await expect(form.locator('h1')).toHaveCSS('color', 'rgb(34, 34, 34)');
});

for (const scheme of ['light', 'dark'] as const) {
  test(`a themed form has no axe violations (${scheme})`, async ({ page }) => {
    const { payoutUrl } = await createCardPayout(world);
    // The page as the loader opens it in the frame, looked at on its own.
    const q = 'embed=1&lang=en&theme-accent=%238a1538&theme-radius=4&theme-font=Georgia%2C%20serif';
    await page.emulateMedia({ colorScheme: scheme });
    await page.goto(`${payoutUrl}?${q}`);
    await page.locator('form[data-enhanced]').waitFor();
    const results = await new AxeBuilder({ page }).analyze();
    expect(results.violations.map((v) => v.id)).toEqual([]);
  });
}

test('theme values that are not acceptable are left out, the rest apply', async ({ page }) => {
  const { payoutUrl } = await createCardPayout(world);
  await page.goto(`${payoutUrl}?embed=1&lang=en&theme-accent=red;}body{display:none&theme-radius=5`);
  const button = page.getByRole('button', { name: /^Receive/ });
  await expect(button).toBeVisible();
  await expect(button).toHaveCSS('border-top-left-radius', '6px'); // the button's corners are 1.2 times the radius
  await expect(button).toHaveCSS('background-color', 'rgb(47, 111, 222)'); // the default accent
});
