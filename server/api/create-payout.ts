import type { Handler } from 'hono';
import type { Services } from '../services.ts';
import { findRoute, returnUrlProblem, type MerchantSettings } from '../merchants/settings.ts';
import type * as v from 'valibot';
import { createLinkPayout, type LinkPayoutInput } from '../engine/payouts.ts';
import type { ApiEnv } from './auth.ts';
import { readJson } from './body.ts';
import { fail, ok } from './envelope.ts';
import { CreatePayoutBody } from './schemas.ts';

export function createPayout(s: Services): Handler<ApiEnv> {
  return async (c) => {
    const merchant = c.get('merchant');
    const body = await readJson(c, CreatePayoutBody);
    if (!body.ok) return body.response;
    const b = body.value;

    const problems: string[] = [];
    const returnProblem = returnUrlProblem(merchant.settings, b.urls.returnUrl);
    if (returnProblem) problems.push(`urls.returnUrl ${returnProblem}`);
    const failProblem = b.urls.failUrl ? returnUrlProblem(merchant.settings, b.urls.failUrl) : null;
    if (failProblem) problems.push(`urls.failUrl ${failProblem}`);
    if (problems.length) return fail(c, 'VALIDATION_ERROR', problems.join('; '));

    const channel = resolveChannel(merchant.settings, b.type ?? undefined, b.channel ?? undefined);
    if ('denied' in channel) return fail(c, 'PERMISSION_DENIED', channel.denied);
    if ('invalid' in channel) return fail(c, 'VALIDATION_ERROR', channel.invalid);

    const result = await createLinkPayout(s, merchant, linkPayoutInput(b, channel.channel));
    if (!result.ok) {
      return fail(c, 'CONFLICT', `orderNumber ${b.orderNumber} is already used by a different payout`);
    }
    return ok(c, {
      payoutUrl: result.payoutUrl,
      orderId: result.payout.order_id,
      orderNumber: result.payout.order_number,
    });
  };
}

/** What the engine takes for a link payout: a createPayout body (API or batch row) and its channel. */
export function linkPayoutInput(b: v.InferOutput<typeof CreatePayoutBody>, channel: string): LinkPayoutInput {
  return {
    orderNumber: b.orderNumber,
    amount: b.amount,
    returnUrl: b.urls.returnUrl,
    failUrl: b.urls.failUrl ?? undefined,
    description: b.description ?? undefined,
    sessionTimeoutSecs: b.sessionTimeoutSecs ?? 600,
    type: b.type ?? undefined,
    channel,
    recipientRef: b.recipient?.id,
  };
}

export type ChannelChoice = { channel: string } | { denied: string } | { invalid: string };

/** The channel a payout is routed by: the one asked for, else the first route of the type (or of any enabled type). */
export function resolveChannel(
  settings: MerchantSettings,
  type: 'card' | 'sbp' | undefined,
  channel: string | undefined,
): ChannelChoice {
  const types = type ? [type] : settings.payoutTypes;
  const routable = types.filter((t) => findRoute(settings, t));
  if (routable.length === 0) {
    return {
      denied: type
        ? `${type} payouts are not enabled for this merchant`
        : 'no payout type is enabled for this merchant',
    };
  }
  if (channel === undefined) return { channel: findRoute(settings, routable[0]!)!.channel };
  if (routable.some((t) => findRoute(settings, t, channel))) return { channel };
  return { invalid: `channel ${channel} is not configured for ${type ?? 'this merchant'}${type ? ' payouts' : ''}` };
}
