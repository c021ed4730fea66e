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
