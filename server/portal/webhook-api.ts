// POST /api/v1/webhook_save and /api/v1/webhook_test: the portal session plus its CSRF
// token (in the JSON or form body, or X-CSRF-Token), never the API token; answers in the
// merchant API's envelope.
import type { Context, Handler } from 'hono';
import * as v from 'valibot';
import { WebhookSaveBody, WebhookTestBody } from '../../src/contract/portal.ts';
import type { Services } from '../services.ts';
import { describeIssues, fail, ok } from '../api/envelope.ts';
import { csrfMatches, sessionOf } from './middleware.ts';
import type { Session } from './sessions.ts';
import { saveWebhook, testWebhook, type Refusal } from './webhook-settings.ts';

type Read = { ok: true; session: Session; body: Record<string, unknown> } | { ok: false; response: Response };

/** The session, the CSRF check and the body (JSON or form), with the envelope's answer for each failure. */
async function sessionRequest(c: Context, s: Services, endpoint: string): Promise<Read> {
  const session = await sessionOf(c, s);
  if (!session) {
    const bearer = /^Bearer\s/i.test(c.req.header('authorization') ?? '');
    const message = bearer
      ? `${endpoint} takes a logged-in portal session and csrf_token, not the API token`
      : `${endpoint} needs a logged-in portal session`;
    return { ok: false, response: fail(c, 'UNAUTHORIZED', message) };
  }
  const type = c.req.header('content-type') ?? '';
  let body: Record<string, unknown>;
  if (/^application\/json\s*(;|$)/i.test(type)) {
    let raw: unknown;
    try {
      raw = JSON.parse(await c.req.text());
    } catch {
      return { ok: false, response: fail(c, 'VALIDATION_ERROR', 'body is not valid JSON') };
    }
    if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) {
      return { ok: false, response: fail(c, 'VALIDATION_ERROR', 'body must be a JSON object') };
    }
    body = raw as Record<string, unknown>;
  } else if (/^(application\/x-www-form-urlencoded|multipart\/form-data)/i.test(type)) {
    body = { ...((await c.req.parseBody()) as Record<string, unknown>) };
  } else {
    return {
      ok: false,
      response: fail(c, 'UNSUPPORTED_MEDIA_TYPE', 'Content-Type must be application/json or a form'),
    };
  }
  const { csrf_token: given = c.req.header('x-csrf-token'), ...rest } = body;
  if (!csrfMatches(session, given)) {
    return {
      ok: false,
      response: fail(c, 'PERMISSION_DENIED', given ? 'csrf_token is wrong' : 'csrf_token is required'),
    };
  }
  return { ok: true, session, body: rest };
}

function refused(c: Context, r: Refusal): Response {
  if (r.reason === 'no_company') return fail(c, 'NO_COMPANY', r.message);
  if (r.reason === 'forbidden') return fail(c, 'PERMISSION_DENIED', r.message);
  return fail(c, 'VALIDATION_ERROR', r.message);
}

export function webhookSave(s: Services): Handler {
  return async (c) => {
    const read = await sessionRequest(c, s, 'webhook_save');
    if (!read.ok) return read.response;
    const parsed = v.safeParse(WebhookSaveBody, read.body);
    if (!parsed.success) return fail(c, 'VALIDATION_ERROR', describeIssues(parsed.issues));
    const saved = await saveWebhook(s, read.session.user, parsed.output);
    if (!saved.ok) return refused(c, saved);
    return ok(c, { webhook: saved.webhook, ...(saved.secret ? { secret: saved.secret } : {}) });
  };
}

export function webhookTest(s: Services): Handler {
  return async (c) => {
    const read = await sessionRequest(c, s, 'webhook_test');
    if (!read.ok) return read.response;
    const parsed = v.safeParse(WebhookTestBody, read.body);
    if (!parsed.success) return fail(c, 'VALIDATION_ERROR', describeIssues(parsed.issues));
    const sent = await testWebhook(s, read.session.user);
    if (!sent.ok) {
      if (sent.reason === 'no_url') return fail(c, 'VALIDATION_ERROR', 'no webhook URL is saved');
      if (sent.reason === 'no_merchant') return fail(c, 'NO_COMPANY', 'the company no longer exists');
      return refused(c, sent as Refusal);
    }
    return ok(c, {
      test: {
        eventId: sent.eventId,
        delivered: sent.error === null,
        httpStatus: sent.httpStatus,
        durationMs: sent.durationMs,
        error: sent.error,
      },
    });
  };
}
