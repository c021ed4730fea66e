// A production service for the security tests: strong keys, an https PUBLIC_URL, and a
// sandbox only because the operator said so explicitly.
import { randomBytes } from 'node:crypto';
import { createMerchant } from '../../server/merchants/store.ts';
import { settingsContext, type MerchantSettings } from '../../server/merchants/settings.ts';
import { startService, type Service, type ServiceOptions } from '../helpers/service.ts';
import { FAST_ENV } from '../helpers/engine.ts';

export function productionEnv(): Record<string, string> {
  return {
    ...FAST_ENV,
    PAYEE_ENV: 'production',
    PUBLIC_URL: 'https://payee.example',
    PAYEE_KEYS: JSON.stringify({ k1: randomBytes(32).toString('base64') }),
    PAYEE_FINGERPRINT_KEY: randomBytes(32).toString('base64'),
    PAYEE_DEMO: '0',
  };
}

export const ALLOWED_SANDBOX = { sandbox: { kind: 'sandbox', delayMs: 0, callbacks: false } };

export async function startProduction(opts: ServiceOptions = {}): Promise<Service> {
  return startService({
    ...opts,
    env: { ...productionEnv(), PAYEE_ALLOW_SANDBOX: '1', ...opts.env },
    providers: opts.providers ?? ALLOWED_SANDBOX,
  });
}

/** A merchant saved the way the running service saves settings (its own rules apply). */
export async function productionMerchant(svc: Service, settings: Partial<MerchantSettings> = {}) {
  const { services } = svc;
  const created = await createMerchant(
    services.db,
    services.keyring,
    {
      name: 'Shop',
      settings: {
        returnOrigins: ['https://shop.example'],
        allowSandbox: true,
        routes: [
          { type: 'card', channel: 'vtb', provider: 'sandbox' },
          { type: 'sbp', channel: 'vtb', provider: 'sandbox' },
        ],
        ...settings,
      },
    },
    settingsContext(services.config),
  );
  return { id: created.merchant.id, token: created.token };
}

/** POST to the merchant API over HTTP. */
export async function apiPost(svc: Pick<Service, 'url'>, token: string, path: string, body: unknown) {
  const res = await fetch(`${svc.url}/api/v1/${path}`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${token}` },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
  const text = await res.text();
  let json: any = text;
  try {
    json = JSON.parse(text);
  } catch {
    // not JSON
  }
  return { status: res.status, headers: res.headers, body: json };
}
