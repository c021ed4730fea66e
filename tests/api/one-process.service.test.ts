// SQLite serves one service process per data directory: a second one is refused at start
// with a message that points to PostgreSQL, and a killed one never blocks the next.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startServer } from '../helpers/server.ts';

test('a second process on the same SQLite data directory is refused; after a kill the next one starts', async () => {
  let first = await startServer({ env: { PAYEE_DEMO: '0' } });
  try {
    await assert.rejects(startServer({ dataDir: first.dataDir, env: { PAYEE_DEMO: '0' } }), (err: Error) => {
      assert.match(err.message, /server exited with 78/);
      assert.match(err.message, /another Payee process is running on the data directory/);
      assert.match(err.message, /set DATABASE_URL to a PostgreSQL database/);
      return true;
    });
    // The first one still serves.
    assert.equal((await fetch(`${first.url}/healthz`)).status, 200);

    await first.kill();
    first = await startServer({ dataDir: first.dataDir });
    assert.equal((await fetch(`${first.url}/healthz`)).status, 200);
  } finally {
    await first.stop();
  }
});
