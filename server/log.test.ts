// The log's second line of defence: whatever carries a card number, phone, token, secret,
// Authorization header or body is written as [redacted], at the top and one level down
// (and an Authorization header in a logged request's headers).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import { createLogger } from './log.ts';

const SENSITIVE = ['pan', 'phone', 'token', 'secret', 'authorization', 'body'] as const;

function logged(write: (log: ReturnType<typeof createLogger>) => void): Record<string, any> {
  let out = '';
  const sink = new Writable({
    write(chunk, _encoding, done) {
      out += chunk;
      done();
    },
  });
  write(createLogger('info', sink));
  return JSON.parse(out);
}

for (const key of SENSITIVE) {
  test(`"${key}" is redacted at the top and one level down`, () => {
    const value = `${key}-4111111111111111`;
    const line = logged((log) => log.info({ [key]: value, request: { [key]: value }, keep: 'kept' }, 'm'));
    assert.equal(line[key], '[redacted]');
    assert.equal(line.request[key], '[redacted]');
    assert.equal(line.keep, 'kept');
    assert.doesNotMatch(JSON.stringify(line), /4111111111111111/);
  });
}

test("an Authorization header is redacted in a logged request's headers", () => {
  const line = logged((log) =>
    log.info({ headers: { authorization: 'Bearer t0ken' }, req: { headers: { authorization: 'Bearer t0ken' } } }, 'm'),
  );
  assert.equal(line.headers.authorization, '[redacted]');
  assert.equal(line.req.headers.authorization, '[redacted]');
});
