// A merchant's webhook endpoint that checks X-Payouts-Signature as the Quantum Payouts docs
// show: 200 for a body signed with the secret it knows, 401 for anything else.
import { createHmac, timingSafeEqual } from 'node:crypto';
import { createServer } from 'node:http';
import { closeServer, listenLocal, readBody } from '../simulators/http.ts';

export async function signedReceiver() {
  let secret = '';
  const bodies: string[] = [];
  const requests: Array<{ headers: Record<string, string | string[] | undefined>; body: string }> = [];
  const server = createServer(async (req, res) => {
    const raw = await readBody(req);
    requests.push({ headers: req.headers, body: raw });
    const expected = `sha256=${createHmac('sha256', secret)
      .update(JSON.stringify(JSON.parse(raw)))
      .digest('hex')}`;
    const got = String(req.headers['x-payouts-signature'] ?? '');
    const good =
      secret !== '' && got.length === expected.length && timingSafeEqual(Buffer.from(got), Buffer.from(expected));
    if (good) bodies.push(raw);
    res.statusCode = good ? 200 : 401;
    res.end();
  });
  const origin = await listenLocal(server);
  return {
    url: `${origin}/payee-webhook`,
    /** The webhook secret this receiver checks against. */
    setSecret(value: string) {
      secret = value;
    },
    /** Bodies whose signature was right. */
    bodies,
    /** Every request, signed right or not. */
    requests,
    close: () => closeServer(server),
  };
}
