// Spliced bodies decode, with every zlib decoder, to exactly the plain text with the values in.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import { cut, fill, splice } from './spliced.ts';

/** Text that repeats itself around the holes, so the encoders refer back across them. */
function page(nonce: string, now: string): string {
  const row = (i: number) => `<option value="0445${String(i).padStart(8, '0')}">Банк ${i} — Bank ${i}</option>`;
  return (
    `<!doctype html><html lang="ru"><head><style nonce="${nonce}">:root{--accent:#2f6fde}</style>` +
    `<script type="module" src="/assets/widget.js" nonce="${nonce}"></script></head><body><select>` +
    Array.from({ length: 200 }, (_, i) => row(i)).join('') +
    `</select><script type="application/json" id="page-data" nonce="${nonce}">{"now":${now},"x":"nonce=${'"'}"}</script>` +
    `</body></html>`
  );
}

const nonce = () => randomBytes(16).toString('base64');

test('a brotli and a gzip body with new values decode to the page rendered with those values', async () => {
  const made = { nonce: nonce(), now: String(Date.now()) };
  const { template, slots, fillers } = cut(page(made.nonce, made.now), [
    { value: made.nonce },
    { value: made.now, before: '"now":' },
  ])!;
  // The data's nonce and the time are a few bytes apart: one hole.
  assert.deepEqual(slots, [[0], [0], [0, '">{"now":', 1]]);
  const br = (await splice(template, 'br'))!;
  const gz = (await splice(template, 'gzip'))!;
  const plain = (await splice(template, 'identity'))!;
  assert.ok(br && gz && plain);
  for (let i = 0; i < 200; i++) {
    const v = { nonce: nonce(), now: String(Date.now() + i * 7919) };
    const values = fillers([v.nonce, v.now]);
    const expected = page(v.nonce, v.now);
    assert.equal(brotliDecompressSync(fill(br, values)!).toString(), expected);
    assert.equal(gunzipSync(fill(gz, values)!).toString(), expected);
    assert.equal(fill(plain, values)!.toString(), expected);
  }
});

test('gzip takes values of any length; brotli refuses a value whose length differs from its hole', async () => {
  const { template } = cut('<p>Осталось 9:59, до 10:00</p>', [{ value: '9:59', before: 'Осталось ' }])!;
  const gz = (await splice(template, 'gzip'))!;
  assert.equal(gunzipSync(fill(gz, [Buffer.from('1:00:00')])!).toString(), '<p>Осталось 1:00:00, до 10:00</p>');
  const br = (await splice(template, 'br'))!;
  assert.equal(brotliDecompressSync(fill(br, [Buffer.from('8:01')])!).toString(), '<p>Осталось 8:01, до 10:00</p>');
  assert.equal(fill(br, [Buffer.from('10:00')]), undefined);
});

test('a value that never occurs in the text makes no template', () => {
  assert.equal(cut('<p>hello</p>', [{ value: 'nonce' }]), null);
});

test('text holding control bytes is not spliced with brotli (its placeholders could occur in it)', async () => {
  const { template } = cut('a\u0001b NONCE c', [{ value: 'NONCE' }])!;
  assert.equal(await splice(template, 'br'), null);
  assert.ok(await splice(template, 'gzip'));
});
