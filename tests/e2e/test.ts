// The specs' `test`: every browser context runs on a clock the test can move (Playwright's
// clock). Time flows as usual; a wait the page makes on purpose, the countdown back to the
// merchant, is passed at once by afterCountdown() instead of sat through.
import { test as base, type FrameLocator, type Page } from '@playwright/test';

export { expect } from '@playwright/test';

export const test = base.extend({
  context: async ({ context }, use) => {
    await context.clock.install();
    await use(context);
  },
});

/**
 * Waits until the page (or the form in a frame) counts down to going back to the merchant,
 * then lets the countdown's seconds pass at once. Only the page's timers move: the server's
 * clock, and every wait for the server, stay real. With `gone`, a page that leaves first
 * (the recipient took "Go now", or a page without script) needs nothing more.
 */
export async function afterCountdown(
  page: Page,
  form: Page | FrameLocator = page,
  gone?: (url: URL) => boolean,
): Promise<void> {
  const counting = form
    .locator('#leave-note')
    .waitFor({ timeout: 20_000 })
    .then(() => true);
  const left = gone ? page.waitForURL(gone, { timeout: 20_000 }).then(() => false) : new Promise<boolean>(() => {});
  // The wait that loses the race ends with the test's page; its failure means nothing then.
  counting.catch(() => {});
  left.catch(() => {});
  if (await Promise.race([counting, left])) await page.clock.runFor(6_000);
}
