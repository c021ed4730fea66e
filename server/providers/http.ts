// One HTTP exchange with a provider, classified for payout safety: an answer (any
// status, body read) or a transport failure after which the request may have arrived.
export type Exchange =
  { kind: 'answer'; status: number; text: string; json: unknown } | { kind: 'transport'; error: string };

export async function exchange(
  fetchFn: typeof fetch,
  url: string,
  init: RequestInit,
  timeoutMs: number,
): Promise<Exchange> {
  try {
    const res = await fetchFn(url, { ...init, signal: AbortSignal.timeout(timeoutMs) });
    const text = await res.text();
    return { kind: 'answer', status: res.status, text, json: parseJson(text) };
  } catch (err) {
    const e = err as Error & { cause?: { code?: string } };
    const what = e.name === 'TimeoutError' ? `no answer within ${timeoutMs} ms` : (e.cause?.code ?? e.message);
    return { kind: 'transport', error: what };
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
