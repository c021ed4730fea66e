// The raw stack for createPayout: node:http and better-sqlite3 (WAL, synchronous=FULL, as
// Payee opens its database), reading the JSON body, inserting one row, answering JSON.
// No validation, no auth, no link token: the floor under the same durable write.
//   node scripts/bench/raw-insert-server.ts <dir>
import { createServer } from 'node:http';
import { join } from 'node:path';
import SQLite from 'better-sqlite3';

const db = new SQLite(join(process.argv[2]!, 'raw.sqlite'));
db.pragma('journal_mode = WAL');
db.pragma('synchronous = FULL');
db.exec(
  'create table if not exists payouts (id integer primary key, order_number text unique, amount integer, body text)',
);
const insert = db.prepare('insert into payouts (order_number, amount, body) values (?, ?, ?)');

const server = createServer((req, res) => {
  const chunks: Buffer[] = [];
  req.on('data', (c: Buffer) => chunks.push(c));
  req.on('end', () => {
    const text = Buffer.concat(chunks).toString('utf8');
    const body = JSON.parse(text) as { orderNumber: string; amount: number };
    const { lastInsertRowid } = insert.run(body.orderNumber, body.amount, text);
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ result: { error: '0', message: null }, orderId: String(lastInsertRowid) }));
  });
});
server.listen(0, '127.0.0.1', () => {
  const address = server.address();
  if (address && typeof address === 'object') console.log(JSON.stringify({ url: `http://127.0.0.1:${address.port}` }));
});
process.on('SIGTERM', () => server.close(() => process.exit(0)));
