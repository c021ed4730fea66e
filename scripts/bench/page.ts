// The recipient page, GET /pay/<token>, with brotli (what every browser asks for) and
// without compression. Payee: the real server as a child process on a SQLite file, the
// load spread over many links of the demo merchant (each a card-or-SBP payout, the largest
// page). Raw: node:http answering the same page's bytes and headers, compressed beforehand.
import { spawn } from 'node:child_process';
import { request } from 'node:http';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { once } from 'node:events';
import { api, startServer } from '../../tests/helpers/server.ts';
import type { Load, Suite } from './kit.ts';

const LINKS = 50;
/** Headers the transport sets per connection or per answer, not part of the page. */
const TRANSPORT = new Set(['date', 'connection', 'keep-alive', 'transfer-encoding']);

async function fetchPage(url: string, encoding: 'br' | 'identity') {
  const res = await fetch(url, { headers: { 'accept-encoding': encoding } });
  if (res.status !== 200) throw new Error(`${url}: HTTP ${res.status}`);
  if ((res.headers.get('content-encoding') ?? 'identity') !== encoding) throw new Error(`${url}: not ${encoding}`);
  // fetch decodes the body: ask node:http for the bytes as sent.
  const wire = await new Promise<Buffer>((resolve, reject) => {
    request(url, { headers: { 'accept-encoding': encoding } }, (r) => {
      const chunks: Buffer[] = [];
      r.on('data', (c: Buffer) => chunks.push(c)).on('end', () => resolve(Buffer.concat(chunks)));
    })
      .on('error', reject)
      .end();
  });
  const headers = Object.fromEntries([...res.headers].filter(([name]) => !TRANSPORT.has(name)));
  return { headers: { ...headers, 'content-length': String(wire.length) }, body: wire };
}

/** A load whose one check is that the answer is a page in the given encoding. */
function pageLoad(url: string, pid: number, paths: string[], encoding: 'br' | 'identity'): Load {
  const headers = { 'accept-encoding': encoding, 'accept-language': 'ru-RU,ru;q=0.9' };
  return {
    url,
    pid,
    requests: paths.map((path) => ({ method: 'GET' as const, path, headers })),
    check: async () => {
      const res = await fetch(url + paths[0], { headers });
      const got = res.headers.get('content-encoding') ?? 'identity';
      if (res.status !== 200 || got !== encoding || !(await res.text()).includes('<form'))
        throw new Error(`${url}${paths[0]}: HTTP ${res.status}, ${got}: not the page`);
    },
  };
}

/**
 * Every request a link not opened before (a campaign's links sent at once), until they run
 * out: then the row is reported as broken (the answers are no longer first ones).
 */
function firstVisits(url: string, pid: number, paths: string[]): Load {
  let next = 0;
  const headers = { 'accept-encoding': 'br', 'accept-language': 'ru-RU,ru;q=0.9' };
  return {
    url,
    pid,
    requests: [
      {
        method: 'GET',
        headers,
        setupRequest: (req) => ({ ...req, path: paths[next++] ?? '/pay/links-ran-out' }),
      },
    ],
  };
}

/** With `campaign` links, a row for first answers too. */
export const pageSuite = (campaign = 0): Suite => ({
  name: 'recipient page',
  async start({ pinServer }) {
    const payee = await startServer({ env: { PAYEE_DEMO: '1', PAYEE_API_RATE: '999999' } });
    let raw: ReturnType<typeof spawn> | undefined;
    try {
      pinServer(payee.child.pid!);
      let made = 0;
      const newLinks = async (count: number) => {
        const out: string[] = [];
        for (let i = 0; i < count; i++) {
          const created = await api(payee, 'POST', 'createPayout', {
            orderNumber: `bench-page-${process.pid}-${++made}`,
            amount: 150000 + made,
            description: 'Возврат за заказ 1456',
            urls: { returnUrl: `${payee.publicUrl}/demo/return` },
          });
          if (created.status !== 200) throw new Error(`createPayout: ${JSON.stringify(created.body)}`);
          out.push(new URL(created.body.payoutUrl as string).pathname);
        }
        return out;
      };
      const paths = await newLinks(LINKS);
      // Opened once already (the pages kept): the rows below measure the answers after the first.
      for (const path of paths)
        for (const encoding of ['br', 'identity'] as const) await fetchPage(payee.url + path, encoding);
      const fresh = campaign ? await newLinks(campaign) : [];
      const page = `${payee.url}${paths[0]}`;
      const canned = {
        '/page.br': await fetchPage(page, 'br'),
        '/page': await fetchPage(page, 'identity'),
      };
      const file = join(payee.dataDir, 'raw-responses.json');
      writeFileSync(
        file,
        JSON.stringify(
          Object.fromEntries(
            Object.entries(canned).map(([p, c]) => [p, { headers: c.headers, body: c.body.toString('base64') }]),
          ),
        ),
      );
      raw = spawn(process.execPath, ['--import', 'tsx', join(import.meta.dirname, 'raw-server.ts'), file], {
        stdio: ['ignore', 'pipe', 'inherit'],
      });
      const [line] = (await once(raw.stdout!, 'data')) as [Buffer];
      const rawUrl = (JSON.parse(line.toString()) as { url: string }).url;
      pinServer(raw.pid!);
      const kb = (n: number) => `${(n / 1024).toFixed(1)} KB`;
      return {
        rows: [
          {
            name: 'GET /pay/<token>, Accept-Encoding: br',
            payee: pageLoad(payee.url, payee.child.pid!, paths, 'br'),
            raw: pageLoad(rawUrl, raw.pid!, ['/page.br'], 'br'),
            rawIs: `node:http sending the same page, brotli beforehand (${kb(canned['/page.br'].body.length)})`,
          },
          {
            name: 'GET /pay/<token>, no compression',
            payee: pageLoad(payee.url, payee.child.pid!, paths, 'identity'),
            raw: pageLoad(rawUrl, raw.pid!, ['/page'], 'identity'),
            rawIs: `node:http sending the same page (${kb(canned['/page'].body.length)})`,
          },
          ...(campaign
            ? [
                {
                  name: `GET /pay/<token>, br, each link's first answer (${campaign} links)`,
                  payee: firstVisits(payee.url, payee.child.pid!, fresh),
                  raw: pageLoad(rawUrl, raw.pid!, ['/page.br'], 'br'),
                  rawIs: 'the same as with br',
                  once: true,
                },
              ]
            : []),
        ],
        async stop() {
          raw?.kill('SIGTERM');
          await payee.stop();
        },
      };
    } catch (err) {
      raw?.kill('SIGTERM');
      await payee.stop();
      throw err;
    }
  },
});
