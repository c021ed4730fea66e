// The rule for URLs a merchant or provider gives us to call or to send a recipient to
// (webhook URL, hand-off page): checked when the setting is saved and again before use.
import type { Config } from '../config.ts';
import { classifyAddress, isIpLiteral } from './address.ts';

export interface TargetPolicy {
  /** Plain http to a loopback host (development only). */
  allowHttp: boolean;
  /** Loopback hosts (development, or the operator's PAYEE_ALLOW_LOOPBACK_TARGETS). */
  allowLoopback: boolean;
}

export function targetPolicy(config: Pick<Config, 'environment' | 'outbound'>): TargetPolicy {
  return { allowHttp: config.environment === 'development', allowLoopback: config.outbound.allowLoopback };
}

export type TargetCheck = { ok: true; url: URL } | { ok: false; reason: string };

export function isLoopbackName(hostname: string): boolean {
  const h = hostname.toLowerCase().replace(/\.$/, '');
  return h === 'localhost' || h.endsWith('.localhost') || (isIpLiteral(h) && classifyAddress(h) === 'loopback');
}

/** Save-time (and pre-use) check: scheme, credentials, and hosts that are IP literals. */
export function checkTargetUrl(raw: string, policy: TargetPolicy): TargetCheck {
  if (!URL.canParse(raw)) return { ok: false, reason: 'must be an absolute URL' };
  const url = new URL(raw);
  const loopback = isLoopbackName(url.hostname);
  if (url.protocol === 'http:') {
    if (!(policy.allowHttp && loopback))
      return { ok: false, reason: 'must be https (plain http only for localhost in development)' };
  } else if (url.protocol !== 'https:') {
    return { ok: false, reason: 'must be an https URL' };
  }
  if (url.username || url.password) return { ok: false, reason: 'must not carry a user name or password' };
  if (loopback)
    return policy.allowLoopback
      ? { ok: true, url }
      : { ok: false, reason: 'must not point to this machine (loopback)' };
  if (isIpLiteral(url.hostname) && classifyAddress(url.hostname) !== 'public')
    return { ok: false, reason: `must not point to a private, local or reserved address (${url.hostname})` };
  return { ok: true, url };
}
