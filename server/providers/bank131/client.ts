// Signed calls to the Bank 131 API. Each answer is sorted into what it proves:
// the bank answered (ok or a refusal with a code), the request surely never
// arrived, or we cannot tell (timeout, dropped connection, 5xx, garbage).
import type { KeyObject } from 'node:crypto';
import * as v from 'valibot';
import type { Logger } from '../../log.ts';
import { classifyFetchFailure } from '../http.ts';
import { SIGN_HEADER, signBody } from './signature.ts';
import { Answer, type Session } from './wire.ts';

export type CallResult =
  | { kind: 'ok'; session: Session | undefined; body: Record<string, unknown> }
  | { kind: 'refused'; httpStatus: number; code: string; description: string }
  | { kind: 'not_sent'; error: string }
  | { kind: 'unknown'; error: string };

export interface ClientSettings {
  baseUrl: string;
  project: string;
  privateKey: KeyObject;
  timeoutMs: number;
}

export class Bank131Client {
  constructor(
    private settings: ClientSettings,
    private fetchFn: typeof fetch,
    private log: Logger,
  ) {}

  /** POST /api/v1/<path> with the body serialized once, signed, and sent as those exact bytes. */
  async post(path: string, payload: object, idempotencyKey?: string): Promise<CallResult> {
    return this.call('POST', path, JSON.stringify(payload), idempotencyKey);
  }

  /** GET with no body: the signature covers `{}`, as the bank defines for an empty body. */
  async get(path: string): Promise<CallResult> {
    return this.call('GET', path, undefined);
  }

  private async call(
    method: 'GET' | 'POST',
    path: string,
    body: string | undefined,
    idempotencyKey?: string,
  ): Promise<CallResult> {
    const headers: Record<string, string> = {
      'Content-Type': 'application/json',
      'X-PARTNER-PROJECT': this.settings.project,
      [SIGN_HEADER]: signBody(body ?? '{}', this.settings.privateKey),
    };
    if (idempotencyKey) headers['X-PARTNER-IDEMPOTENCY-KEY'] = idempotencyKey;
    let res: Response;
    let text: string;
    try {
      res = await this.fetchFn(`${this.settings.baseUrl}/api/v1/${path}`, {
        method,
        headers,
        body,
        signal: AbortSignal.timeout(this.settings.timeoutMs),
      });
      text = await res.text();
    } catch (err) {
      const failure = classifyFetchFailure(err, this.settings.timeoutMs);
      this.log.warn({ path, error: failure.error, sent: failure.kind }, 'bank131 request failed');
      return failure;
    }
    let parsed: Answer | undefined;
    let json: unknown;
    try {
      json = JSON.parse(text);
      parsed = v.parse(Answer, json);
    } catch {
      parsed = undefined;
    }
    if (parsed && parsed.status !== 'error' && res.ok) {
      return { kind: 'ok', session: parsed.session ?? undefined, body: json as Record<string, unknown> };
    }
    const error = parsed?.error ?? parsed?.session?.error;
    if (parsed?.status === 'error' && error && res.status < 500) {
      this.log.info({ path, httpStatus: res.status, code: error.code }, 'bank131 refused');
      return {
        kind: 'refused',
        httpStatus: res.status,
        code: error.code,
        description: error.description ?? error.code,
      };
    }
    if (error && res.status >= 500) {
      this.log.warn({ path, httpStatus: res.status, code: error.code }, 'bank131 server error');
      return { kind: 'unknown', error: `HTTP ${res.status} ${error.code}` };
    }
    this.log.warn({ path, httpStatus: res.status }, 'bank131 answer not understood');
    return { kind: 'unknown', error: `HTTP ${res.status}: unexpected answer` };
  }
}
