// The raw stack for a bench pair: node:http answering every request with the same bytes
// and headers (given as JSON in a file), nothing else. Prints its URL once listening.
//   node scripts/bench/raw-server.ts <responses.json>
// responses.json: { "<path>": { "headers": {…}, "body": "<base64>" } }; any other path is 404.
import { createServer } from 'node:http';
import { readFileSync } from 'node:fs';

interface Canned {
  headers: Record<string, string>;
  body: string;
}

const canned = JSON.parse(readFileSync(process.argv[2]!, 'utf8')) as Record<string, Canned>;
const answers = new Map(
  Object.entries(canned).map(([path, c]) => [path, { headers: c.headers, body: Buffer.from(c.body, 'base64') }]),
);

const server = createServer((req, res) => {
  const answer = answers.get(req.url ?? '');
  if (!answer) {
    res.writeHead(404).end();
    return;
  }
  res.writeHead(200, answer.headers);
  res.end(answer.body);
});
server.listen(0, '127.0.0.1', () => {
  const address = server.address();
  if (address && typeof address === 'object') console.log(JSON.stringify({ url: `http://127.0.0.1:${address.port}` }));
});
process.on('SIGTERM', () => server.close(() => process.exit(0)));
