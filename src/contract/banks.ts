// The built-in list of SBP member banks (NSPK ids, Russian and English names), sorted
// for the picker. A provider's own list can replace it later; this is the default.
import list from './sbp-banks.json' with { type: 'json' };
import { sortBanks, type Bank } from './bank-search.ts';

export const BANKS: readonly Bank[] = sortBanks(list as Bank[]);

const byId = new Map(BANKS.map((b) => [b.id, b]));

export function findBank(id: string): Bank | undefined {
  return byId.get(id);
}
