// Settings → API and the webhook, over HTTP against the real service: named tokens that
// work at once and stop at once, webhook_save with a new secret shown once, webhook_test
// to a receiver that checks the signature, and the command that adds a portal user.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { api } from '../helpers/server.ts';
import { startService, type Service } from '../helpers/service.ts';
import { PASSWORD, form, portalUser, postLogin, sessionApi, signIn } from '../helpers/portal.ts';
import { signedReceiver } from '../helpers/signed-receiver.ts';
import { addPortalUser, createTestMerchant } from '../helpers/cli.ts';
import { DEMO_MERCHANT_ID } from '../../server/demo/merchant.ts';
import { getWebhookSecrets, WEBHOOK_SECRET_OVERLAP_MS } from '../../server/merchants/store.ts';
import { bodySignature, verifyTimestamped } from '../../server/lib/payouts-signature.ts';

let server: Service;
before(async () => {
  server = await startService();
});
after(async () => {
  await server.stop();
});

test('a token created under Settings → API is shown once, works at once, and stops at once when revoked', async () => {
  const owner = await signIn(server.app, (await portalUser(server.services, DEMO_MERCHANT_ID)).email);
  const create = form({ name: 'rotation 2', csrf_token: owner.csrf });
  const page = await (
    await server.app.request('/portal/settings/api/tokens?lang=en', {
      ...create,
      headers: { ...create.headers, Cookie: owner.cookie },
    })
  ).text();
  const token = /id="new-token">(payee_[A-Za-z0-9_-]{43})</.exec(page)![1]!;
  const features = (t: string) => api({ ...server, token: t } as never, 'GET', 'features');
  assert.equal((await features(token)).status, 200);
  // The old token still works: a rotation has overlap.
  assert.equal((await features(server.token)).status, 200);

  const list = await (
    await server.app.request('/portal/settings/api?lang=en', { headers: { Cookie: owner.cookie } })
  ).text();
  assert.doesNotMatch(list, new RegExp(token), 'the token is shown only once');
  assert.match(list, /rotation 2<\/td><td>[^<]+<\/td><td>\d{4}-\d\d-\d\d [\d:]+ UTC<\/td>/, 'its last use is listed');
  const row = list.split('<tr>').find((r) => r.includes('rotation 2'))!;
  const id = /tokens\/(tok_[0-9a-f]+)\/revoke/.exec(row)![1]!;
  const revoke = form({ csrf_token: owner.csrf });
  const revoked = await server.app.request(`/portal/settings/api/tokens/${id}/revoke?lang=en`, {
    ...revoke,
    headers: { ...revoke.headers, Cookie: owner.cookie },
  });
  assert.equal(revoked.status, 200);
  const after = await features(token);
  assert.equal(after.status, 401);
  assert.equal(after.body.result.error, 'UNAUTHORIZED');
  assert.equal((await features(server.token)).status, 200);
});

test('webhook_save issues a new secret once and webhook_test reaches a receiver that checks it', async () => {
  const { id, webhookSecret: first } = await createTestMerchant(server.dataDir, ['--name', 'Hook shop']);
  const owner = await signIn(server.app, (await portalUser(server.services, id)).email);
  const receiver = await signedReceiver();
  try {
    const saved = await sessionApi(
      server.app,
      'webhook_save',
      { url: receiver.url, enabled: true, use_signature: true, regenerate_secret: true, csrf_token: owner.csrf },
      { Cookie: owner.cookie },
    );
    assert.equal(saved.status, 200, JSON.stringify(saved.body));
    assert.match(saved.body.secret, /^whsec_/);

    // With the old secret the receiver refuses: the signature is checked for real.
    receiver.setSecret('whsec_not-the-secret');
    const refused = await sessionApi(server.app, 'webhook_test', { csrf_token: owner.csrf }, { Cookie: owner.cookie });
    assert.equal(refused.status, 200);
    assert.equal(refused.body.test.httpStatus, 401);
    assert.equal(refused.body.test.delivered, false);

    receiver.setSecret(saved.body.secret);
    const sent = await sessionApi(server.app, 'webhook_test', { csrf_token: owner.csrf }, { Cookie: owner.cookie });
    assert.equal(sent.body.test.httpStatus, 200);
    assert.equal(sent.body.test.delivered, true);
    assert.equal(typeof sent.body.test.durationMs, 'number');
    const event = JSON.parse(receiver.bodies[0]!);
    assert.equal(event.event, 'payout.status_changed');
    assert.equal(event.eventId, sent.body.test.eventId);
    assert.equal(receiver.bodies.length, 1, 'one attempt, no retries');

    // The secret it replaced still signs, beside the new one, while receivers switch.
    const { headers, body } = receiver.requests.at(-1)!;
    assert.equal(headers['x-payouts-signature-previous'], bodySignature(first, body));
    const v2 = String(headers['x-payouts-signature-v2']);
    const now = Math.floor(Date.now() / 1000);
    assert.ok(verifyTimestamped(saved.body.secret, body, v2, now) && verifyTimestamped(first, body, v2, now));
    const later = Date.now() + WEBHOOK_SECRET_OVERLAP_MS + 1000;
    const secrets = await getWebhookSecrets(server.services.db, server.services.keyring, id, later);
    assert.deepEqual(secrets, { current: saved.body.secret }, 'after the overlap only the new secret signs');
  } finally {
    await receiver.close();
  }
});

test('webhook_save names what is wrong in the body', async () => {
  const owner = await signIn(server.app, (await portalUser(server.services, DEMO_MERCHANT_ID, 'admin')).email);
  const res = await sessionApi(
    server.app,
    'webhook_save',
    { url: 'not a url', enabled: 'maybe', csrf_token: owner.csrf },
    { Cookie: owner.cookie },
  );
  assert.equal(res.status, 400);
  assert.equal(res.body.result.error, 'VALIDATION_ERROR');
  assert.match(res.body.result.message, /enabled must be true or false/);
  assert.match(res.body.result.message, /use_signature is required/);
});

test('npm run merchant -- add-user reads the password from standard input', async () => {
  const email = `cli-${process.pid}@shop.example`;
  const out = await addPortalUser(server.dataDir, DEMO_MERCHANT_ID, email, PASSWORD, 'viewer');
  assert.match(out, /viewer/);
  assert.doesNotMatch(out, new RegExp(PASSWORD));
  assert.equal((await postLogin(server.app, email, PASSWORD)).status, 303);
});
