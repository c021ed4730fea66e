// Delivery-time half of the target rule: the host name is resolved here, every address
// it resolves to is checked, and the socket connects to the checked address (the
// lookup hook hands it over), so a name that changes its answer between the check and
// the connection (DNS rebinding) gets nowhere. Redirects are never followed.
// Connections are kept alive and reused, but only for the same host and port under the
// same policy: a reused socket is still one connected to an address checked for that name.
import { lookup as dnsLookup, type LookupAddress } from 'node:dns';
import { Agent as HttpAgent, request as httpRequest } from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';
import type { LookupFunction } from 'node:net';
import { classifyAddress } from './address.ts';
import { checkTargetUrl, type TargetPolicy } from './target.ts';

export type PostResult = { ok: true; status: number } | { ok: false; reason: string };

/** An idle kept-alive connection is closed after this (below the usual 5 s server keep-alive, so we close first). */
const IDLE_MS = 4_000;
/** A longer answer body is not read to keep its connection: the connection is closed instead. */
const DRAIN_LIMIT = 64 * 1024;

function allowed(address: string, policy: TargetPolicy): boolean {
  const c = classifyAddress(address);
  return c === 'public' || (c === 'loopback' && policy.allowLoopback);
}

function checkedLookup(policy: TargetPolicy): LookupFunction {
  return (hostname, options, callback) => {
    dnsLookup(hostname, { all: true, family: options.family }, (err, addresses: LookupAddress[]) => {
      if (err) return callback(err, '', 0);
      const refused = addresses.find((a) => !allowed(a.address, policy));
      if (refused || addresses.length === 0) {
        const e = Object.assign(new Error(`${hostname} resolves to a refused address ${refused?.address ?? ''}`), {
          code: 'EREFUSEDADDRESS',
        });
        return callback(e, '', 0);
      }
      const first = addresses[0]!;
      if (options.all) return (callback as unknown as (e: null, a: LookupAddress[]) => void)(null, [first]);
      callback(null, first.address, first.family);
    });
  };
}

// One pool per scheme and policy: a socket made under one policy never serves another.
// The agent pools by host and port, and every new socket is made through checkedLookup.
const agents = new Map<string, HttpAgent>();

function agentFor(https: boolean, policy: TargetPolicy): HttpAgent {
  const key = `${https}:${policy.allowHttp}:${policy.allowLoopback}`;
  let agent = agents.get(key);
  if (!agent) {
    const options = { keepAlive: true, timeout: IDLE_MS, scheduling: 'lifo' as const };
    agent = https ? new HttpsAgent(options) : new HttpAgent(options);
    agents.set(key, agent);
  }
  return agent;
}

/**
 * POSTs a body to a merchant-supplied URL under the target rule; the answer's body is discarded.
 * A kept-alive connection the receiver closed as we reused it is tried once more on a new
 * one, so a receiver may get a post twice: for at-least-once deliveries (webhooks) only,
 * never for a provider's payout request.
 */
export async function postToTarget(
  raw: string,
  init: { headers: Record<string, string>; body: string; timeoutMs: number },
  policy: TargetPolicy,
): Promise<PostResult> {
  const checked = checkTargetUrl(raw, policy);
  if (!checked.ok) return { ok: false, reason: `refused: ${checked.reason}` };
  const agent = agentFor(checked.url.protocol === 'https:', policy);
  const first = await send(checked.url, init, policy, agent);
  return first.staleSocket ? (await send(checked.url, init, policy, false)).result : first.result;
}

function send(
  url: URL,
  init: { headers: Record<string, string>; body: string; timeoutMs: number },
  policy: TargetPolicy,
  agent: HttpAgent | false,
): Promise<{ result: PostResult; staleSocket?: boolean }> {
  const request = url.protocol === 'https:' ? httpsRequest : httpRequest;
  return new Promise((resolve) => {
    const req = request(
      url,
      {
        method: 'POST',
        headers: { ...init.headers, 'Content-Length': String(Buffer.byteLength(init.body)) },
        lookup: checkedLookup(policy),
        timeout: init.timeoutMs,
        agent,
      },
      (res) => {
        // Only the status matters; the body is read (and dropped) so the connection can be reused.
        clearTimeout(deadline);
        resolve({ result: { ok: true, status: res.statusCode ?? 0 } });
        let drained = 0;
        res.on('data', (chunk: Buffer) => {
          drained += chunk.length;
          if (drained > DRAIN_LIMIT) res.destroy();
        });
        res.on('error', () => undefined);
      },
    );
    const deadline = setTimeout(
      () => req.destroy(Object.assign(new Error('timeout'), { code: 'timeout' })),
      init.timeoutMs,
    );
    req.on('close', () => clearTimeout(deadline));
    req.on('timeout', () => req.destroy(Object.assign(new Error('timeout'), { code: 'timeout' })));
    req.on('error', (err: NodeJS.ErrnoException) => {
      const reason = err.code ?? err.message;
      const staleSocket = req.reusedSocket && (err.code === 'ECONNRESET' || err.code === 'EPIPE');
      resolve({ result: { ok: false, reason }, staleSocket });
    });
    req.end(init.body);
  });
}
