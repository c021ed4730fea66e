// The script tag: the loader, pinned by its published integrity, mounts the form or opens it
// in a modal on a merchant page of another origin, passes events to the merchant's callbacks
// and sends the page to returnUrl at the end.
import type { Page } from '@playwright/test';
import { expect, test } from './test.ts';
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

/** Opens the shop page; answers every message from the form it receives (with origin), kept across navigation. */
async function openShop(
  page: Page,
  payoutUrl: string,
  mode: 'mount' | 'modal',
): Promise<Array<{ origin: string; data: any }>> {
  const events: Array<{ origin: string; data: any }> = [];
  await page.exposeBinding('record', (_source, m: { origin: string; data: any }) => {
    if (m.data?.source === 'payee') events.push(m);
  });
  const q = new URLSearchParams({
    payout: `${payoutUrl}?lang=en`,
    loader: `${world.server.publicUrl}/embed/${loader.hashedName}`,
    integrity: loader.integrity,
    mode,
  });
  await page.goto(`${world.site.origin}/script?${q}`);
  return events;
}

test('Payee.mount: a card payout completes, callbacks get the events in order, the page goes to returnUrl', async ({
  page,
}) => {
  const { payoutUrl, orderNumber } = await createCardPayout(world);
  const received = await openShop(page, payoutUrl, 'mount');
  const form = page.frameLocator('#payout iframe');
  await expect(page.locator('#payout iframe')).toHaveAttribute('title', 'Payout details');
  await expect(form.locator('form[data-enhanced]')).toHaveCount(1);
  await form.getByLabel('Card number').fill('4111 1111 1111 1111');
  await form.getByRole('button', { name: /^Receive/ }).click();
  await expect(form.getByText('Payout sent')).toBeVisible();
  const events = () => page.evaluate(() => (window as any).events as any[]);
  await expect
    .poll(async () => (await events()).map((e) => e.type).filter((t) => t !== 'resize'))
    .toEqual(['ready', 'submitted']);
  // The frame is as tall as the form.
  const inner = page.frames().find((f) => f.url().startsWith(world.formOrigin))!;
  const formHeight = await inner.evaluate(() => Math.ceil(document.body.getBoundingClientRect().bottom));
  expect(
    await page.locator('#payout iframe').evaluate((f: HTMLIFrameElement) => f.getBoundingClientRect().height),
  ).toBe(formHeight);

  await form.getByRole('link', { name: 'Go now' }).click();
  await page.waitForURL(`${world.site.origin}/return?**`);
  const returned = new URL(page.url()).searchParams;
  expect(returned.get('orderNumber')).toBe(orderNumber);
  expect(returned.get('status')).toBe('success');
  expect(received.every((m) => m.origin === world.formOrigin)).toBe(true);
  expect(received.map((m) => m.data.type).filter((t) => t !== 'resize')).toEqual(['ready', 'submitted', 'completed']);
  expect(received.at(-1)!.data).toMatchObject({
    type: 'completed',
    orderNumber,
    status: 'success',
    redirectUrl: page.url(),
  });
});

test('Payee.open: a modal that keeps focus inside, closes on Escape from within the form and returns focus', async ({
  page,
}) => {
  const { payoutUrl } = await createCardPayout(world);
  await openShop(page, payoutUrl, 'modal');
  const opener = page.locator('#open');
  await opener.click();
  const dialog = page.getByRole('dialog', { name: 'Payout details' });
  await expect(dialog).toBeVisible();
  await expect(dialog.getByRole('button', { name: 'Close' })).toBeFocused();
  const form = page.frameLocator('dialog iframe');
  // The form's script is running (it is what reports Escape pressed inside the frame).
  await expect(form.locator('form[data-enhanced]')).toHaveCount(1);

  // Tab through the form and beyond: focus never leaves the dialog. The form is another
  // origin (another process): focus crossing the frame's edge settles a moment after the key.
  const focusInDialog = () => page.evaluate(() => !!document.activeElement?.closest('dialog'));
  for (let i = 0; i < 12; i++) {
    await page.keyboard.press('Tab');
    await expect.poll(focusInDialog, { timeout: 2000 }).toBe(true);
  }
  for (let i = 0; i < 12; i++) {
    await page.keyboard.press('Shift+Tab');
    await expect.poll(focusInDialog, { timeout: 2000 }).toBe(true);
  }

  await form.getByLabel('Card number').focus();
  // Key down inside the form; the key comes up once the dialog (and the form's frame) is gone.
  await page.keyboard.down('Escape');
  await expect(dialog).toHaveCount(0);
  await page.keyboard.up('Escape');
  await expect(opener).toBeFocused();
  expect(await page.evaluate(() => (window as any).closes)).toBe(1);

  // Again, closing with Escape on the dialog itself and with the close button.
  await opener.click();
  await expect(dialog.getByRole('button', { name: 'Close' })).toBeFocused();
  await page.keyboard.press('Escape');
  await expect(dialog).toHaveCount(0);
  await expect(opener).toBeFocused();
  // The close button does not move when the form reports its height: a tap aimed at it while
  // the form loads still lands on it.
  const resizes = () => page.evaluate(() => (window as any).events.filter((e: any) => e.type === 'resize').length);
  const resizesBefore = await resizes();
  await opener.click();
  const closeButton = dialog.getByRole('button', { name: 'Close' });
  const before = await closeButton.boundingBox();
  await expect.poll(resizes).toBeGreaterThan(resizesBefore);
  expect(await closeButton.boundingBox()).toEqual(before);
  await closeButton.click();
  await expect(dialog).toHaveCount(0);
  await expect(opener).toBeFocused();
  expect(await page.evaluate(() => (window as any).closes)).toBe(3);
});

test('one script tag with data attributes mounts the form, sized to it', async ({ page }) => {
  const { payoutUrl } = await createCardPayout(world);
  const q = new URLSearchParams({ payout: payoutUrl, loader: `${world.server.publicUrl}/embed/v1.js` });
  await page.goto(`${world.site.origin}/one-tag?${q}`);
  const iframe = page.locator('#here iframe');
  await expect(page.frameLocator('#here iframe').getByLabel('Card number')).toBeVisible();
  const inner = page.frames().find((f) => f.url().startsWith(world.formOrigin))!;
  await expect(inner.locator('form[data-enhanced]')).toHaveCount(1);
  const formHeight = await inner.evaluate(() => Math.ceil(document.body.getBoundingClientRect().bottom));
  await expect.poll(() => iframe.evaluate((f: HTMLIFrameElement) => f.getBoundingClientRect().height)).toBe(formHeight);
});

test('a loader whose bytes do not match the integrity is not run', async ({ page }) => {
  const { payoutUrl } = await createCardPayout(world);
  const q = new URLSearchParams({
    payout: payoutUrl,
    loader: `${world.server.publicUrl}/embed/${loader.hashedName}`,
    integrity: `sha384-${'A'.repeat(64)}`,
    mode: 'mount',
  });
  const refused = page.waitForEvent('console', (m) => /integrity/i.test(m.text()));
  await page.goto(`${world.site.origin}/script?${q}`);
  await refused;
  expect(await page.evaluate(() => typeof (window as any).Payee)).toBe('undefined');
  await expect(page.locator('#payout iframe')).toHaveCount(0);
});
