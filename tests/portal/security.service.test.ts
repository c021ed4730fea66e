// The portal's security over HTTP against the real service: login and its backoff,
// session fixation, CSRF, roles, and one merchant's users seeing nothing of another's.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { startService, type Service } from '../helpers/service.ts';
import { createMerchant } from '../../server/merchants/store.ts';
import { settingsContext } from '../../server/merchants/settings.ts';
import { PASSWORD, cookiesOf, csrfOf, form, portalUser, postLogin, sessionApi, signIn } from '../helpers/portal.ts';

let server: Service;
let offset = 0;
const clock = { now: () => Date.now() + offset };

before(async () => {
  server = await startService({ clock });
});
after(async () => {
  await server.stop();
});

async function shop(name: string) {
  return createMerchant(
    server.services.db,
    server.services.keyring,
    { name, settings: { returnOrigins: ['https://shop.example'] } },
    settingsContext(server.services.config),
  );
}

describe('login', () => {
  test('a wrong password is refused and the right one opens a session in an HttpOnly, SameSite=Lax cookie', async () => {
    const { merchant } = await shop('Login shop');
    const user = await portalUser(server.services, merchant.id);
    const wrong = await postLogin(server.app, user.email, 'not the password');
    assert.equal(wrong.status, 401);
    assert.equal(cookiesOf(wrong).payee_portal, undefined);
    assert.match(await wrong.text(), /Wrong email or password/);

    const right = await postLogin(server.app, user.email, PASSWORD);
    assert.equal(right.status, 303);
    const line = right.headers.getSetCookie().find((l) => l.startsWith('payee_portal='))!;
    assert.match(line, /HttpOnly/i);
    assert.match(line, /SameSite=Lax/i);
    const page = await server.app.request('/portal/settings/api', {
      headers: { Cookie: `payee_portal=${cookiesOf(right).payee_portal}` },
    });
    assert.equal(page.status, 200);
    assert.match(await page.text(), /<meta name="csrf-token" content="[^"]{20,}"/);
  });

  test('the login form without its CSRF token is refused', async () => {
    const { merchant } = await shop('Login CSRF shop');
    const user = await portalUser(server.services, merchant.id);
    const res = await server.app.request('/portal/login', form({ email: user.email, password: PASSWORD }));
    assert.equal(res.status, 403);
    assert.equal(cookiesOf(res).payee_portal, undefined);
  });

  test('after repeated failures even the right password waits, and works once the wait is over', async () => {
    const { merchant } = await shop('Backoff shop');
    const user = await portalUser(server.services, merchant.id);
    for (let i = 0; i < 5; i++) await postLogin(server.app, user.email, `wrong ${i}`);
    const blocked = await postLogin(server.app, user.email, PASSWORD);
    assert.equal(blocked.status, 429);
    assert.ok(Number(blocked.headers.get('retry-after')) > 0);
    assert.equal(cookiesOf(blocked).payee_portal, undefined);
    offset += 31_000;
    assert.equal((await postLogin(server.app, user.email, PASSWORD)).status, 303);
  });

  test('a session id the browser brought is never kept: login issues a new one and ends the old', async () => {
    const { merchant } = await shop('Fixation shop');
    const user = await portalUser(server.services, merchant.id);
    // A made-up id planted before login.
    const planted = await postLogin(server.app, user.email, PASSWORD, 'payee_portal=planted-by-attacker');
    const issued = cookiesOf(planted).payee_portal!;
    assert.notEqual(issued, 'planted-by-attacker');
    const plantedPage = await server.app.request('/portal/settings/api', {
      headers: { Cookie: 'payee_portal=planted-by-attacker' },
    });
    assert.equal(plantedPage.status, 303);
    // A real session known to an attacker, then a login in the same browser.
    const again = await postLogin(server.app, user.email, PASSWORD, `payee_portal=${issued}`);
    assert.notEqual(cookiesOf(again).payee_portal, issued);
    const old = await server.app.request('/portal/settings/api', { headers: { Cookie: `payee_portal=${issued}` } });
    assert.equal(old.status, 303);
  });

  test('logout ends the session, and an idle session expires', async () => {
    const { merchant } = await shop('Logout shop');
    const user = await portalUser(server.services, merchant.id);
    const a = await signIn(server.app, user.email);
    const out = await server.app.request('/portal/logout', {
      ...form({ csrf_token: a.csrf }),
      headers: { ...form({}).headers, Cookie: a.cookie },
    });
    assert.equal(out.status, 303);
    assert.equal((await server.app.request('/portal/settings/api', { headers: { Cookie: a.cookie } })).status, 303);

    const b = await signIn(server.app, user.email);
    offset += 31 * 60_000;
    assert.equal((await server.app.request('/portal/settings/api', { headers: { Cookie: b.cookie } })).status, 303);
  });
});

describe('CSRF', () => {
  const save = { url: 'https://shop.example/hook', enabled: true, use_signature: true };

  test("webhook_save refuses a missing token, a wrong one and another session's, and takes the right one", async () => {
    const { merchant } = await shop('CSRF shop');
    const user = await portalUser(server.services, merchant.id);
    const mine = await signIn(server.app, user.email);
    const other = await signIn(server.app, (await portalUser(server.services, merchant.id)).email);
    const headers = { Cookie: mine.cookie };

    const missing = await sessionApi(server.app, 'webhook_save', save, headers);
    assert.equal(missing.status, 403);
    assert.deepEqual(missing.body.result, { error: 'PERMISSION_DENIED', message: 'csrf_token is required' });
    const wrong = await sessionApi(server.app, 'webhook_save', { ...save, csrf_token: 'x'.repeat(43) }, headers);
    assert.equal(wrong.status, 403);
    const others = await sessionApi(server.app, 'webhook_save', { ...save, csrf_token: other.csrf }, headers);
    assert.equal(others.status, 403);
    const right = await sessionApi(server.app, 'webhook_save', { ...save, csrf_token: mine.csrf }, headers);
    assert.equal(right.status, 200, JSON.stringify(right.body));
    assert.deepEqual(right.body.webhook, { url: 'https://shop.example/hook', enabled: true, use_signature: true });
  });

  test('a portal form without the token changes nothing', async () => {
    const { merchant } = await shop('Form CSRF shop');
    const user = await portalUser(server.services, merchant.id);
    const mine = await signIn(server.app, user.email);
    const init = form({ name: 'sneaky' });
    const res = await server.app.request('/portal/settings/api/tokens', {
      ...init,
      headers: { ...init.headers, Cookie: mine.cookie },
    });
    assert.equal(res.status, 403);
    const page = await (await server.app.request('/portal/settings/api', { headers: { Cookie: mine.cookie } })).text();
    assert.doesNotMatch(page, /sneaky/);
  });

  test('webhook_save refuses the Bearer API token', async () => {
    const res = await sessionApi(server.app, 'webhook_save', save, { Authorization: `Bearer ${server.token}` });
    assert.equal(res.status, 401);
    assert.equal(res.body.result.error, 'UNAUTHORIZED');
    assert.match(res.body.result.message, /not the API token/);
  });
});

describe('roles and merchants', () => {
  test('a viewer sees the settings but cannot change them', async () => {
    const { merchant } = await shop('Viewer shop');
    const viewer = await signIn(server.app, (await portalUser(server.services, merchant.id, 'viewer')).email);
    const res = await sessionApi(
      server.app,
      'webhook_save',
      { url: 'https://shop.example/hook', enabled: true, use_signature: true, csrf_token: viewer.csrf },
      { Cookie: viewer.cookie },
    );
    assert.equal(res.status, 403);
    assert.equal(res.body.result.error, 'PERMISSION_DENIED');
    const init = form({ name: 'viewer token', csrf_token: viewer.csrf });
    const token = await server.app.request('/portal/settings/api/tokens', {
      ...init,
      headers: { ...init.headers, Cookie: viewer.cookie },
    });
    assert.equal(token.status, 403);
    assert.doesNotMatch(await token.text(), /payee_[A-Za-z0-9_-]{43}/);
  });

  test('a user without a company gets NO_COMPANY', async () => {
    const lone = await signIn(server.app, (await portalUser(server.services, null)).email);
    const res = await sessionApi(
      server.app,
      'webhook_save',
      { url: 'https://shop.example/hook', enabled: true, use_signature: true, csrf_token: lone.csrf },
      { Cookie: lone.cookie },
    );
    assert.equal(res.status, 403);
    assert.equal(res.body.result.error, 'NO_COMPANY');
  });

  test('a user of one merchant sees nothing of another', async () => {
    const a = await shop('Shop A');
    const b = await shop('Shop B');
    const userA = await signIn(server.app, (await portalUser(server.services, a.merchant.id)).email);
    const userB = await signIn(server.app, (await portalUser(server.services, b.merchant.id)).email);
    const createA = form({ name: 'only-for-A', csrf_token: userA.csrf });
    await server.app.request('/portal/settings/api/tokens', {
      ...createA,
      headers: { ...createA.headers, Cookie: userA.cookie },
    });
    const pageB = await (
      await server.app.request('/portal/settings/api', { headers: { Cookie: userB.cookie } })
    ).text();
    assert.doesNotMatch(pageB, /only-for-A/);
    // B cannot revoke A's token by its id.
    const pageA = await (
      await server.app.request('/portal/settings/api', { headers: { Cookie: userA.cookie } })
    ).text();
    const idA = /tokens\/(tok_[0-9a-f]+)\/revoke/.exec(pageA)![1]!;
    const revoke = form({ csrf_token: userB.csrf });
    const res = await server.app.request(`/portal/settings/api/tokens/${idA}/revoke`, {
      ...revoke,
      headers: { ...revoke.headers, Cookie: userB.cookie },
    });
    assert.equal(res.status, 400);
    const after = await server.app.request('/portal/settings/api?lang=en', { headers: { Cookie: userA.cookie } });
    assert.match(await after.text(), /only-for-A<\/td><td>[^<]*<\/td><td>never<\/td><td><form/);
    assert.equal(await csrfOf(server.app, userA.cookie), userA.csrf);
  });
});
