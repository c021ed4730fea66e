// Which view of the page a payout is in, and where the recipient goes back to.
import type { Services } from '../services.ts';
import type { Merchant } from '../merchants/store.ts';
import { methodsFor, savedCardFor } from '../engine/details.ts';
import { formatAmount } from '../../src/contract/money.ts';
import type { PayoutMethod } from '../../src/contract/recipient.ts';
import type { PagePayout } from '../engine/payouts.ts';
import { fill, type Locale, type Messages } from '../../src/contract/i18n.ts';
import { MESSAGES } from '../../src/contract/messages.ts';
import { anotherTryNote, failureNote } from './failure-notes.ts';
import type { Leave, DoneOutcome, PageView } from '../../src/contract/page.ts';

/** How long the page waits for the outcome after the details are in, at most. */
export const WAIT_MS = 60_000;
/** …and at least, even when the session is nearly over. */
export const MIN_WAIT_MS = 10_000;

/** The merchant's URL with orderNumber and status added (they replace any of the same name). */
export function returnTo(url: string, payout: Pick<PagePayout, 'order_number'>, status: string): string {
  const u = new URL(url);
  u.searchParams.set('orderNumber', payout.order_number);
  u.searchParams.set('status', status);
  return u.toString();
}

export function merchantName(merchant: Merchant): string {
  return merchant.settings.displayName ?? merchant.name;
}

/** When the details were accepted (the payout left `uploaded`). */
async function submittedAt(s: Services, payout: PagePayout): Promise<number> {
  const row = await s.db
    .selectFrom('payout_history')
    .select('at')
    .where('payout_id', '=', payout.id)
    .where('to_status', '=', 'created')
    .executeTakeFirst();
  return row?.at ?? payout.updated_at;
}

/** Until when the page shows progress: a minute after the submit, within the session (but never under ten seconds). */
export function waitUntil(submitted: number, expiresAt: number): number {
  return Math.min(submitted + WAIT_MS, Math.max(expiresAt, submitted + MIN_WAIT_MS));
}

/** "card 4111 11** **** 1111" or "phone +7 (916) ***-**-67", kept on one line (no-break spaces). */
function target(payout: PagePayout, t: Messages): string | null {
  const masked = payout.masked_pan?.replace(/(.{4})(?=.)/g, '$1 ') ?? payout.masked_phone;
  if (!masked) return null;
  return fill(payout.masked_pan ? t.toCard : t.toPhone, { masked: masked.replace(/ /g, '\u00a0') });
}

export async function viewOf(s: Services, payout: PagePayout, merchant: Merchant, locale: Locale): Promise<PageView> {
  const t = MESSAGES[locale];
  const to = merchantName(merchant);
  const back = (url: string | null, status: string): Leave | null =>
    url ? { url: returnTo(url, payout, status), to } : null;
  const done = (outcome: DoneOutcome, url: string | null, status: string): Extract<PageView, { kind: 'done' }> => ({
    kind: 'done',
    outcome,
    target: target(payout, t),
    leave: back(url, status),
  });
  const failUrl = payout.fail_url ?? payout.return_url;

  switch (payout.status) {
    case 'uploaded':
      return formView(s, payout, merchant, locale, methodsFor(s, merchant, payout));
    case 'created':
    case 'processing':
      if (payout.declined_code !== null)
        return {
          // The provider's own page cannot take other details for this payout.
          ...(await formView(
            s,
            payout,
            merchant,
            locale,
            methodsFor(s, merchant, payout).filter((m) => !m.handoff),
          )),
          declined: anotherTryNote(payout.declined_code, locale),
        };
      if (s.clock.now() < waitUntil(await submittedAt(s, payout), payout.expires_at)) return { kind: 'progress' };
      return done('processing', payout.return_url, 'processing');
    case 'success':
      return done('success', payout.return_url, 'success');
    case 'failed':
      return withNote(done('failed', failUrl, 'failed'), payout, locale);
    case 'refunded':
      return done('failed', failUrl, 'refunded');
    case 'cancelled':
      // Cancelled before any details came in: the link ran out.
      if (payout.status_reason === 'session_expired' || !payout.destination_type)
        return { kind: 'expired', leave: back(payout.fail_url, 'cancelled') };
      return withNote(done('cancelled', failUrl, 'cancelled'), payout, locale);
  }
}

async function formView(
  s: Services,
  payout: PagePayout,
  merchant: Merchant,
  locale: Locale,
  methods: PayoutMethod[],
): Promise<Extract<PageView, { kind: 'form' }>> {
  const view = { kind: 'form' as const, methods, expiresAt: payout.expires_at };
  const saved = await savedCardFor(s, merchant, payout, methods);
  if (!saved) return view;
  const t = MESSAGES[locale];
  const card = fill(t.toCard, { masked: `••\u00a0${saved.card_last4}` });
  const amount = formatAmount(payout.amount, locale);
  return {
    ...view,
    saved: { token: saved.token, label: `${fill(t.submit, { amount })} · ${card}`, other: t.otherCard },
  };
}

/** Why it failed, in plain words, when the reason is known (payouts from before codes were kept: their history reason). */
function withNote(view: Extract<PageView, { kind: 'done' }>, payout: PagePayout, locale: Locale): PageView {
  const note = failureNote(payout.failure_code ?? payout.status_reason, locale);
  return note ? { ...view, note } : view;
}
