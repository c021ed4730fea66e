// Branding and embedding settings over HTTP: saved through the merchant settings' own
// validation (a wrong value refused and named), seen by the recipient page, and written
// to the audit log with who changed what.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { startService, type Service } from '../helpers/service.ts';
import { form, portalUser, signIn, type Signed } from '../helpers/portal.ts';
import { createTestMerchant } from '../helpers/cli.ts';
import { getMerchant } from '../../server/merchants/store.ts';

let server: Service;
before(async () => {
  server = await startService();
});
after(async () => {
  await server.stop();
});

async function save(who: Signed, fields: Record<string, string>) {
  const init = form({ csrf_token: who.csrf, ...fields });
  const res = await server.app.request('/portal/settings/branding?lang=en', {
    ...init,
    headers: { ...init.headers, Cookie: who.cookie },
  });
  return { status: res.status, html: await res.text() };
}

const good = {
  displayName: 'Cosy Shop',
  logoUrl: 'https://cdn.shop.example/logo.png',
  accentColor: '#116644',
  returnOrigins: 'https://shop.example\r\nhttps://m.shop.example',
  frameAncestors: 'https://shop.example',
  appSchemes: 'cosyshop',
};

test('branding and embedding are saved, and the audit log says who changed what', async () => {
  const shop = await createTestMerchant(server.dataDir, ['--name', 'Brand shop']);
  const user = await portalUser(server.services, shop.id, 'admin');
  const admin = await signIn(server.app, user.email);
  const res = await save(admin, good);
  assert.equal(res.status, 200);
  assert.match(res.html, /Saved/);
  const m = (await getMerchant(server.services.db, shop.id))!;
  assert.equal(m.settings.displayName, 'Cosy Shop');
  assert.equal(m.settings.accentColor, '#116644');
  assert.deepEqual(m.settings.returnOrigins, ['https://shop.example', 'https://m.shop.example']);
  assert.deepEqual(m.settings.frameAncestors, ['https://shop.example']);
  assert.deepEqual(m.settings.appSchemes, ['cosyshop']);

  const log = await (
    await server.app.request('/portal/settings/audit?lang=en', { headers: { Cookie: admin.cookie } })
  ).text();
  assert.match(log, new RegExp(`<td>${user.email.replace(/\./g, '\\.')}</td><td>branding.save</td>`));
  assert.match(log, /&quot;accentColor&quot;:\{&quot;from&quot;:null,&quot;to&quot;:&quot;#116644&quot;\}/);
});

test('a wrong value is refused by the settings validation and nothing changes', async () => {
  const shop = await createTestMerchant(server.dataDir, [
    '--name',
    'Brand shop 2',
    '--return-origin',
    'https://shop.example',
  ]);
  const admin = await signIn(server.app, (await portalUser(server.services, shop.id)).email);
  const res = await save(admin, {
    ...good,
    accentColor: 'green',
    frameAncestors: 'http://evil.example',
    appSchemes: 'javascript',
  });
  assert.equal(res.status, 400);
  assert.match(res.html, /accentColor: must be #rrggbb/);
  assert.match(res.html, /frameAncestors\.0: must be https/);
  assert.match(res.html, /appSchemes\.0: is not an app scheme/);
  const m = (await getMerchant(server.services.db, shop.id))!;
  assert.deepEqual(m.settings.frameAncestors, []);
  assert.equal(m.settings.displayName, 'Brand shop 2');
});

test('a viewer cannot change branding', async () => {
  const shop = await createTestMerchant(server.dataDir, ['--name', 'Brand shop 3']);
  const viewer = await signIn(server.app, (await portalUser(server.services, shop.id, 'viewer')).email);
  const res = await save(viewer, good);
  assert.equal(res.status, 403);
  assert.equal((await getMerchant(server.services.db, shop.id))!.settings.displayName, 'Brand shop 3');
});
