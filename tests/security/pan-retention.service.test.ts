// 10. Card numbers leave the vault: one no payout refers to after a short grace, one of
// final payouts after the retention period; the payouts keep the masked number and the
// fingerprint. A payout still under way keeps its card number.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ManualClock, seedMerchant, SERVICE_ENV } from '../helpers/engine.ts';
import { eventually } from '../helpers/eventually.ts';
import { startService } from '../helpers/service.ts';
import { tempDataDir } from '../helpers/server.ts';
import { apiPost } from './production.ts';

test('card numbers are purged: unused after the grace, final after retention, never while a payout is under way', async () => {
  const dataDir = tempDataDir();
  const shop = await seedMerchant(dataDir);
  const sbpOnly = await seedMerchant(dataDir, { routes: [{ type: 'sbp', channel: 'vtb', provider: 'sandbox' }] });
  const clock = new ManualClock();
  const svc = await startService({
    dataDir,
    clock,
    env: { ...SERVICE_ENV, PAYEE_PAN_RETENTION_HOURS: '24' },
    providers: { sandbox: { kind: 'sandbox', delayMs: 0, callbacks: false } },
  });
  const { db } = svc.services;
  const cards = async () =>
    (await db.selectFrom('vault_items').select('token').where('kind', '=', 'pan').execute()).map((r) => r.token);
  const tokenOf = async (orderNumber: string) =>
    await db
      .selectFrom('payouts')
      .select(['card_token', 'masked_pan', 'card_fingerprint', 'status'])
      .where('order_number', '=', orderNumber)
      .executeTakeFirstOrThrow();
  const perform = (token: string, orderNumber: string, pan: string) =>
    apiPost(svc, token, 'performPayout', { orderNumber, amount: 1000, description: 'x', target: { pan } });
  try {
    assert.equal((await perform(shop.token, 'RET-PAID', '4111111111111111')).body.orderStatus, 'success');
    const stuck = await perform(shop.token, 'RET-STUCK', '4000000000000028');
    assert.equal(stuck.status, 200);
    const refused = await perform(sbpOnly.token, 'RET-REFUSED', '5555555555554444');
    assert.notEqual(refused.status, 200, 'refused, after the number was vaulted');
    const paid = await tokenOf('RET-PAID');
    const underWay = await tokenOf('RET-STUCK');
    assert.equal((await cards()).length, 3);

    clock.advance(11 * 60_000);
    await eventually(async () => (await cards()).length === 2, 60_000, 'the unused number purged');
    assert.deepEqual((await cards()).sort(), [paid.card_token, underWay.card_token].sort());

    clock.advance(25 * 3_600_000);
    await eventually(async () => (await cards()).length === 1, 60_000, 'the final payout’s number purged');
    assert.deepEqual(await cards(), [underWay.card_token], 'the payout under way keeps its number');
    const after = await tokenOf('RET-PAID');
    assert.equal(after.masked_pan, '411111******1111');
    assert.equal(after.card_fingerprint, paid.card_fingerprint);
    const status = await apiPost(svc, shop.token, 'getPayoutStatus', { orderNumber: 'RET-PAID' });
    assert.equal(status.body.orderStatus, 'success');
  } finally {
    await svc.stop();
  }
});
