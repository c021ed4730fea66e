// A recipient in Chromium fills our form for a payout routed to Bank 131 (the
// simulator, over real HTTP): card number + full name, or SBP phone + bank. The bank
// holds the payout for confirmation, we confirm, it pays; the recipient lands on the
// merchant's returnUrl with the final status and the merchant's webhook sees it too.
import type { Page } from '@playwright/test';
import { afterCountdown, expect, test } from './test.ts';
import { SHOP, createShopPayout, merchantSite } from './provider-site.ts';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startPayeeWith, type PayeeWithProvider } from '../helpers/provider-harness.ts';
import { Bank131Simulator, writeBank131Keys } from '../simulators/bank131.ts';

let sim: Bank131Simulator;
let payee: PayeeWithProvider;

test.beforeAll(async () => {
  const keys = writeBank131Keys(mkdtempSync(join(tmpdir(), 'bank131-pw-')));
  sim = await new Bank131Simulator({
    project: 'payee-pw',
    partnerPublicKey: keys.partnerPublicKeyPem,
    bankPrivateKey: keys.bankPrivateKeyPem,
  }).start();
  payee = await startPayeeWith(
    {
      bank131: {
        kind: 'bank131',
        baseUrl: sim.url,
        project: 'payee-pw',
        privateKeyFile: keys.partnerPrivateKeyFile,
        bankPublicKeyFile: keys.bankPublicKeyFile,
      },
    },
    [
      { type: 'card', channel: 'vtb', provider: 'bank131' },
      { type: 'sbp', channel: 'vtb', provider: 'bank131' },
    ],
  );
  sim.webhookUrl = `${payee.server.url}/callbacks/bank131`;
});
test.afterAll(async () => {
  await payee?.stop();
  await sim?.close();
});

async function merchantSeesSuccess(page: Page, orderNumber: string): Promise<void> {
  await expect(page.getByText('Payout sent')).toBeVisible({ timeout: 15_000 });
  await afterCountdown(page);
  await page.waitForURL(`${SHOP}/done?**`, { timeout: 15_000 });
  const back = new URL(page.url());
  expect(back.searchParams.get('orderNumber')).toBe(orderNumber);
  expect(back.searchParams.get('status')).toBe('success');
  await expect(page.locator('#status')).toHaveText('success');
  await payee.hooks.until((rs) =>
    rs.some(
      (x) => JSON.parse(x.body).payout.externalId === orderNumber && JSON.parse(x.body).payout.status === 'success',
    ),
  );
  expect(payee.webhookStatuses(orderNumber)).toEqual(['created', 'processing', 'success']);
}

test('card: number + full name, confirmed at the bank, success at returnUrl and in the webhook', async ({ page }) => {
  await merchantSite(page);
  const { orderNumber, url } = await createShopPayout(payee, 'B131-PW', 'card');
  await page.goto(url);
  await page.getByLabel('Card number').fill('2200 0000 0000 0004');
  await page.getByLabel("Recipient's first and last name").fill('Ivan Ivanov');
  await page.getByRole('button', { name: /^Receive/ }).click();
  await merchantSeesSuccess(page, orderNumber);

  const session = sim.sessionByOrder(payee.row(orderNumber)!.order_id)!;
  expect(session.payments[0]!.participant_details).toEqual({ recipient: { full_name: 'Ivan Ivanov' } });
  // Status queries may come in between (and may confirm first, making the webhook's confirm a no-op);
  // the session was created, started and confirmed once each.
  const calls = sim.requests
    .filter((q) => q.sessionId === session.id && q.answer === 'ok' && !q.path.endsWith('/status'))
    .map((q) => q.path);
  expect(calls).toEqual(['/api/v1/session/create', '/api/v1/session/start/payout', '/api/v1/session/confirm']);
});

test('SBP: phone + bank from the picker, no name asked, success at returnUrl and in the webhook', async ({ page }) => {
  await merchantSite(page);
  const { orderNumber, url } = await createShopPayout(payee, 'B131-PW', 'sbp');
  await page.goto(url);
  await page.getByLabel('Phone number').fill('9680000000');
  // The plain <select> becomes a searchable combobox once the page's script runs.
  await page.locator('input#bank[role="combobox"]').fill('Sber');
  await page
    .getByRole('option', { name: /Sberbank/ })
    .first()
    .click();
  // The bank needs the passport name for cards only: the SBP form does not ask for it.
  await expect(page.getByLabel("Recipient's first and last name")).toHaveCount(0);
  await page.getByRole('button', { name: /^Receive/ }).click();
  await merchantSeesSuccess(page, orderNumber);

  const session = sim.sessionByOrder(payee.row(orderNumber)!.order_id)!;
  const fps = (session.payments[0]!.payment_method as any).bank_account.faster_payment_system;
  expect(fps).toEqual({ phone: '79680000000', bank_id: '100000000111', description: 'Prize' });
});
