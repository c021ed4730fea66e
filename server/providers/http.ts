// One HTTP exchange with a provider, and what a failure says about whether the request
// arrived. Every adapter and webhook delivery read fetch failures through
// classifyFetchFailure, so "never sent" means the same everywhere:
//   - not_sent: the request never left (the name did not resolve, the connection was
//     refused). Nothing to reconcile; a later attempt is safe. Never an end in itself.
//   - unknown: it may have arrived (timeout, reset, an answer cut short). Never an end
//     and never a new attempt by itself: ask the provider where it stands.
export type Transport = { kind: 'not_sent'; error: string } | { kind: 'unknown'; error: string };

export type Exchange = { kind: 'answer'; status: number; headers: Headers; text: string; json: unknown } | Transport;

/** Connection-level codes after which the peer cannot have received a single byte of the request. */
const NEVER_LEFT = new Set(['ENOTFOUND', 'EAI_AGAIN', 'ECONNREFUSED']);

/** A rejected fetch() (or body read) in payout terms, with a short description for logs and records. */
export function classifyFetchFailure(err: unknown, timeoutMs?: number): Transport {
  const e = err as (Error & { cause?: unknown }) | undefined;
  if (e?.name === 'TimeoutError' || e?.name === 'AbortError')
    return { kind: 'unknown', error: timeoutMs ? `no answer within ${timeoutMs} ms` : 'timeout' };
  const codes = causeCodes(e?.cause);
  const code = codes[0];
  // Happy eyeballs may try several addresses: never sent only when every one of them refused.
  if (code && codes.every((c) => NEVER_LEFT.has(c))) return { kind: 'not_sent', error: code };
  const cause = e?.cause as { message?: string } | undefined;
  return { kind: 'unknown', error: code ?? cause?.message ?? e?.message ?? String(err) };
}

function causeCodes(cause: unknown): string[] {
  const c = cause as { code?: unknown; errors?: unknown[] } | undefined;
  if (!c) return [];
  if (Array.isArray(c.errors) && c.errors.length > 0) return c.errors.flatMap(causeCodes);
  return typeof c.code === 'string' ? [c.code] : [];
}

/**
 * HTTP statuses that prove nothing about a payout: the provider failed midway (5xx),
 * throttled us (429) or refused our credentials (401/403) without reading the request.
 * The description when the status is one of them.
 */
export function inconclusiveStatus(status: number): string | undefined {
  if (status >= 500) return `HTTP ${status}`;
  if (status === 429) return 'HTTP 429 (rate limited)';
  if (status === 401 || status === 403) return `HTTP ${status} (our credentials were refused)`;
  return undefined;
}

export async function exchange(
  fetchFn: typeof fetch,
  url: string,
  init: RequestInit,
  timeoutMs: number,
): Promise<Exchange> {
  try {
    const res = await fetchFn(url, { ...init, signal: AbortSignal.timeout(timeoutMs) });
    const text = await res.text();
    return { kind: 'answer', status: res.status, headers: res.headers, text, json: parseJson(text) };
  } catch (err) {
    return classifyFetchFailure(err, timeoutMs);
  }
}

/** The text as JSON, or undefined when it is not JSON (or empty). */
export function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

export function isObject(x: unknown): x is Record<string, unknown> {
  return typeof x === 'object' && x !== null && !Array.isArray(x);
}
