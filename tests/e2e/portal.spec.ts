// The merchant portal in a real browser: each flow its own short test, axe on each page.
import type { Page } from '@playwright/test';
import { expect, test } from './test.ts';
import { api, startServer, type TestServer } from '../helpers/server.ts';
import { addPortalUser } from '../helpers/cli.ts';
import { signedReceiver } from '../helpers/signed-receiver.ts';
import { expectAccessible } from './page-helpers.ts';

const PASSWORD = 'correct horse battery staple';
let server: TestServer;
let users = 0;

test.beforeAll(async () => {
  server = await startServer();
});
test.afterAll(async () => {
  await server?.stop();
});
test.use({ locale: 'en-US' });

async function signIn(page: Page, role = 'owner'): Promise<void> {
  const email = `e2e-${process.pid}-${++users}@shop.example`;
  await addPortalUser(server.dataDir, 'm_demo', email, PASSWORD, role);
  await page.goto(`${server.publicUrl}/portal/login?lang=en`);
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password').fill(PASSWORD);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page.getByRole('heading', { name: 'Payouts' })).toBeVisible();
}

test('log in: a wrong password is refused, the right one opens the portal', async ({ page }) => {
  const email = `e2e-login-${process.pid}@shop.example`;
  await addPortalUser(server.dataDir, 'm_demo', email, PASSWORD);
  await page.goto(`${server.publicUrl}/portal/login?lang=en`);
  await expectAccessible(page);
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password').fill('not the password');
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page.getByRole('alert')).toHaveText('Wrong email or password');
  await expectAccessible(page);
  await page.getByLabel('Password').fill(PASSWORD);
  await page.getByLabel('Password').press('Enter');
  await expect(page.getByRole('heading', { name: 'Payouts' })).toBeVisible();
  await expectAccessible(page);
  await page.getByRole('button', { name: 'Sign out' }).click();
  await expect(page.getByRole('heading', { name: 'Sign in to the portal' })).toBeVisible();
});

test('Settings → API: a token is created, works, and is refused at once when revoked', async ({ page }) => {
  await signIn(page);
  await page.getByRole('link', { name: 'Settings → API' }).click();
  await expectAccessible(page);
  await page.getByLabel('Token name').fill('e2e rotation');
  await page.getByRole('button', { name: 'Create API Token' }).click();
  const token = (await page.locator('#new-token').textContent())!.trim();
  await expectAccessible(page);
  expect((await api({ url: server.url, token }, 'GET', 'features')).status).toBe(200);
  await page.getByRole('button', { name: 'Revoke "e2e rotation"' }).click();
  await expect(page.getByRole('status')).toHaveText('Token "e2e rotation" revoked');
  expect((await api({ url: server.url, token }, 'GET', 'features')).status).toBe(401);
});

test('the webhook is saved and a test event reaches a receiver that checks its signature', async ({ page }) => {
  const receiver = await signedReceiver();
  try {
    await signIn(page);
    await page.getByRole('link', { name: 'Webhook' }).click();
    await expectAccessible(page);
    await page.getByLabel('Webhook URL').fill(receiver.url);
    await page.getByLabel('Send webhooks').check();
    await page.getByLabel('Sign webhooks').check();
    await page.getByLabel('Issue a new signing secret').check();
    await page.getByRole('button', { name: 'Save' }).click();
    const secret = (await page.locator('#new-secret').textContent())!.trim();
    expect(secret).toMatch(/^whsec_/);
    receiver.setSecret(secret);
    await page.getByRole('button', { name: 'Send a test event' }).click();
    await expect(page.getByRole('status')).toContainText('Test event: HTTP 200');
    await expectAccessible(page);
    expect(receiver.bodies).toHaveLength(1);
  } finally {
    await receiver.close();
  }
});

test('a payout is found by its order number and its webhook sent again', async ({ page }) => {
  const orderNumber = `E2E-PORTAL-${process.pid}-${Date.now()}`;
  const created = await api(server, 'POST', 'createPayout', {
    orderNumber,
    amount: 150000,
    type: 'card',
    urls: { returnUrl: `${server.publicUrl}/demo/return` },
  });
  expect(created.status).toBe(200);
  // The recipient enters a card, in a page of their own (it goes back to the merchant by
  // itself later): the payout moves and its webhooks are written.
  const recipient = await page.context().newPage();
  await recipient.goto(created.body.payoutUrl);
  await recipient.getByLabel('Card number').fill('4111 1111 1111 1111');
  await recipient.getByRole('button', { name: /^Receive/ }).click();
  await expect(
    recipient.getByRole('heading', { name: /Sending the payout|Payout sent|Payout in progress/ }),
  ).toBeVisible();
  await recipient.close();

  await signIn(page);
  await page.getByLabel('Order number').fill(orderNumber);
  await page.getByRole('button', { name: 'Show' }).click();
  await expectAccessible(page);
  await page.getByRole('link', { name: orderNumber }).click();
  await expect(page.getByRole('heading', { name: `Order number ${orderNumber}` })).toBeVisible();
  await expect(page.getByText('411111')).toBeVisible();
  await expectAccessible(page);
  await page
    .getByRole('button', { name: /^Send again/ })
    .first()
    .click();
  await expect(page.getByRole('status')).toHaveText('The webhook is queued to be sent');
});

test('the API reference page shows the OpenAPI document', async ({ page }) => {
  await page.goto(`${server.publicUrl}/portal/reference?lang=en`);
  await expect(page.getByRole('heading', { name: 'Payee merchant API' })).toBeVisible();
  await expect(page.getByRole('heading', { name: 'POST /api/v1/createPayout' })).toBeVisible();
  await page.getByText('Request body: CreatePayoutBody').focus();
  await page.keyboard.press('Enter');
  await expect(page.getByText('"orderNumber"').first()).toBeVisible();
  await expectAccessible(page);
});

test('a CSV with a bad row is refused whole; a good one creates links whose results download', async ({ page }) => {
  const tag = `${process.pid}-${Date.now()}`;
  const returnUrl = `${server.publicUrl}/demo/return`;
  const file = (name: string, lines: string[]) => ({
    name,
    mimeType: 'text/csv',
    buffer: Buffer.from(['orderNumber;amount;type;returnUrl', ...lines].join('\n')),
  });
  await signIn(page);
  await page.getByRole('link', { name: 'Batch payouts' }).click();
  await expectAccessible(page);

  await page
    .getByLabel('CSV file')
    .setInputFiles(file('bad.csv', [`B-${tag}-1;1000;card;${returnUrl}`, `B-${tag}-2;ten;card;${returnUrl}`]));
  await page.getByRole('button', { name: 'Upload' }).click();
  await expect(page.getByRole('alert')).toHaveText('The file has errors; no payout was created');
  await expect(page.getByRole('cell', { name: 'amount must be an integer amount in kopecks' })).toBeVisible();
  await expectAccessible(page);
  expect((await api(server, 'POST', 'getPayoutStatus', { orderNumber: `B-${tag}-1` })).status).toBe(404);

  await page
    .getByLabel('CSV file')
    .setInputFiles(file('good.csv', [`G-${tag}-1;1000;card;${returnUrl}`, `G-${tag}-2;2000;sbp;${returnUrl}`]));
  await page.getByRole('button', { name: 'Upload' }).click();
  const download = page.waitForEvent('download');
  await page.getByRole('link', { name: 'Download results (CSV)' }).first().click();
  const csv = (await (await download).createReadStream()).toArray();
  const text = Buffer.concat(await csv).toString('utf8');
  expect(text).toContain(`G-${tag}-1,po_`);
  expect(text).toContain(`G-${tag}-2,po_`);
  await expectAccessible(page);
  expect((await api(server, 'POST', 'getPayoutStatus', { orderNumber: `G-${tag}-2` })).body.orderStatus).toBe(
    'uploaded',
  );
});

test('branding has a live preview, and the change shows in the audit log', async ({ page }) => {
  await signIn(page);
  await page.getByRole('link', { name: 'Branding' }).click();
  await expectAccessible(page);
  await page.getByLabel('Name shown to recipients').fill('Preview Shop');
  await expect(page.locator('#preview-name')).toHaveText('Preview Shop');
  await page.getByLabel('Accent colour').fill('#aa2200');
  await expect(page.locator('#preview .pay')).toHaveCSS('background-color', 'rgb(170, 34, 0)');
  await page.getByRole('button', { name: 'Save' }).click();
  await expect(page.getByRole('status')).toHaveText('Saved');
  await page.getByRole('link', { name: 'Audit log' }).click();
  await expect(page.getByRole('cell', { name: 'branding.save' }).first()).toBeVisible();
  await expectAccessible(page);
});
