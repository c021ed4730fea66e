// The request id: taken from the caller's X-Request-Id when it looks like one, made otherwise;
// echoed on the answer, written on the access log, sent along on provider calls and kept on the
// webhooks a request causes. It travels in AsyncLocalStorage so that the engine and the adapters
// carry it without a parameter through every call between the HTTP surface and the network.
import { AsyncLocalStorage } from 'node:async_hooks';
import { randomUUID } from 'node:crypto';
import * as v from 'valibot';

export const REQUEST_ID_HEADER = 'X-Request-Id';

/** What a caller may send: short, printable, nothing a log line or a header could be split by. */
const RequestIdSchema = v.pipe(v.string(), v.regex(/^[A-Za-z0-9._:@/+=-]{1,128}$/));

const current = new AsyncLocalStorage<string>();

/** The caller's id when valid, else a new one. */
export function acceptRequestId(header: string | undefined | null): string {
  return v.is(RequestIdSchema, header) ? header : randomUUID();
}

export function newRequestId(): string {
  return randomUUID();
}

/** Runs `work` with `id` as the current request id (for everything it awaits too). */
export function withRequestId<T>(id: string, work: () => T): T {
  return current.run(id, work);
}

export function currentRequestId(): string | undefined {
  return current.getStore();
}

/** A fetch that sends the current request id, unless the caller set one. */
export function fetchWithRequestId(base: typeof fetch): typeof fetch {
  return (input, init) => {
    const id = currentRequestId();
    if (!id) return base(input, init);
    const headers = new Headers(init?.headers ?? (input instanceof Request ? input.headers : undefined));
    if (!headers.has(REQUEST_ID_HEADER)) headers.set(REQUEST_ID_HEADER, id);
    return base(input, { ...init, headers });
  };
}
