// The page's server-side rules: where the recipient goes back to, how long the page waits
// for the outcome, the security headers and the accent colour's contrast.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { returnTo, waitUntil } from './view.ts';
import { contentSecurityPolicy, pageHeaders } from './headers.ts';
import { accentCss, contrast } from './theme.ts';

test('the way back carries orderNumber and status, replacing any of the same name, keeping the rest', () => {
  assert.equal(
    returnTo('https://shop.example/back?x=1', { order_number: 'A 1&2' }, 'success'),
    'https://shop.example/back?x=1&orderNumber=A+1%262&status=success',
  );
  assert.equal(
    returnTo('https://shop.example/back?status=old', { order_number: 'o' }, 'failed'),
    'https://shop.example/back?status=failed&orderNumber=o',
  );
  assert.equal(
    returnTo('myapp://payout/done', { order_number: 'o' }, 'processing'),
    'myapp://payout/done?orderNumber=o&status=processing',
  );
});

test('the wait for the outcome: a minute after the submit, cut at the session end, never under ten seconds', () => {
  const at = 1_000_000;
  // The numbers the page promises (README), not the implementation's constants.
  assert.equal(waitUntil(at, at + 600_000), at + 60_000);
  assert.equal(waitUntil(at, at + 30_000), at + 30_000);
  assert.equal(waitUntil(at, at + 1_000), at + 10_000);
});

test('the CSP: nonce only, nothing inline or evaluated, framing per the given ancestors', () => {
  const csp = contentSecurityPolicy({ nonce: 'abc' });
  assert.equal(
    csp,
    "default-src 'none'; script-src 'self' 'nonce-abc'; style-src 'self' 'nonce-abc'; img-src 'self' data:; connect-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'",
  );
  assert.match(
    contentSecurityPolicy({
      nonce: 'n',
      frameAncestors: ['https://shop.example'],
      imageOrigins: ['https://cdn.shop.example'],
    }),
    /img-src 'self' data: https:\/\/cdn\.shop\.example; .*frame-ancestors https:\/\/shop\.example$/,
  );
  const headers = pageHeaders({ nonce: 'n' });
  assert.equal(headers['Referrer-Policy'], 'no-referrer');
  assert.equal(headers['Cache-Control'], 'no-store');
  assert.equal(headers['X-Content-Type-Options'], 'nosniff');
  assert.equal(headers['X-Frame-Options'], 'DENY');
  assert.equal(pageHeaders({ nonce: 'n', frameAncestors: ['https://shop.example'] })['X-Frame-Options'], undefined);
});

test('text on the accent colour always reaches 4.5:1', () => {
  for (const accent of ['#2f6fde', '#ffd400', '#000000', '#ffffff', '#777777', '#e21836', '#00ff00']) {
    const css = accentCss(accent);
    const on = /--on-accent:(#[0-9a-f]+)/.exec(css)![1]!;
    const full = on.length === 4 ? `#${on[1]!.repeat(2)}${on[2]!.repeat(2)}${on[3]!.repeat(2)}` : on;
    assert.ok(contrast(accent, full) >= 4.5, `${accent} with ${on}`);
  }
  assert.match(accentCss('red; } body { display:none'), /--accent:#2f6fde/);
});
