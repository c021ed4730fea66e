// Delivery-time half of the target rule: the host name is resolved here, every address
// it resolves to is checked, and the socket connects to the checked address (the
// lookup hook hands it over), so a name that changes its answer between the check and
// the connection (DNS rebinding) gets nowhere. Redirects are never followed.
import { lookup as dnsLookup, type LookupAddress } from 'node:dns';
import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import type { LookupFunction } from 'node:net';
import { classifyAddress } from './address.ts';
import { checkTargetUrl, type TargetPolicy } from './target.ts';

export type PostResult = { ok: true; status: number } | { ok: false; reason: string };

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

/** POSTs a body to a merchant- or provider-supplied URL under the target rule; the answer's body is discarded. */
export function postToTarget(
  raw: string,
  init: { headers: Record<string, string>; body: string; timeoutMs: number },
  policy: TargetPolicy,
): Promise<PostResult> {
  const checked = checkTargetUrl(raw, policy);
  if (!checked.ok) return Promise.resolve({ ok: false, reason: `refused: ${checked.reason}` });
  const url = checked.url;
  const request = url.protocol === 'https:' ? httpsRequest : httpRequest;
  return new Promise((resolve) => {
    const req = request(
      url,
      {
        method: 'POST',
        headers: { ...init.headers, 'Content-Length': String(Buffer.byteLength(init.body)) },
        lookup: checkedLookup(policy),
        timeout: init.timeoutMs,
        agent: false,
      },
      (res) => {
        // Only the status matters: the body is not waited for.
        resolve({ ok: true, status: res.statusCode ?? 0 });
        res.destroy();
      },
    );
    const deadline = setTimeout(
      () => req.destroy(Object.assign(new Error('timeout'), { code: 'timeout' })),
      init.timeoutMs,
    );
    req.on('close', () => clearTimeout(deadline));
    req.on('timeout', () => req.destroy(Object.assign(new Error('timeout'), { code: 'timeout' })));
    req.on('error', (err: NodeJS.ErrnoException) => resolve({ ok: false, reason: err.code ?? err.message }));
    req.end(init.body);
  });
}
