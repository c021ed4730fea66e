// Reads a JSON request body against a valibot schema; any problem becomes the
// API's error envelope (415, 400), never an exception.
import type { Context } from 'hono';
import * as v from 'valibot';
import { describeIssues, fail } from './envelope.ts';
import { parseJson } from '../http/json.ts';

export type BodyResult<T> = { ok: true; value: T } | { ok: false; response: Response };

export async function readJson<S extends v.GenericSchema>(
  c: Context,
  schema: S,
): Promise<BodyResult<v.InferOutput<S>>> {
  const type = c.req.header('content-type') ?? '';
  if (!/^application\/json\s*(;|$)/i.test(type)) {
    return { ok: false, response: fail(c, 'UNSUPPORTED_MEDIA_TYPE', 'Content-Type must be application/json') };
  }
  const body = parseJson(await c.req.text());
  if (!body.ok) {
    const message = body.key !== undefined ? `body has the key "${body.key}" twice` : 'body is not valid JSON';
    return { ok: false, response: fail(c, 'VALIDATION_ERROR', message) };
  }
  const raw = body.value;
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) {
    return { ok: false, response: fail(c, 'VALIDATION_ERROR', 'body must be a JSON object') };
  }
  const parsed = v.safeParse(schema, raw);
  if (!parsed.success) return { ok: false, response: fail(c, 'VALIDATION_ERROR', describeIssues(parsed.issues)) };
  return { ok: true, value: parsed.output };
}
