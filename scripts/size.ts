// Size budgets of the recipient page, measured on what the real server sends after a
// build (`npm run build`; `npm test` runs this):
//   first response: the page's HTML (CSS inlined) plus the script it needs to become
//   interactive (the entry and the chunks it imports)        ≤ 14 KB brotli
//   all JavaScript the page can ever load (every script of the build, including the
//   enhancements loaded after the first render)                ≤ 25 KB brotli
// The page measured is the largest one: the recipient chooses between card and SBP, so
// the bank list is in it, in the language whose page is largest. Prints gzip and brotli sizes; exits 1 over budget.
import { request } from 'node:http';
import { readFileSync } from 'node:fs';
import { api, startServer } from '../tests/helpers/server.ts';
import { ENTRY, staticChunks } from '../server/page/assets.ts';
import { LOCALES } from '../src/contract/i18n.ts';

const KB = 1024;
export const FIRST_RESPONSE_BUDGET = 14 * KB;
export const ALL_JS_BUDGET = 25 * KB;

interface ManifestEntry {
  file: string;
  imports?: string[];
}

/** Bytes on the wire for one GET with the given Accept-Encoding. */
function transferred(url: string, encoding: 'br' | 'gzip', headers: Record<string, string> = {}): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = request(url, { headers: { 'accept-encoding': encoding, ...headers } }, (res) => {
      if (res.statusCode !== 200) return reject(new Error(`${url}: HTTP ${res.statusCode}`));
      if (res.headers['content-encoding'] !== encoding) return reject(new Error(`${url}: not sent with ${encoding}`));
      let n = 0;
      res.on('data', (chunk: Buffer) => (n += chunk.length));
      res.on('end', () => resolve(n));
    });
    req.on('error', reject);
    req.end();
  });
}

const fmt = (n: number) => `${(n / KB).toFixed(2)} KB`.padStart(9);

async function main(): Promise<number> {
  const manifest = JSON.parse(readFileSync('dist/.vite/manifest.json', 'utf8')) as Record<string, ManifestEntry>;
  const server = await startServer();
  try {
    const created = await api(server, 'POST', 'createPayout', {
      orderNumber: 'size-budget',
      amount: 150000,
      description: 'Возврат за заказ 1456',
      urls: { returnUrl: `${server.publicUrl}/demo/return`, failUrl: `${server.publicUrl}/demo/return` },
    });
    if (created.status !== 200) throw new Error(`createPayout: ${JSON.stringify(created.body)}`);
    const pageUrl = (created.body.payoutUrl as string).replace(server.publicUrl, server.url);

    const rows: Array<{ what: string; gzip: number; br: number }> = [];
    const measure = async (what: string, url: string, headers?: Record<string, string>) => {
      const row = { what, gzip: await transferred(url, 'gzip', headers), br: await transferred(url, 'br', headers) };
      rows.push(row);
      return row;
    };
    // Every language: the largest page counts.
    const pages = [];
    for (const l of LOCALES) pages.push(await measure(`page HTML (${l})`, pageUrl, { 'accept-language': l }));
    const html = pages.reduce((a, b) => (b.br > a.br ? b : a));

    const urlOf = (key: string) => `${server.url}/${manifest[key]!.file}`;
    // Needed at once: the entry and what it imports. Ever loaded: every script of the build.
    const now = staticChunks(manifest, ENTRY);
    const all = new Set([...now, ...Object.keys(manifest).filter((k) => manifest[k]!.file.endsWith('.js'))]);
    const js = new Map<string, { gzip: number; br: number }>();
    for (const key of all)
      js.set(key, await measure(`${now.has(key) ? 'script' : 'lazy script'} ${manifest[key]!.file}`, urlOf(key)));

    const sum = (keys: Iterable<string>, k: 'gzip' | 'br') => [...keys].reduce((n, key) => n + js.get(key)![k], 0);
    const first = { gzip: html.gzip + sum(now, 'gzip'), br: html.br + sum(now, 'br') };
    const total = { gzip: sum(all, 'gzip'), br: sum(all, 'br') };

    console.log(`${'what'.padEnd(44)} ${'gzip'.padStart(9)} ${'brotli'.padStart(9)}`);
    for (const r of rows) console.log(`${r.what.padEnd(44)} ${fmt(r.gzip)} ${fmt(r.br)}`);
    console.log(
      `${'first response (largest HTML + entry script)'.padEnd(44)} ${fmt(first.gzip)} ${fmt(first.br)}   budget ${fmt(FIRST_RESPONSE_BUDGET)} brotli`,
    );
    console.log(
      `${'all JavaScript'.padEnd(44)} ${fmt(total.gzip)} ${fmt(total.br)}   budget ${fmt(ALL_JS_BUDGET)} brotli`,
    );

    const over = [
      first.br > FIRST_RESPONSE_BUDGET &&
        `first response is ${fmt(first.br)} brotli, over ${fmt(FIRST_RESPONSE_BUDGET)}`,
      total.br > ALL_JS_BUDGET && `all JavaScript is ${fmt(total.br)} brotli, over ${fmt(ALL_JS_BUDGET)}`,
    ].filter(Boolean);
    for (const o of over) console.error(`OVER BUDGET: ${o}`);
    return over.length ? 1 : 0;
  } finally {
    await server.stop();
  }
}

process.exitCode = await main();
