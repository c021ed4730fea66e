// Signatures of the P2P gateway (sha256 hex of fields joined by ":"), and the tags that
// make our callback URLs unguessable: the gateway's callbacks carry no signature it
// defines, so a callback is believed because it arrives at a URL only the gateway knows.
import { createHash, createHmac, timingSafeEqual } from 'node:crypto';

function sha256Hex(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex');
}

/** create_pay_out: sha256("order_id:fiat_amount:<card|phone|account|iban>:fiat_currency:sign_key"). */
export function payoutSign(
  p: { orderId: string; fiatAmount: string; requisite: string; fiatCurrency: string },
  signKey: string,
): string {
  return sha256Hex(`${p.orderId}:${p.fiatAmount}:${p.requisite}:${p.fiatCurrency}:${signKey}`);
}

/**
 * rejected_pay_out needs a `standart_sign` the gateway's documentation never defines.
 * Our assumption, by analogy with the payout sign: sha256("order_id:sign_key").
 */
export function standardSign(orderId: string, signKey: string): string {
  return sha256Hex(`${orderId}:${signKey}`);
}

export type CallbackKind = 'success' | 'error';

/** The last segment of a callback URL we give the gateway: HMAC of the kind and order, keyed by the sign key. */
export function callbackTag(kind: CallbackKind, orderId: string, signKey: string): string {
  return createHmac('sha256', signKey).update(`p2p-callback:${kind}:${orderId}`).digest('hex').slice(0, 32);
}

export function isCallbackTag(tag: string, kind: CallbackKind, orderId: string, signKey: string): boolean {
  const expected = Buffer.from(callbackTag(kind, orderId, signKey));
  const got = Buffer.from(tag);
  return got.length === expected.length && timingSafeEqual(got, expected);
}
