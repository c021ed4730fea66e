// Saving and testing a merchant's webhook: one rule set for the portal page and for
// POST /api/v1/webhook_save and webhook_test. The URL is judged by the merchant settings'
// own validation, never by a rule of this file.
import type { WebhookSaveInput } from '../../src/contract/portal.ts';
import type { Services } from '../services.ts';
import { settingsContext, validateMerchantSettings } from '../merchants/settings.ts';
import { getMerchant, rotateWebhookSecret, updateMerchantSettings } from '../merchants/store.ts';
import { sendTestEvent, type TestEventResult } from '../webhooks/deliver.ts';
import { audit } from './audit.ts';
import { canChangeSettings, type PortalUser } from './users.ts';

export type Refusal = { ok: false; reason: 'no_company' | 'forbidden' | 'invalid'; message: string };

export type SaveResult =
  { ok: true; webhook: { url: string | null; enabled: boolean; use_signature: boolean }; secret?: string } | Refusal;

/** The merchant the user may change settings of, or why not. */
export function settingsMerchant(user: PortalUser): { ok: true; merchantId: string } | Refusal {
  if (!user.merchantId) return { ok: false, reason: 'no_company', message: 'this user is not linked to a company' };
  if (!canChangeSettings(user)) {
    return { ok: false, reason: 'forbidden', message: `the ${user.role} role cannot change settings` };
  }
  return { ok: true, merchantId: user.merchantId };
}

export async function saveWebhook(s: Services, user: PortalUser, input: WebhookSaveInput): Promise<SaveResult> {
  const allowed = settingsMerchant(user);
  if (!allowed.ok) return allowed;
  const merchant = await getMerchant(s.db, allowed.merchantId);
  if (!merchant) return { ok: false, reason: 'no_company', message: 'the company no longer exists' };
  const webhook = { url: input.url, enabled: input.enabled, useSignature: input.use_signature };
  const checked = validateMerchantSettings({ ...merchant.settings, webhook }, settingsContext(s.config));
  if (!checked.ok) return { ok: false, reason: 'invalid', message: checked.reason.replace(/(^|; )webhook\./g, '$1') };
  const saved = (
    await updateMerchantSettings(s.db, merchant.id, { webhook: checked.settings.webhook }, settingsContext(s.config))
  ).settings.webhook;
  const secret = input.regenerate_secret
    ? await rotateWebhookSecret(s.db, s.keyring, merchant.id, s.clock.now())
    : undefined;
  await audit(
    s.db,
    user,
    merchant.id,
    'webhook.save',
    {
      from: merchant.settings.webhook,
      to: saved,
      ...(secret ? { secretRegenerated: true } : {}),
    },
    s.clock.now(),
  );
  return {
    ok: true,
    webhook: { url: saved.url ?? null, enabled: saved.enabled, use_signature: saved.useSignature },
    ...(secret ? { secret } : {}),
  };
}

export async function testWebhook(s: Services, user: PortalUser): Promise<TestEventResult | Refusal> {
  const allowed = settingsMerchant(user);
  if (!allowed.ok) return allowed;
  return sendTestEvent(s, allowed.merchantId);
}
