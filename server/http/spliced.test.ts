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

test("every encoding refuses a value whose byte length differs from its hole's", async () => {
  const { template } = cut('<p>Осталось 9:59, до 10:00</p>', [{ value: '9:59', before: 'Осталось ' }])!;
  const gz = (await splice(template, 'gzip'))!;
  assert.equal(gunzipSync(fill(gz, ['8:01'])!).toString(), '<p>Осталось 8:01, до 10:00</p>');
  const br = (await splice(template, 'br'))!;
  assert.equal(brotliDecompressSync(fill(br, ['8:01'])!).toString(), '<p>Осталось 8:01, до 10:00</p>');
  const plain = (await splice(template, 'identity'))!;
  assert.equal(fill(plain, ['8:01'])!.toString(), '<p>Осталось 8:01, до 10:00</p>');
  for (const s of [gz, br, plain]) {
    assert.equal(fill(s, ['10:00']), undefined);
    assert.equal(fill(s, ['9:5']), undefined);
    // Same length in characters, not in bytes.
    assert.equal(fill(s, ['9:5й']), undefined);
  }
});

test('an answer is a copy: filling one leaves the layout and earlier answers as they were', async () => {
  const { template } = cut('<p>nonce=AAAA</p>', [{ value: 'AAAA' }])!;
  for (const encoding of ['br', 'gzip', 'identity'] as const) {
    const s = (await splice(template, encoding))!;
    const first = fill(s, ['BBBB'])!;
    const second = fill(s, ['CCCC'])!;
    const decode = (b: Buffer) =>
      encoding === 'br' ? brotliDecompressSync(b) : encoding === 'gzip' ? gunzipSync(b) : b;
    assert.equal(decode(first).toString(), '<p>nonce=BBBB</p>');
    assert.equal(decode(second).toString(), '<p>nonce=CCCC</p>');
  }
});

test('a value that never occurs in the text makes no template', () => {
  assert.equal(cut('<p>hello</p>', [{ value: 'nonce' }]), null);
});

test('text holding control bytes is not spliced with brotli (its placeholders could occur in it)', async () => {
  const { template } = cut('a\u0001b NONCE c', [{ value: 'NONCE' }])!;
  assert.equal(await splice(template, 'br'), null);
  assert.ok(await splice(template, 'gzip'));
});
