// A provider that needs the recipient's full name: the page asks for it, checks it and
// passes it on; with JavaScript and without.
import { expect, test } from './test.ts';
import { createPayout, expectReturnedTo, startPageWorld, waitForEnhancements, type PageWorld } from './page-helpers.ts';

let world: PageWorld;
test.beforeAll(async () => {
  world = await startPageWorld({ config: { providers: { sandbox: { kind: 'sandbox', requireFullName: true } } } });
});
test.afterAll(async () => {
  await world?.close();
});
test.use({ locale: 'en-US' });

test('the full name is asked for, refused when it is not a first and last name, and then accepted', async ({
  page,
}) => {
  const created = await createPayout(world, { type: 'card' });
  await page.goto(created.payoutUrl);
  await waitForEnhancements(page);
  const name = page.getByLabel("Recipient's first and last name");
  await expect(name).toHaveAttribute('autocomplete', 'name');
  await page.getByLabel('Card number').fill('4111 1111 1111 1111');
  await page.getByRole('button', { name: /^Receive/ }).click();
  await expect(page.locator('#fullName-err')).toHaveText('Enter the first and last name');
  await expect(name).toBeFocused();
  await name.fill('Ivan');
  await name.blur();
  await expect(page.locator('#fullName-err')).toHaveText('First and last name in letters, separated by a space');
  await name.fill('Иван Петров');
  await expect(page.locator('#fullName-err')).toHaveCount(0);
  await page.getByRole('button', { name: /^Receive/ }).click();
  await expectReturnedTo(page, created, 'returnUrl', 'success');
});

test.describe('without JavaScript', () => {
  test.use({ javaScriptEnabled: false });

  test('the name is checked by the server and kept when the post is refused', async ({ page }) => {
    const created = await createPayout(world, { type: 'card' });
    await page.goto(created.payoutUrl);
    await page.getByLabel("Recipient's first and last name").fill('Ivan 4');
    await page.getByLabel('Card number').fill('4111 1111 1111 1111');
    await page.getByRole('button', { name: /^Receive/ }).click();
    await expect(page.locator('#fullName-err')).toHaveText('First and last name in letters, separated by a space');
    await expect(page.getByLabel("Recipient's first and last name")).toHaveValue('Ivan 4');
    await expect(page.getByLabel('Card number')).toHaveValue('');
  });
});
