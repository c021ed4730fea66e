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

export const pageSuite: Suite = {
  name: 'recipient page',
  async start({ pinServer }) {
    const payee = await startServer({ env: { PAYEE_DEMO: '1' } });
    let raw: ReturnType<typeof spawn> | undefined;
    try {
      pinServer(payee.child.pid!);
      const paths: string[] = [];
      for (let i = 0; i < LINKS; i++) {
        const created = await api(payee, 'POST', 'createPayout', {
          orderNumber: `bench-page-${process.pid}-${i}`,
          amount: 150000 + i,
          description: 'Возврат за заказ 1456',
          urls: { returnUrl: `${payee.publicUrl}/demo/return` },
        });
        if (created.status !== 200) throw new Error(`createPayout: ${JSON.stringify(created.body)}`);
        paths.push(new URL(created.body.payoutUrl as string).pathname);
      }
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
};
