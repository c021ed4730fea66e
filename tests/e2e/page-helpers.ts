// Shared by the recipient-page specs: a real server per spec file, payouts created
// through the merchant API as a merchant would, and the demo merchant's webhook list.
import { join } from 'node:path';
import { expect, type Locator, type Page } from '@playwright/test';
import AxeBuilder from '@axe-core/playwright';
import { afterCountdown } from './test.ts';
import {
  api,
  startServer,
  tempDataDir,
  writeClockOffset,
  type StartOptions,
  type TestServer,
} from '../helpers/server.ts';

export interface PageWorld {
  server: TestServer;
  /** Moves the server's clock this many ms ahead of real time (needs `clock: true`). */
  setClockOffset(ms: number): Promise<void>;
  close(): Promise<void>;
}

export async function startPageWorld(opts: { clock?: boolean } & StartOptions = {}): Promise<PageWorld> {
  const { clock, ...startOptions } = opts;
  let offsetFile: string | undefined;
  const env = { ...startOptions.env };
  if (clock) {
    offsetFile = join(tempDataDir('payee-clock-'), 'offset');
    writeClockOffset(offsetFile, 0);
    env.PAYEE_CLOCK_OFFSET_FILE = offsetFile;
  }
  const server = await startServer({ ...startOptions, env });
  return {
    server,
    async setClockOffset(ms) {
      if (!offsetFile) throw new Error('start the world with clock: true');
      // The service reads the file at every reading of its clock: the next request sees it.
      writeClockOffset(offsetFile, ms);
    },
    close: () => server.stop(),
  };
}

let counter = 0;

export interface Created {
  payoutUrl: string;
  orderNumber: string;
  returnUrl: string;
  failUrl: string;
}

/** A payout as the demo merchant creates it; returnUrl and failUrl are the demo's /demo/return. */
export async function createPayout(
  world: PageWorld,
  body: {
    type?: 'card' | 'sbp';
    amount?: number;
    description?: string;
    sessionTimeoutSecs?: number;
    noFailUrl?: boolean;
    /** The merchant's id for the recipient: a card saved for it is offered on the page. */
    recipientId?: string;
  } = {},
): Promise<Created> {
  const orderNumber = `e2e-${process.pid}-${Date.now()}-${++counter}`;
  const base = world.server.publicUrl;
  const returnUrl = `${base}/demo/return`;
  const failUrl = `${base}/demo/return?failed=1`;
  const res = await api(world.server, 'POST', 'createPayout', {
    orderNumber,
    amount: body.amount ?? 150000,
    description: body.description ?? 'Refund for order 1456',
    ...(body.type ? { type: body.type } : {}),
    ...(body.sessionTimeoutSecs ? { sessionTimeoutSecs: body.sessionTimeoutSecs } : {}),
    urls: { returnUrl, ...(body.noFailUrl ? {} : { failUrl }) },
    ...(body.recipientId ? { recipient: { id: body.recipientId } } : {}),
  });
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  return { payoutUrl: res.body.payoutUrl, orderNumber, returnUrl, failUrl };
}

export async function payoutStatus(world: PageWorld, orderNumber: string): Promise<any> {
  return (await api(world.server, 'POST', 'getPayoutStatus', { orderNumber })).body;
}

/** Waits until the demo merchant has received a correctly signed webhook saying this payout has this status. */
export async function expectWebhook(world: PageWorld, orderNumber: string, status: string): Promise<void> {
  await expect
    .poll(
      async () => {
        const html = await (await fetch(`${world.server.url}/demo`)).text();
        const bodies = [...html.matchAll(/<pre>([^<]*)<\/pre>/g)].map((m) => m[1]!.replace(/&quot;/g, '"'));
        return bodies.some(
          (b) =>
            b.includes('signature valid') &&
            b.includes(`"externalId":"${orderNumber}"`) &&
            b.includes(`"status":"${status}"`),
        );
      },
      { timeout: 15_000 },
    )
    .toBe(true);
}

/** Where the page sends the recipient back: the merchant URL with orderNumber and status. */
export async function expectReturnedTo(
  page: Page,
  created: Created,
  url: 'returnUrl' | 'failUrl',
  status: string,
): Promise<void> {
  const back = (u: URL) => u.pathname === '/demo/return' && u.searchParams.get('status') === status;
  await afterCountdown(page, page, back);
  await page.waitForURL(back, { timeout: 20_000 });
  const u = new URL(page.url());
  expect(u.searchParams.get('orderNumber')).toBe(created.orderNumber);
  expect(u.searchParams.get('failed')).toBe(url === 'failUrl' ? '1' : null);
}

/** axe-core on the page as it is now: no violations of any rule. */
export async function expectAccessible(page: Page): Promise<void> {
  const results = await new AxeBuilder({ page }).analyze();
  expect(results.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`)).toEqual([]);
}

/** The form's enhancements (masks, checks as you type) have loaded. */
export async function waitForEnhancements(page: Page): Promise<void> {
  await page.locator('form[data-enhanced]').waitFor();
}

/** The bank picker once the page's script has turned the plain <select> into a searchable combobox. */
export function bankPicker(page: Page, name: string): Locator {
  return page.getByRole('combobox', { name }).and(page.locator('input'));
}
