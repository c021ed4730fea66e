// Kept pages under concurrent answers: when the time left gets shorter (10:00 → 9:59), the
// page is kept anew once, not once per answer in flight.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { brotliDecompressSync } from 'node:zlib';
import type { PageData } from '../../src/contract/page.ts';
import { PageCache, clockText, secondsLeft, type PageRender } from './page-cache.ts';
import { newNonce } from './headers.ts';

const EXPIRES_AT = 1_800_000_000_000;
let renders = 0;

/** A page whose text repeats around its holes, as the real one does. */
function answerAt(now: number): PageRender {
  const nonce = newNonce();
  const left = clockText(secondsLeft(EXPIRES_AT, now));
  const rows = Array.from({ length: 100 }, (_, i) => `<option value="${i}">Банк ${i}</option>`).join('');
  const data = {
    now,
    view: { kind: 'form', methods: [], expiresAt: EXPIRES_AT },
    self: '/pay/x',
  } as unknown as PageData;
  return {
    data,
    nonce,
    options: { status: 200 },
    render: () => {
      renders++;
      return (
        `<html><style nonce="${nonce}">p{}</style><p>Осталось <span class="num">${left}</span></p>` +
        `<select>${rows}</select><script nonce="${nonce}">{"now":${now},"v":1}</script></html>`
      );
    },
  };
}

test('answers in flight when the time left gets shorter keep the page anew once, each with its own values', async () => {
  const pages = new PageCache();
  const tenMinutes = EXPIRES_AT - 600_000;
  await pages.body(answerAt(tenMinutes), 'br');
  await pages.body(answerAt(tenMinutes), 'br');
  renders = 0;
  const answers = Array.from({ length: 20 }, (_, i) => answerAt(tenMinutes + 1000 + i));
  const bodies = await Promise.all(answers.map((a) => pages.body(a, 'br')));
  assert.equal(renders, 1);
  for (const [i, body] of bodies.entries()) {
    const html = brotliDecompressSync(body).toString();
    assert.equal(html, answers[i]!.render());
    assert.ok(html.includes('<span class="num">9:59</span>') && html.includes(`"now":${answers[i]!.data.now},`));
  }
});

/** A page rendered from `data` and `options`, its HTML naming both. */
function pageOf(data: Record<string, unknown>, options: PageRender['options'] = { status: 200 }): PageRender {
  const nonce = newNonce();
  const full = { now: 1_000, self: '/pay/y', view: { kind: 'done' }, ...data } as unknown as PageData;
  return {
    data: full,
    nonce,
    options,
    render: () => {
      renders++;
      const shown = JSON.stringify([options, { ...full, now: undefined }]);
      return `<html><script nonce="${nonce}">{"now":${full.now}}</script><p>${shown}</p></html>`;
    },
  };
}

test('a page differing in any value but the time is rendered anew; the same one, at another time, is not', async () => {
  const pages = new PageCache();
  const base = {
    amount: '1 500,00 ₽',
    view: { kind: 'done', outcome: 'success', leave: { url: 'https://a/', to: 'A' } },
  };
  await pages.body(pageOf(base), 'identity');
  renders = 0;
  await pages.body(pageOf({ ...base, now: 5_000 }), 'identity');
  assert.equal(renders, 0);
  const changes = [
    { ...base, amount: '1 500,01 ₽' },
    { ...base, view: { ...base.view, leave: { url: 'https://b/', to: 'A' } } },
    { ...base, view: { ...base.view, leave: null } },
    { ...base, extra: undefined },
  ];
  for (const data of changes) {
    const answer = pageOf(data);
    const body = await pages.body(answer, 'identity');
    assert.equal(body.toString(), answer.render());
  }
  // Each change once (its own page), and its check above once more.
  assert.equal(renders, changes.length * 2);
  renders = 0;
  const other = pageOf(base, { status: 200, accentColor: '#000000' });
  assert.equal((await pages.body(other, 'identity')).toString(), other.render());
  assert.equal(renders, 2);
});

test('pages beyond the budget go, the least recently used first', async () => {
  const pages = new PageCache(5000);
  for (const self of ['/pay/a', '/pay/b', '/pay/c', '/pay/d']) await pages.body(pageOf({ self }), 'identity');
  assert.ok(pages.size < 4, `${pages.size} pages kept in a budget for fewer`);
  renders = 0;
  await pages.body(pageOf({ self: '/pay/d' }), 'identity');
  assert.equal(renders, 0, 'the most recent page is kept');
  await pages.body(pageOf({ self: '/pay/a' }), 'identity');
  assert.equal(renders, 1, 'the oldest page went first');
});
