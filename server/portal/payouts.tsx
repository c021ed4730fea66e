// Payouts in the portal: the list (search, filters, pages) and one payout with its history,
// provider attempts and webhook deliveries, which an owner or admin may send again.
import { Hono } from 'hono';
import * as v from 'valibot';
import type { Services } from '../services.ts';
import { getMerchant } from '../merchants/store.ts';
import { redeliver } from '../webhooks/deliver.ts';
import { outboxSignal } from '../webhooks/payload.ts';
import { merchantStatus } from '../lib/merchant-status.ts';
import { describeIssues } from '../api/envelope.ts';
import { audit } from './audit.ts';
import type { PortalContext, PortalEnv } from './middleware.ts';
import { listPayouts, ownsEvent, payoutDetail, PayoutFilter } from './payout-queries.ts';
import { canChangeSettings } from './users.ts';
import type { PageProps } from './views/layout.tsx';
import { payoutListPage, payoutPage } from './views/payouts.tsx';

function props(c: PortalContext): PageProps {
  return { t: c.var.t, locale: c.var.locale, nonce: c.var.nonce, session: c.var.session };
}

export function payoutRoutes(s: Services): Hono<PortalEnv> {
  const r = new Hono<PortalEnv>();

  r.get('/', async (c) => {
    const user = c.var.session!.user;
    const given = Object.fromEntries(Object.entries(c.req.query()).filter(([k, val]) => val !== '' && k !== 'lang'));
    const filter = v.safeParse(PayoutFilter, given);
    const merchant = user.merchantId ? await getMerchant(s.db, user.merchantId) : undefined;
    if (!merchant)
      return c.html(payoutListPage({ ...props(c), rows: [], filter: {}, more: false, error: c.var.t.noCompany }));
    if (!filter.success) {
      return c.html(
        payoutListPage({ ...props(c), rows: [], filter: {}, more: false, error: describeIssues(filter.issues) }),
        400,
      );
    }
    const { rows, more } = await listPayouts(s.db, merchant.id, filter.output);
    const shown = rows.map((row) => ({
      ...row,
      shownStatus: merchantStatus(row, merchant.settings.extendedStatuses).status,
    }));
    return c.html(payoutListPage({ ...props(c), rows: shown, filter: filter.output, more }));
  });

  const show = async (c: PortalContext, notice?: string) => {
    const user = c.var.session!.user;
    const merchant = user.merchantId ? await getMerchant(s.db, user.merchantId) : undefined;
    const detail = merchant && (await payoutDetail(s.db, merchant.id, c.req.param('orderId')!));
    if (!merchant || !detail)
      return c.html(payoutListPage({ ...props(c), rows: [], filter: {}, more: false, error: c.var.t.notFound }), 404);
    const seen = merchantStatus(detail.payout, merchant.settings.extendedStatuses);
    return c.html(
      payoutPage({
        ...props(c),
        detail,
        shownStatus: seen.status,
        failure: seen.failure && `${seen.failure.code}: ${seen.failure.message}`,
        canRedeliver: canChangeSettings(user),
        notice,
      }),
    );
  };
  r.get('/:orderId', (c) => show(c));
  r.post('/:orderId/webhooks/:eventId/redeliver', async (c) => {
    const user = c.var.session!.user;
    if (!user.merchantId || !canChangeSettings(user)) return c.text(c.var.t.forbidden, 403);
    const detail = await payoutDetail(s.db, user.merchantId, c.req.param('orderId'));
    const eventId = c.req.param('eventId');
    if (!detail || !(await ownsEvent(s.db, user.merchantId, detail.payout.id, eventId))) {
      return c.text(c.var.t.notFound, 404);
    }
    await redeliver(s, eventId);
    outboxSignal.emit('enqueued');
    await audit(
      s.db,
      user,
      user.merchantId,
      'webhook.redeliver',
      { orderId: detail.payout.order_id, eventId },
      s.clock.now(),
    );
    return show(c, c.var.t.queued);
  });
  return r;
}
