// The OpenAPI document: served without auth, well formed (every reference resolves, every
// request example passes the API's own schema), and each example run against the live API
// answers the documented status, error code and shape.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import * as v from 'valibot';
import { api } from '../helpers/server.ts';
import { startService, type Service } from '../helpers/service.ts';
import { createTestMerchant } from '../helpers/cli.ts';
import { portalUser, signIn } from '../helpers/portal.ts';
import { ANSWERS, BODIES, OPERATIONS } from '../../server/api/openapi.ts';

let server: Service;
let doc: any;
before(async () => {
  server = await startService();
  const res = await fetch(`${server.url}/api/v1/openapi.json`);
  assert.equal(res.status, 200);
  doc = await res.json();
});
after(async () => {
  await server.stop();
});

function refs(node: unknown, out: string[] = []): string[] {
  if (Array.isArray(node)) node.forEach((n) => refs(n, out));
  else if (node && typeof node === 'object') {
    for (const [k, val] of Object.entries(node)) {
      if (k === '$ref' && typeof val === 'string') out.push(val);
      else refs(val, out);
    }
  }
  return out;
}

test('the document is OpenAPI 3.1 and every reference in it resolves', () => {
  assert.equal(doc.openapi, '3.1.0');
  assert.ok(doc.info.title && doc.info.version);
  assert.deepEqual(Object.keys(doc.paths), Object.keys(OPERATIONS));
  for (const ref of refs(doc)) {
    const [, , , name] = ref.split('/');
    assert.ok(ref.startsWith('#/components/schemas/') && doc.components.schemas[name!], `${ref} resolves`);
  }
  for (const [path, item] of Object.entries<any>(doc.paths)) {
    for (const op of Object.values<any>(item)) {
      assert.ok(op.operationId && op.responses['200'], `${path} has an id and a 200 answer`);
      assert.ok(doc.components.securitySchemes[Object.keys(op.security[0])[0]!], `${path} names a known scheme`);
    }
  }
  // Generated from the API's own schema: its limits are there.
  assert.equal(doc.components.schemas.CreatePayoutBody.properties.orderNumber.maxLength, 36);
  assert.deepEqual(doc.components.schemas.CreatePayoutBody.required, ['orderNumber', 'amount', 'urls']);
});

test('each example, run against the live API, answers as documented', async () => {
  const merchant = await createTestMerchant(server.dataDir, [
    '--name',
    'OpenAPI shop',
    '--return-origin',
    'https://shop.example',
  ]);
  const owner = await signIn(server.app, (await portalUser(server.services, merchant.id)).email);
  for (const [path, op] of Object.entries(OPERATIONS)) {
    const documented = doc.paths[path][op.method];
    for (const [name, ex] of Object.entries(op.examples)) {
      const what = `${path} example ${name}`;
      // The document carries the example as written here.
      if (ex.request)
        assert.deepEqual(documented.requestBody.content['application/json'].examples[name].value, ex.request);
      assert.deepEqual(
        documented.responses[String(ex.status)].content['application/json'].examples[name].value,
        ex.answer,
      );
      if (ex.request && ex.status === 200)
        assert.ok(v.is(BODIES[op.body!], ex.request), `${what}: request fits its schema`);
      assert.ok(
        v.is(ex.status === 200 ? ANSWERS[op.answer] : ANSWERS.ErrorAnswer, ex.answer),
        `${what}: answer fits its schema`,
      );

      const session = op.security === 'session' && ex.status === 200;
      const body = session ? { ...ex.request, csrf_token: owner.csrf } : ex.request;
      const res = await api(
        { url: server.url, token: merchant.token },
        op.method.toUpperCase() as 'GET' | 'POST',
        path.slice(1),
        body,
        session ? { Cookie: owner.cookie, Authorization: '' } : {},
      );
      assert.equal(res.status, ex.status, `${what}: ${JSON.stringify(res.body)}`);
      assert.equal(res.body.result.error, (ex.answer as any).result.error, what);
      if (ex.status === 200) assert.ok(v.is(ANSWERS[op.answer], res.body), `${what}: live answer fits ${op.answer}`);
      else assert.equal(res.body.result.message, (ex.answer as any).result.message, what);
    }
  }
});
