// The recipient's details for a link payout, as the hosted page hands them over.
// Used by the page (server/page/): methodsFor() decides what the form offers,
// submitRecipientDetails() takes the submitted form, getPayoutProgress() (payouts.ts) is
// what the page polls afterwards. (Methods with `handoff: true` go through handoff.ts.)
import { getMerchant, type Merchant } from '../merchants/store.ts';
import { findRoute, type Route } from '../merchants/settings.ts';
import type { Services } from '../services.ts';
import { maskPan } from '../../src/contract/card.ts';
import { maskPhone } from '../../src/contract/phone.ts';
import { findBank } from '../../src/contract/banks.ts';
import {
  parseDetails,
  recipientSchema,
  type PayoutMethod,
  type RecipientDetails,
} from '../../src/contract/recipient.ts';
import type { PayoutType } from '../../src/contract/status.ts';
import { tokenize } from '../vault/vault.ts';
import { offeredDestination, type Destination } from '../merchants/destinations.ts';
import { cardBrand } from './card-brand.ts';
import { expireIfDue, getPayoutById, type PayoutRow } from './payouts.ts';
import { transition } from './status-machine.ts';
import { kick } from './submit.ts';

export type SubmitDetailsResult =
  | { ok: true; payout: PayoutRow }
  | {
      ok: false;
      reason: 'expired' | 'already_submitted' | 'method_not_allowed' | 'invalid';
      message: string;
      payout?: PayoutRow;
    };

/** The route a payout of this type takes: its own channel when that has this type, else the type's first route. */
export function routeFor(merchant: Merchant, payout: Pick<PayoutRow, 'channel'>, type: PayoutType): Route | undefined {
  return findRoute(merchant.settings, type, payout.channel) ?? findRoute(merchant.settings, type);
}

/**
 * The methods the page may offer for this payout: its fixed type, else the merchant's
 * routed types; only those whose provider instance exists, supports the method and
 * accepts the amount.
 */
export function methodsFor(
  s: Services,
  merchant: Merchant,
  payout: Pick<PayoutRow, 'type' | 'channel' | 'amount'>,
): PayoutMethod[] {
  const types = payout.type ? [payout.type] : merchant.settings.payoutTypes;
  const out: PayoutMethod[] = [];
  for (const type of types) {
    const route = routeFor(merchant, payout, type);
    const adapter = route && s.providers.get(route.provider);
    if (!adapter) continue;
    const c = adapter.capabilities;
    if (!c.methods.includes(type) || payout.amount < c.minAmount || payout.amount > c.maxAmount) continue;
    out.push({ type, requiredFields: [...(c.requiredFields[type] ?? [])], handoff: c.handoff });
  }
  return out;
}

/**
 * The link waits for the recipient's details: none given yet (`uploaded`), or the provider
 * refused the last ones and another try is open (still `processing` for the merchant).
 */
export function awaitsDetails(payout: Pick<PayoutRow, 'status' | 'declined_code'>): boolean {
  return payout.status === 'uploaded' || (payout.status === 'processing' && payout.declined_code !== null);
}

/**
 * Takes the recipient's details for a payout still waiting for them (awaitsDetails):
 * re-validates, puts the card number or phone into the vault first, then in one
 * transaction moves the payout to `created` (or, on another try, puts the new details in
 * place of the refused ones) with only the token and masked values, and starts the
 * submission in the background (the page polls the status).
 * Idempotent: once accepted, further calls answer `already_submitted` with the payout.
 */
export async function submitRecipientDetails(
  s: Services,
  payoutId: number,
  details: RecipientDetails,
): Promise<SubmitDetailsResult> {
  const found = await getPayoutById(s, payoutId);
  if (!found) return { ok: false, reason: 'invalid', message: 'no such payout' };
  const payout = await expireIfDue(s, found);
  const refusal = notWaiting(payout);
  if (refusal) return refusal;

  const merchant = await getMerchant(s.db, payout.merchant_id);
  if (!merchant?.active)
    return { ok: false, reason: 'method_not_allowed', message: 'the merchant cannot make payouts now' };
  const methods = methodsFor(s, merchant, payout);
  const method = methods.find((m) => m.type === details.type);
  if (!method)
    return {
      ok: false,
      reason: 'method_not_allowed',
      message: `${String(details.type)} is not available for this payout`,
    };
  if (method.handoff)
    return {
      ok: false,
      reason: 'method_not_allowed',
      message: `${details.type} details are collected by the provider's own page`,
    };

  const parsed = parseDetails(
    recipientSchema([method], (id) => Boolean(findBank(id))),
    details,
  );
  if (!parsed.ok) {
    const message = Object.entries(parsed.errors)
      .map(([field, code]) => `${field}: ${code}`)
      .join('; ');
    return { ok: false, reason: 'invalid', message };
  }
  const d = parsed.details;
  const route = routeFor(merchant, payout, d.type)!;

  // The vault first: the payout row only ever holds the token.
  const set = d.type === 'card' ? await cardColumns(s, d.pan) : await phoneColumns(s, d.phone, d.bankId);
  return accept(s, payout, {
    ...set,
    destination_type: d.type,
    provider: route.provider,
    recipient_name: method.requiredFields.includes('fullName') ? (d.fullName ?? null) : null,
  });
}

/**
 * The card saved for this payout's recipient (same merchant, same recipient id, not revoked),
 * when the page may offer it: card payouts taken on this page with nothing more to ask
 * (no full name, no provider's page), and not the card just refused.
 */
export async function savedCardFor(
  s: Services,
  merchant: Merchant,
  payout: Pick<PayoutRow, 'recipient_ref' | 'card_fingerprint'>,
  methods: PayoutMethod[],
): Promise<Destination | undefined> {
  if (!payout.recipient_ref) return undefined;
  const card = methods.find((m) => m.type === 'card');
  if (!card || card.handoff || card.requiredFields.length > 0) return undefined;
  const saved = await offeredDestination(s.db, merchant.id, payout.recipient_ref);
  return saved && saved.card_fingerprint !== payout.card_fingerprint ? saved : undefined;
}

/** The recipient's one tap on the saved card the page offered (savedCardFor): its token, never a number. */
export async function submitSavedCard(s: Services, payoutId: number, token: string): Promise<SubmitDetailsResult> {
  const found = await getPayoutById(s, payoutId);
  if (!found) return { ok: false, reason: 'invalid', message: 'no such payout' };
  const payout = await expireIfDue(s, found);
  const refusal = notWaiting(payout);
  if (refusal) return refusal;
  const merchant = await getMerchant(s.db, payout.merchant_id);
  if (!merchant?.active)
    return { ok: false, reason: 'method_not_allowed', message: 'the merchant cannot make payouts now' };
  const saved = await savedCardFor(s, merchant, payout, methodsFor(s, merchant, payout));
  if (!saved || saved.token !== token)
    return { ok: false, reason: 'method_not_allowed', message: 'that saved card is not offered for this payout' };
  return accept(s, payout, {
    ...savedCardColumns(saved),
    destination_token: saved.token,
    destination_type: 'card',
    provider: routeFor(merchant, payout, 'card')!.provider,
    recipient_name: null,
  });
}

/**
 * Puts the new destination in place in one transaction (to `created`, or on another try in
 * place of the refused one) and starts the submission in the background.
 */
async function accept(s: Services, payout: PayoutRow, set: Record<string, unknown>): Promise<SubmitDetailsResult> {
  const now = s.clock.now();
  const columns = { ...NO_DESTINATION, ...set, next_sync_at: now };
  const moved =
    payout.status === 'uploaded'
      ? await s.db
          .transaction()
          .execute((tx) => transition(tx, payout.id, 'created', { reason: 'details_submitted', at: now, set: columns }))
      : await anotherTry(s, payout, columns, now);
  const current = (await getPayoutById(s, payout.id))!;
  if (!moved.moved)
    return (
      notWaiting(current) ?? {
        ok: false,
        reason: 'already_submitted',
        message: 'details were already submitted',
        payout: current,
      }
    );
  kick(s, payout.id);
  return { ok: true, payout: current };
}

/**
 * Other details in place of refused ones: the status stays `processing` (the merchant sees one
 * payout going on), the next submission is a new attempt of the next try. Guarded, so it loses
 * to the session's end (payouts.ts expireIfDue) and to a second tab.
 */
async function anotherTry(s: Services, payout: PayoutRow, columns: Record<string, unknown>, now: number) {
  const r = await s.db
    .updateTable('payouts')
    .set({
      ...columns,
      tries: payout.tries + 1,
      declined_code: null,
      declined_provider_code: null,
      // The refused attempt's reference must never answer for the next one's status.
      provider_ref: null,
      sync_count: 0,
      updated_at: now,
    })
    .where('id', '=', payout.id)
    .where('status', '=', 'processing')
    .where('tries', '=', payout.tries)
    .where('declined_code', 'is not', null)
    .where('expires_at', '>', now)
    .executeTakeFirst();
  return { moved: r.numUpdatedRows > 0n };
}

/** A new destination replaces every column of the previous one. */
const NO_DESTINATION = {
  card_token: null,
  card_fingerprint: null,
  masked_pan: null,
  card_bin: null,
  card_last4: null,
  card_brand: null,
  phone_token: null,
  masked_phone: null,
  bank_id: null,
  destination_token: null,
};

function notWaiting(payout: PayoutRow): Extract<SubmitDetailsResult, { ok: false }> | undefined {
  if (awaitsDetails(payout)) return undefined;
  if (payout.status === 'cancelled' && (payout.status_reason === 'session_expired' || !payout.destination_type)) {
    return { ok: false, reason: 'expired', message: 'the payout link has expired', payout };
  }
  return { ok: false, reason: 'already_submitted', message: 'details were already submitted', payout };
}

export async function cardColumns(s: Services, pan: string) {
  const { token, fingerprint } = await tokenize(s, 'pan', pan);
  return {
    card_token: token,
    card_fingerprint: fingerprint,
    masked_pan: maskPan(pan),
    card_bin: pan.slice(0, 6),
    card_last4: pan.slice(-4),
    card_brand: cardBrand(pan),
  };
}

/** A saved destination's card, as a payout row holds it (the vault token, never the number). */
export function savedCardColumns(d: Destination) {
  return {
    card_token: d.card_token,
    card_fingerprint: d.card_fingerprint,
    masked_pan: d.masked_pan,
    card_bin: d.card_bin,
    card_last4: d.card_last4,
    card_brand: d.card_brand,
  };
}

async function phoneColumns(s: Services, phone: string, bankId: string) {
  const { token } = await tokenize(s, 'phone', phone);
  return { phone_token: token, masked_phone: maskPhone(phone), bank_id: bankId };
}
