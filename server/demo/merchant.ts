// The demo merchant that `npm start` creates with no configuration: routed to the
// sandbox, returning to this service's own /demo pages.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Services } from '../services.ts';
import {
  createMerchant,
  getMerchant,
  rotateApiToken,
  updateMerchantSettings,
  type Merchant,
} from '../merchants/store.ts';
import { settingsContext, type MerchantSettings } from '../merchants/settings.ts';

export const DEMO_MERCHANT_ID = 'm_demo';

function demoSettings(publicUrl: string): Partial<MerchantSettings> {
  return {
    displayName: 'Demo shop',
    accentColor: '#2f6fde',
    returnOrigins: [...new Set([publicUrl, publicUrl.replace('//localhost', '//127.0.0.1')])],
    // Its own pages show the form in a frame (/demo/try).
    frameAncestors: [...new Set([publicUrl, publicUrl.replace('//localhost', '//127.0.0.1')])],
    webhook: { url: `${publicUrl}/demo/webhook`, enabled: true, useSignature: true },
    payoutTypes: ['card', 'sbp'],
    routes: [
      { type: 'card', channel: 'vtb', provider: 'sandbox' },
      { type: 'sbp', channel: 'vtb', provider: 'sandbox' },
    ],
  };
}

/** Creates the demo merchant on first start; its token is kept in DATA_DIR so every start can print it. */
export async function ensureDemoMerchant(s: Services): Promise<{ merchant: Merchant; token: string }> {
  const tokenFile = join(s.config.dataDir, 'demo-merchant-token');
  const settings = demoSettings(s.config.publicUrl);
  const existing = await getMerchant(s.db, DEMO_MERCHANT_ID);
  if (!existing) {
    const created = await createMerchant(
      s.db,
      s.keyring,
      { id: DEMO_MERCHANT_ID, name: 'Demo shop', settings },
      settingsContext(s.config),
    );
    writeFileSync(tokenFile, created.token, { mode: 0o600 });
    return { merchant: created.merchant, token: created.token };
  }
  const merchant = await updateMerchantSettings(s.db, DEMO_MERCHANT_ID, settings, settingsContext(s.config));
  let token = existsSync(tokenFile) ? readFileSync(tokenFile, 'utf8').trim() : '';
  if (!token) {
    token = await rotateApiToken(s.db, DEMO_MERCHANT_ID);
    writeFileSync(tokenFile, token, { mode: 0o600 });
  }
  return { merchant, token };
}
