// 4. Merchant settings: exact origins, an https logo placed into the page's CSP safely,
// app schemes checked against a pattern and a deny list.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { settingsContext, validateMerchantSettings } from '../../server/merchants/settings.ts';
import { contentSecurityPolicy } from '../../server/page/headers.ts';
import { apiPost, productionMerchant, startProduction } from './production.ts';

test('a production service refuses loose origins, http logos and dangerous app schemes, naming the setting', async () => {
  const svc = await startProduction();
  try {
    const ctx = settingsContext(svc.services.config);
    const refused: Array<[object, RegExp]> = [
      [{ returnOrigins: ['https://*'] }, /returnOrigins/],
      [{ returnOrigins: ['https://*.shop.example'] }, /returnOrigins/],
      [{ returnOrigins: ['https://shop.example/path'] }, /returnOrigins/],
      [{ returnOrigins: ['https://shop.example/'] }, /returnOrigins/],
      [{ frameAncestors: ["https://shop.example; script-src 'unsafe-inline'"] }, /frameAncestors/],
      [{ frameAncestors: ['https://shop.example https://evil.example'] }, /frameAncestors/],
      [
        { frameAncestors: ['http://localhost:8080'] },
        /frameAncestors: http:\/\/localhost:8080 must be https outside development/,
      ],
      [{ logoUrl: 'http://cdn.example/logo.png' }, /logoUrl: must be https/],
      [{ logoUrl: 'https://cdn.example;script-src/logo.png' }, /logoUrl/],
      [{ logoUrl: 'https://*.cdn.example/logo.png' }, /logoUrl/],
      [{ logoUrl: 'javascript:alert(1)' }, /logoUrl/],
    ];
    for (const scheme of [
      'javascript',
      'data',
      'vbscript',
      'file',
      'intent',
      'view-source',
      'chrome',
      'about',
      'blob',
      'filesystem',
      'http',
      'https',
      'a',
      'my app',
      'My-App',
    ])
      refused.push([{ appSchemes: [scheme] }, /appSchemes/]);
    for (const [settings, message] of refused) {
      const r = validateMerchantSettings(settings, ctx);
      assert.equal(r.ok, false, JSON.stringify(settings));
      if (!r.ok) assert.match(r.reason, message, JSON.stringify(settings));
    }
    const good = validateMerchantSettings(
      {
        returnOrigins: ['https://shop.example', 'https://shop.example:8443'],
        frameAncestors: ['https://shop.example'],
        logoUrl: 'https://cdn.shop.example/logo.png',
        appSchemes: ['myshop', 'com.shop.app'],
      },
      ctx,
    );
    assert.equal(good.ok, true, good.ok ? '' : good.reason);
  } finally {
    await svc.stop();
  }
});

test("the page's CSP names the logo's origin alone, and nothing stored can add a directive", async () => {
  const svc = await startProduction();
  try {
    const m = await productionMerchant(svc, { logoUrl: 'https://cdn.shop.example/a/logo.png?v=1' });
    const r = await apiPost(svc, m.token, 'createPayout', {
      orderNumber: 'CSP-1',
      amount: 1000,
      urls: { returnUrl: 'https://shop.example/ok' },
    });
    const res = await fetch(`${svc.url}${new URL(r.body.payoutUrl).pathname}`);
    await res.arrayBuffer();
    const csp = res.headers.get('content-security-policy') ?? '';
    assert.match(csp, /img-src 'self' data: https:\/\/cdn\.shop\.example;/);
  } finally {
    await svc.stop();
  }
  const csp = contentSecurityPolicy({
    nonce: 'n',
    imageOrigins: ["https://a.example; script-src 'unsafe-inline'", 'https://*', 'https://ok.example'],
    frameAncestors: ['https://x.example https://evil.example'],
  });
  assert.ok(!csp.includes('unsafe-inline') && !csp.includes('*') && !csp.includes('evil'), csp);
  assert.match(csp, /img-src 'self' data: https:\/\/ok\.example;/);
  assert.match(csp, /frame-ancestors 'none'/);
});
