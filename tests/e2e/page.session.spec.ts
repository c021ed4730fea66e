// The session on the server's clock: a link that runs out while the page is open or before
// it is opened, a reload and a second tab after the submit, a payout still processing
// when the wait ends, and an unknown link. The server's clock is moved ahead of real
// time through its test hook; the browser's clock is left alone.
import { expect, test } from './test.ts';
import {
  createPayout,
  expectReturnedTo,
  payoutStatus,
  startPageWorld,
  waitForEnhancements,
  type PageWorld,
} from './page-helpers.ts';

let world: PageWorld;
test.beforeAll(async () => {
  world = await startPageWorld({ clock: true });
});
test.afterAll(async () => {
  await world?.close();
});
test.beforeEach(() => world.setClockOffset(0));
test.use({ locale: 'en-US' });

test('the link expires while the page is open: the expired page, then failUrl', async ({ page }) => {
  const created = await createPayout(world, { type: 'card', sessionTimeoutSecs: 60 });
  // The server is 56 s into the session when it renders the page: 4 s left.
  await world.setClockOffset(56_000);
  await page.goto(created.payoutUrl);
  await expect(page.locator('.timer .num')).toHaveText(/^0:0[1-4]$/);
  await expect(page.getByRole('heading', { name: 'This link has expired' })).toBeVisible({ timeout: 15_000 });
  await expect(page.getByText('The time to enter your details ran out. Ask Demo shop for a new link.')).toBeVisible();
  await expect(page.getByRole('heading', { name: 'This link has expired' })).toBeFocused();
  await expectReturnedTo(page, created, 'failUrl', 'cancelled');
  expect((await payoutStatus(world, created.orderNumber)).orderStatus).toBe('cancelled');
});

test('details sent after the deadline are refused: the page shows the link expired', async ({ page }) => {
  const created = await createPayout(world, { type: 'card', sessionTimeoutSecs: 60 });
  await page.goto(created.payoutUrl);
  await waitForEnhancements(page);
  await page.getByLabel('Card number').fill('4111 1111 1111 1111');
  await world.setClockOffset(61_000); // the browser's countdown still shows time left
  await page.getByRole('button', { name: /^Receive/ }).click();
  await expect(page.getByRole('heading', { name: 'This link has expired' })).toBeVisible();
  expect((await payoutStatus(world, created.orderNumber)).orderStatus).toBe('cancelled');
});

test('a link opened after expiry shows the expired page; without a failUrl it stays there', async ({ page }) => {
  const created = await createPayout(world, { type: 'card', sessionTimeoutSecs: 60, noFailUrl: true });
  await world.setClockOffset(61_000);
  const res = await page.goto(created.payoutUrl);
  expect(res!.status()).toBe(200);
  await expect(page.getByRole('heading', { name: 'This link has expired' })).toBeVisible();
  await expect(page.getByRole('link', { name: 'Go now' })).toHaveCount(0);
  await expect(page.locator('form')).toHaveCount(0);
});

test('after the submit, a reload and a second tab show the payout as it is, never the form again', async ({
  page,
  context,
}) => {
  const created = await createPayout(world, { type: 'card' });
  await page.goto(created.payoutUrl);
  await waitForEnhancements(page);
  // This sandbox card stays processing.
  await page.getByLabel('Card number').fill('4000 0000 0000 0028');
  await page.getByRole('button', { name: /^Receive/ }).click();
  await expect(page.getByRole('heading', { name: 'Sending the payout…' })).toBeVisible();

  await page.reload();
  await expect(page.getByRole('heading', { name: 'Sending the payout…' })).toBeVisible();
  await expect(page.locator('form')).toHaveCount(0);

  const second = await context.newPage();
  await second.goto(created.payoutUrl);
  await expect(second.getByRole('heading', { name: 'Sending the payout…' })).toBeVisible();
  await expect(second.locator('form')).toHaveCount(0);

  // A second set of details for the same link changes nothing.
  const again = await second.request.post(created.payoutUrl, {
    headers: { 'content-type': 'application/json' },
    data: { type: 'card', pan: '4111111111111111' },
  });
  expect((await again.json()).view.kind).toBe('progress');
  expect((await payoutStatus(world, created.orderNumber)).target).toEqual({ maskedPan: '400000******0028' });

  // Still processing when the wait ends: back to returnUrl with status=processing.
  await world.setClockOffset(61_000);
  await expect(page.getByRole('heading', { name: 'Payout in progress' })).toBeVisible();
  await expectReturnedTo(page, created, 'returnUrl', 'processing');
});

test('an unknown link says so, with a 404', async ({ page }) => {
  const res = await page.goto(`${world.server.url}/pay/${'x'.repeat(43)}`);
  expect(res!.status()).toBe(404);
  await expect(page.getByRole('heading', { level: 1, name: 'Link not found' })).toBeVisible();
});
