// Embedding on the server: who may frame the page, the loader's URLs and caching, and
// app-scheme return URLs for payouts opened in a mobile WebView.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { brotliDecompressSync } from 'node:zlib';
import * as v from 'valibot';
import { api } from '../helpers/server.ts';
import { startService, type Service } from '../helpers/service.ts';
import { seedMerchant } from '../helpers/engine.ts';
import { describeLoader, readLoader, readPublished } from '../../server/embed/loader-file.ts';
import { embedRoutes } from '../../server/embed/routes.ts';
import { MerchantSettingsSchema } from '../../server/merchants/settings.ts';

describe('frame ancestors in merchant settings', () => {
  test('origins are exactly scheme://host[:port]: anything more is refused, not trimmed', () => {
    const ok = v.parse(MerchantSettingsSchema, {
      frameAncestors: ['https://shop.example', 'https://shop.example:8443'],
    });
    assert.deepEqual(ok.frameAncestors, ['https://shop.example', 'https://shop.example:8443']);
    for (const bad of [
      'https://shop.example/checkout?x=1',
      'https://shop.example/',
      'http://shop.example',
      'shop.example',
      "https://a.example 'unsafe-inline'",
      'https://a.example;script-src',
      'https://*.example',
      '*',
    ]) {
      const r = v.safeParse(MerchantSettingsSchema, { frameAncestors: [bad] });
      assert.equal(r.success, false, `${bad} was accepted`);
    }
  });
});

describe('published loaders', () => {
  // A page that pinned an older loader by integrity keeps getting those exact bytes after the
  // loader changes; /embed/v1.js moves on to the current one.
  const older = describeLoader(Buffer.from('window.Payee={version:"older"};'));
  const current = describeLoader(Buffer.from('window.Payee={version:"current"};'));
  const dir = mkdtempSync(join(tmpdir(), 'payee-published-'));
  writeFileSync(join(dir, older.hashedName), older.body);
  // Bytes that do not match their name are never served as that name.
  writeFileSync(join(dir, current.hashedName.replace(/[0-9a-f]{12}/, '0123456789ab')), current.body);
  const app = embedRoutes(
    () => current,
    () => readPublished(dir),
  );
  const get = async (file: string) => {
    const res = await app.request(`/${file}`);
    return { status: res.status, cache: res.headers.get('cache-control'), body: Buffer.from(await res.arrayBuffer()) };
  };

  test('an older published loader is served, immutable, byte for byte', async () => {
    const res = await get(older.hashedName);
    assert.equal(res.status, 200);
    assert.equal(res.cache, 'public, max-age=31536000, immutable');
    assert.deepEqual(res.body, older.body);
  });

  test('the current build is served under its own hash and as v1.js', async () => {
    assert.deepEqual((await get(current.hashedName)).body, current.body);
    const latest = await get('v1.js');
    assert.deepEqual(latest.body, current.body);
    assert.equal(latest.cache, 'public, max-age=300');
  });

  test('a file whose bytes do not match its name is not served', async () => {
    assert.equal((await get('v1.0123456789ab.js')).status, 404);
  });
});

describe('over HTTP', () => {
  let server: Service;
  before(async () => {
    server = await startService();
  });
  after(async () => {
    await server.stop();
  });

  describe('the loader', () => {
    const loader = readLoader();

    test('is built', () => {
      assert.ok(loader, 'dist-embed/v1.js is missing: run npm run build');
    });

    test('/embed/v1.js serves the current loader, cached briefly, loadable cross-origin', async () => {
      const res = await fetch(`${server.url}/embed/v1.js`, { headers: { 'Accept-Encoding': 'identity' } });
      assert.equal(res.status, 200);
      assert.match(res.headers.get('content-type')!, /^text\/javascript/);
      assert.equal(res.headers.get('cache-control'), 'public, max-age=300');
      assert.equal(res.headers.get('access-control-allow-origin'), '*');
      assert.equal(res.headers.get('x-content-type-options'), 'nosniff');
      assert.deepEqual(Buffer.from(await res.arrayBuffer()), loader!.body);
    });

    test('the content-hashed URL is immutable and its bytes match the published integrity', async () => {
      const res = await fetch(`${server.url}/embed/${loader!.hashedName}`, {
        headers: { 'Accept-Encoding': 'identity' },
      });
      assert.equal(res.status, 200);
      assert.equal(res.headers.get('cache-control'), 'public, max-age=31536000, immutable');
      const body = Buffer.from(await res.arrayBuffer());
      assert.equal(`sha384-${createHash('sha384').update(body).digest('base64')}`, loader!.integrity);
    });

    test('is sent brotli-compressed to browsers that accept it', async () => {
      const { request } = await import('node:http');
      const raw = await new Promise<{ encoding?: string; body: Buffer }>((resolve, reject) => {
        request(`${server.url}/embed/v1.js`, { headers: { 'Accept-Encoding': 'gzip, deflate, br' } }, (res) => {
          const parts: Buffer[] = [];
          res.on('data', (d: Buffer) => parts.push(d));
          res.on('end', () => resolve({ encoding: res.headers['content-encoding'], body: Buffer.concat(parts) }));
        })
          .on('error', reject)
          .end();
      });
      assert.equal(raw.encoding, 'br');
      assert.deepEqual(brotliDecompressSync(raw.body), loader!.body);
    });

    test('every published loader is served under its hashed URL, the current build among them', async () => {
      const published = readPublished();
      assert.ok(published.has(loader!.hashedName), 'the current build is not in server/embed/published/');
      for (const [name, kept] of published) {
        const res = await fetch(`${server.url}/embed/${name}`, { headers: { 'Accept-Encoding': 'identity' } });
        assert.equal(res.status, 200, name);
        assert.equal(res.headers.get('cache-control'), 'public, max-age=31536000, immutable');
        assert.deepEqual(Buffer.from(await res.arrayBuffer()), kept.body, name);
      }
    });

    test('an unknown version or hash is not found', async () => {
      for (const path of ['/embed/v2.js', '/embed/v1.000000000000.js', '/embed/loader.ts']) {
        const res = await fetch(`${server.url}${path}`);
        assert.equal(res.status, 404, path);
      }
    });
  });

  describe('the hosted page', () => {
    let shop: { url: string; token: string };
    /** A merchant that listed no frame ancestors. */
    let plain: { url: string; token: string };
    let n = 0;
    before(async () => {
      const m = await seedMerchant(server.dataDir, {
        returnOrigins: ['https://shop.example'],
        frameAncestors: ['https://shop.example', 'https://m.shop.example'],
      });
      shop = { url: server.url, token: m.token };
      plain = {
        url: server.url,
        token: (await seedMerchant(server.dataDir, { returnOrigins: ['https://shop.example'] })).token,
      };
    });
    const newPage = async (as: { url: string; token: string }) => {
      const res = await api(as, 'POST', 'createPayout', {
        orderNumber: `FRAME_${process.pid}_${++n}`,
        amount: 10000,
        type: 'card',
        urls: { returnUrl: as === server ? `${server.publicUrl}/demo/return` : 'https://shop.example/done' },
      });
      assert.equal(res.body.result.error, '0', JSON.stringify(res.body));
      return {
        url: (res.body.payoutUrl as string).replace(server.publicUrl, server.url),
        orderNumber: res.body.orderNumber as string,
      };
    };
    const pageData = (html: string) =>
      JSON.parse(/<script type="application\/json" id="page-data"[^>]*>(.*?)<\/script>/s.exec(html)![1]!);

    test("may be framed only by the merchant's listed origins", async () => {
      const listed = await fetch((await newPage(shop)).url);
      assert.match(
        listed.headers.get('content-security-policy')!,
        /frame-ancestors https:\/\/shop\.example https:\/\/m\.shop\.example(;|$)/,
      );
      assert.equal(listed.headers.get('x-frame-options'), null);
      const unlisted = await fetch((await newPage(plain)).url);
      assert.match(unlisted.headers.get('content-security-policy')!, /frame-ancestors 'none'/);
      assert.equal(unlisted.headers.get('x-frame-options'), 'DENY');
    });

    test('is compact when framed (?embed=1 or Sec-Fetch-Dest: iframe) and carries what the bridge needs, and no secret', async () => {
      const { url, orderNumber } = await newPage(shop);
      const plain = await (await fetch(url)).text();
      assert.doesNotMatch(plain, /<html[^>]*class="embedded"/);
      for (const framed of [fetch(`${url}?embed=1`), fetch(url, { headers: { 'Sec-Fetch-Dest': 'iframe' } })]) {
        const html = await (await framed).text();
        assert.match(html, /<html[^>]*class="embedded"/);
        assert.deepEqual(pageData(html).embed, {
          frameAncestors: ['https://shop.example', 'https://m.shop.example'],
          orderNumber,
          compact: true,
          submitted: null,
        });
      }
    });

    test('framed and without a script, the finished page does not load returnUrl itself: a link opens it in the top window', async () => {
      const { url } = await newPage(shop);
      const post = await fetch(`${url}?embed=1`, {
        method: 'POST',
        headers: {
          'content-type': 'application/x-www-form-urlencoded',
          'sec-fetch-site': 'same-origin',
          'sec-fetch-dest': 'iframe',
        },
        body: 'type=card&pan=4111111111111111',
        redirect: 'manual',
      });
      assert.equal(post.status, 303);
      let html = '';
      for (let i = 0; i < 100 && !/https:\/\/shop\.example\/done\?/.test(html); i++) {
        html = await (await fetch(`${url}?embed=1`, { headers: { 'Sec-Fetch-Dest': 'iframe' } })).text();
        if (!/shop\.example\/done/.test(html)) await new Promise((r) => setTimeout(r, 100));
      }
      assert.equal(pageData(html).embed.submitted, 'card');
      assert.match(
        html,
        /<a [^>]*href="https:\/\/shop\.example\/done\?orderNumber=[^"]+"[^>]*target="_top"|<a [^>]*target="_top"[^>]*href="https:\/\/shop\.example\/done\?/,
      );
      assert.doesNotMatch(html, /http-equiv="refresh"[^>]*url=/);
      // The same page opened as a top-level page (not framed) does go back by itself.
      const top = await (await fetch(url)).text();
      assert.match(top, /http-equiv="refresh" content="5;url=https:\/\/shop\.example\/done\?/);
    });
  });

  describe('app-scheme return URLs', () => {
    let n = 0;
    const payout = (urls: object) => ({
      orderNumber: `EMBED_${process.pid}_${++n}`,
      amount: 10000,
      type: 'card',
      urls,
    });

    test('are accepted for returnUrl and failUrl only with a listed scheme', async () => {
      const m = await seedMerchant(server.dataDir, { appSchemes: ['myapp'], returnOrigins: ['https://shop.example'] });
      const as = { url: server.url, token: m.token };

      const listed = await api(
        as,
        'POST',
        'createPayout',
        payout({ returnUrl: 'myapp://payout/done', failUrl: 'myapp://payout/failed?x=1' }),
      );
      assert.equal(listed.body.result.error, '0', JSON.stringify(listed.body));

      const otherScheme = await api(
        as,
        'POST',
        'createPayout',
        payout({ returnUrl: 'https://shop.example/done', failUrl: 'otherapp://payout/failed' }),
      );
      assert.equal(otherScheme.body.result.error, 'VALIDATION_ERROR');
      assert.match(otherScheme.body.result.message, /urls\.failUrl scheme otherapp: is not allowed/);

      // Schemes are case-insensitive: MYAPP is the listed myapp.
      const upper = await api(as, 'POST', 'createPayout', payout({ returnUrl: 'MYAPP://payout/done' }));
      assert.equal(upper.body.result.error, '0', JSON.stringify(upper.body));
    });

    test('are refused for a merchant that listed no scheme', async () => {
      const m = await seedMerchant(server.dataDir, { returnOrigins: ['https://shop.example'] });
      const res = await api(
        { url: server.url, token: m.token },
        'POST',
        'createPayout',
        payout({ returnUrl: 'https://shop.example/ok', failUrl: 'myapp://payout/failed' }),
      );
      assert.equal(res.body.result.error, 'VALIDATION_ERROR');
      assert.match(res.body.result.message, /urls\.failUrl scheme myapp: is not allowed/);
    });

    test('a script scheme can never be listed', () => {
      for (const scheme of ['javascript', 'data', 'vbscript', 'http']) {
        assert.equal(v.safeParse(MerchantSettingsSchema, { appSchemes: [scheme] }).success, false, scheme);
      }
    });
  });
});
