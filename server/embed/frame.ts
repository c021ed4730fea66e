// What the hosted page needs to know about being embedded: whether this request is for a
// frame (then the page is compact and leaves the navigation to the parent), and what the
// page's data carries for the bridge. Who may frame it is the CSP in server/page/headers.ts.
import type { Merchant } from '../merchants/store.ts';
import type { PayoutRow } from '../engine/payouts.ts';
import type { EmbedData } from '../../src/contract/embed.ts';

/** What a page request tells about itself (server/page/middleware.ts PageRequest). */
interface FrameRequest {
  query(name: string): string | undefined;
  header(name: string): string | undefined;
}

/**
 * Whether the page is being loaded into a frame: the loader adds ?embed=1, and browsers say
 * `Sec-Fetch-Dest: iframe` for every load in a frame (the first, after a post, a language switch).
 */
export function isEmbedRequest(r: FrameRequest): boolean {
  return r.query('embed') === '1' || r.header('sec-fetch-dest') === 'iframe';
}

/** What the page's data carries for src/embed/bridge.ts. */
export function embedData(
  r: FrameRequest,
  merchant: Pick<Merchant, 'settings'>,
  payout: Pick<PayoutRow, 'order_number' | 'status' | 'destination_type'>,
): EmbedData {
  return {
    frameAncestors: merchant.settings.frameAncestors,
    orderNumber: payout.order_number,
    compact: isEmbedRequest(r),
    submitted: payout.status === 'uploaded' ? null : payout.destination_type,
  };
}
