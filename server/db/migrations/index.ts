// Versioned migrations, applied in name order at start. Never edit one that has shipped: add the next.
import type { Migration } from 'kysely';
import * as m001 from './001_foundation.ts';
import * as m002 from './002_engine.ts';
import * as m003 from './003_money_safety.ts';
import * as m004 from './004_instances.ts';
import * as m005 from './005_request_ids.ts';
import * as m006 from './006_another_try.ts';
import * as m007 from './007_p2p_orders.ts';
import * as m008 from './008_portal.ts';
import * as m009 from './009_limit_buckets.ts';
import * as m010 from './010_destinations.ts';

export const migrations: Record<string, Migration> = {
  '001_foundation': m001,
  '002_engine': m002,
  '003_money_safety': m003,
  '004_instances': m004,
  '005_request_ids': m005,
  '006_another_try': m006,
  '007_p2p_orders': m007,
  '008_portal': m008,
  '009_limit_buckets': m009,
  '010_destinations': m010,
};
