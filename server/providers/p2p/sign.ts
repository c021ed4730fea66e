// Request signatures of the P2P gateway: sha256 hex of fields joined by ":".
import { createHash } from 'node:crypto';

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
