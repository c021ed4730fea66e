// What happens when the recipient picks a hand-off method (a provider with its own
// details page): the page starts the payout with that provider (engine/handoff.ts,
// exactly once) and sends the recipient there.
import type { Services } from '../services.ts';
import type { MethodOption } from '../engine/details.ts';
import type { PayoutRow } from '../engine/payouts.ts';
import { startHandoff as handOff } from '../engine/handoff.ts';

export type NextStep =
  /** Show the payout's progress and outcome on our page. */
  | { kind: 'status' }
  /** Send the recipient to the provider's page. */
  | { kind: 'redirect'; url: string }
  /** This method cannot be used now. */
  | { kind: 'unavailable' };

/** For a hand-off method: start the payout with its provider and say where the recipient goes. */
export async function startHandoff(s: Services, payout: PayoutRow, method: MethodOption): Promise<NextStep> {
  const r = await handOff(s, payout.id, method.type);
  return r.ok ? { kind: 'redirect', url: r.redirectUrl } : { kind: 'unavailable' };
}
