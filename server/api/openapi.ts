// The merchant API described as OpenAPI 3.1, generated from the valibot schemas the API
// itself validates with (request bodies) and from the answer shapes below. Served at
// GET /api/v1/openapi.json; every example is run against the live API by a test.
import { toJsonSchema } from '@valibot/to-json-schema';
import * as v from 'valibot';
import { PAYOUT_STATUSES, PAYOUT_TYPES } from '../../src/contract/status.ts';
import { WebhookSaveBody, WebhookTestBody } from '../../src/contract/portal.ts';
import { CreatePayoutBody, GetPayoutStatusBody } from './schemas.ts';
import { PerformPayoutBody } from './perform-payout.ts';

const Result = v.object({ error: v.string(), message: v.nullable(v.string()) });
export const ErrorAnswer = v.object({ result: Result });
const Failure = v.optional(v.object({ code: v.string(), message: v.string() }));
const Refund = v.optional(v.object({ refundDate: v.number() }));
/** A saved destination (payouts for a recipient the merchant names): never the card number. */
const Destination = v.optional(v.object({ token: v.string(), maskedPan: v.string() }));
const Summary = {
  result: Result,
  orderNumber: v.string(),
  orderStatus: v.picklist(PAYOUT_STATUSES),
  amount: v.number(),
  creationDate: v.number(),
  orderId: v.string(),
  failure: Failure,
  refund: Refund,
  destination: Destination,
};

/** Answer shapes; additive fields may follow, so objects are open. */
export const ANSWERS = {
  CreatePayoutAnswer: v.looseObject({
    result: Result,
    payoutUrl: v.string(),
    orderId: v.string(),
    orderNumber: v.string(),
  }),
  PayoutStatusAnswer: v.looseObject({
    ...Summary,
    description: v.optional(v.string()),
    destination_type: v.optional(v.picklist(PAYOUT_TYPES)),
    channel: v.string(),
    target: v.optional(v.object({ maskedPan: v.optional(v.string()), maskedPhone: v.optional(v.string()) })),
  }),
  PerformPayoutAnswer: v.looseObject({ ...Summary, target: v.optional(v.object({ maskedPan: v.string() })) }),
  FeaturesAnswer: v.looseObject({
    result: Result,
    system: v.string(),
    environment: v.string(),
    version: v.string(),
    timestamp: v.number(),
    features: v.object({
      single_payout: v.boolean(),
      batch_processing: v.boolean(),
      bearer_auth: v.boolean(),
      card_payouts: v.boolean(),
      sbp_payouts: v.boolean(),
      file_download: v.boolean(),
    }),
  }),
  WebhookSaveAnswer: v.looseObject({
    result: Result,
    webhook: v.object({ url: v.nullable(v.string()), enabled: v.boolean(), use_signature: v.boolean() }),
    secret: v.optional(v.string()),
  }),
  WebhookTestAnswer: v.looseObject({
    result: Result,
    test: v.object({
      eventId: v.string(),
      delivered: v.boolean(),
      httpStatus: v.nullable(v.number()),
      durationMs: v.number(),
      error: v.nullable(v.string()),
    }),
  }),
  ErrorAnswer,
};
type AnswerName = keyof typeof ANSWERS;

/** Request bodies by name: the API's own schemas, with the CSRF token the session endpoints also take. */
export const BODIES = {
  CreatePayoutBody,
  GetPayoutStatusBody,
  PerformPayoutBody,
  WebhookSaveBody: v.strictObject({ ...WebhookSaveBody.entries, csrf_token: v.string() }),
  WebhookTestBody: v.strictObject({ ...WebhookTestBody.entries, csrf_token: v.string() }),
};
type BodyName = keyof typeof BODIES;

function jsonSchema(schema: v.GenericSchema): object {
  // Input types: what a client sends. Checks JSON Schema cannot say (Luhn, safe text) stay in the text.
  const { $schema: _, ...rest } = toJsonSchema(schema, {
    target: 'draft-2020-12',
    typeMode: 'input',
    errorMode: 'ignore',
  });
  return rest;
}

interface Example {
  summary: string;
  request?: object;
  status: number;
  answer: object;
}

interface Operation {
  method: 'post' | 'get';
  summary: string;
  description: string;
  security: 'bearer' | 'session';
  body?: BodyName;
  answer: AnswerName;
  examples: Record<string, Example>;
}

const ok = { error: '0', message: null };
const AUTH_ERRORS = { UNAUTHORIZED: 401, PERMISSION_DENIED: 403, NO_COMPANY: 403 };

/** Operations in the order their examples run: a payout is created before it is looked up. */
export const OPERATIONS: Record<string, Operation> = {
  '/createPayout': {
    method: 'post',
    summary: 'Create a payout and get the link to the recipient-details page',
    description: 'The same request again answers the same link; another request with a used orderNumber is CONFLICT.',
    security: 'bearer',
    body: 'CreatePayoutBody',
    answer: 'CreatePayoutAnswer',
    examples: {
      created: {
        summary: 'A card payout of 1 500,00 ₽',
        request: {
          orderNumber: 'ORDER-2025-0001',
          amount: 150000,
          description: 'Refund for order 1456',
          type: 'card',
          urls: { returnUrl: 'https://shop.example/return', failUrl: 'https://shop.example/fail' },
        },
        status: 200,
        answer: {
          result: ok,
          payoutUrl: 'https://payee.example/pay/Xq…',
          orderId: 'po_8f3k2m1n0p9q8r7s',
          orderNumber: 'ORDER-2025-0001',
        },
      },
      invalid: {
        summary: 'Every wrong field is named',
        request: { orderNumber: 'ORDER-2025-0002', amount: 0, urls: {} },
        status: 400,
        answer: {
          result: { error: 'VALIDATION_ERROR', message: 'amount must be positive; urls.returnUrl is required' },
        },
      },
    },
  },
  '/getPayoutStatus': {
    method: 'post',
    summary: 'A payout’s status by orderNumber',
    description: 'orderStatus is one of uploaded, created, processing, success, failed, cancelled.',
    security: 'bearer',
    body: 'GetPayoutStatusBody',
    answer: 'PayoutStatusAnswer',
    examples: {
      found: {
        summary: 'The payout created above, waiting for the recipient',
        request: { orderNumber: 'ORDER-2025-0001' },
        status: 200,
        answer: {
          result: ok,
          orderNumber: 'ORDER-2025-0001',
          orderStatus: 'uploaded',
          amount: 150000,
          creationDate: 1757954421,
          orderId: 'po_8f3k2m1n0p9q8r7s',
          description: 'Refund for order 1456',
          destination_type: 'card',
          channel: 'vtb',
        },
      },
      unknown: {
        summary: 'No payout has this orderNumber',
        request: { orderNumber: 'NO-SUCH-ORDER' },
        status: 404,
        answer: { result: { error: 'NOT_FOUND', message: 'no payout with orderNumber NO-SUCH-ORDER' } },
      },
    },
  },
  '/performPayout': {
    method: 'post',
    summary: 'An immediate payout to a card number',
    description: 'target.pan is Luhn-checked; it is never answered back (only maskedPan).',
    security: 'bearer',
    body: 'PerformPayoutBody',
    answer: 'PerformPayoutAnswer',
    examples: {
      sent: {
        summary: 'A payout to a test card',
        request: {
          orderNumber: 'ORDER-2025-0003',
          amount: 150000,
          description: 'Cashback',
          target: { pan: '4111111111111111' },
        },
        status: 200,
        answer: {
          result: ok,
          orderNumber: 'ORDER-2025-0003',
          orderStatus: 'processing',
          amount: 150000,
          creationDate: 1757954421,
          orderId: 'po_1a2b3c4d5e6f7g8h',
          target: { maskedPan: '411111******1111' },
        },
      },
      badCard: {
        summary: 'A card number with a wrong checksum',
        request: {
          orderNumber: 'ORDER-2025-0004',
          amount: 150000,
          description: 'Cashback',
          target: { pan: '4111111111111112' },
        },
        status: 400,
        answer: {
          result: { error: 'VALIDATION_ERROR', message: 'target.pan is not a valid card number (checksum)' },
        },
      },
    },
  },
  '/features': {
    method: 'get',
    summary: 'What this token may do',
    description: 'Card and SBP follow the merchant’s configured routes.',
    security: 'bearer',
    answer: 'FeaturesAnswer',
    examples: {
      features: {
        summary: 'A merchant with card and SBP routes and a portal owner',
        status: 200,
        answer: {
          result: ok,
          system: 'payouts',
          environment: 'development',
          version: 'v1',
          timestamp: 1737097200,
          features: {
            single_payout: true,
            batch_processing: true,
            bearer_auth: true,
            card_payouts: true,
            sbp_payouts: true,
            file_download: true,
          },
        },
      },
    },
  },
  '/webhook_save': {
    method: 'post',
    summary: 'Save the webhook settings (portal session and CSRF token, not the API token)',
    description:
      'Takes the portal session cookie and csrf_token (in the body or X-CSRF-Token), as JSON or a form. ' +
      'regenerate_secret issues a new signing secret, answered once. A user without a company gets NO_COMPANY.',
    security: 'session',
    body: 'WebhookSaveBody',
    answer: 'WebhookSaveAnswer',
    examples: {
      saved: {
        summary: 'Webhooks on, signed',
        request: {
          url: 'https://shop.example/payee-webhook',
          enabled: true,
          use_signature: true,
          csrf_token: '<the csrf-token meta tag of any portal page>',
        },
        status: 200,
        answer: {
          result: ok,
          webhook: { url: 'https://shop.example/payee-webhook', enabled: true, use_signature: true },
        },
      },
      bearer: {
        summary: 'The API token is refused here',
        request: { url: 'https://shop.example/payee-webhook', enabled: true, use_signature: true, csrf_token: 'x' },
        status: 401,
        answer: {
          result: {
            error: 'UNAUTHORIZED',
            message: 'webhook_save takes a logged-in portal session and csrf_token, not the API token',
          },
        },
      },
    },
  },
  '/webhook_test': {
    method: 'post',
    summary: 'Send one signed test event to the saved webhook URL (portal session and CSRF token)',
    description: 'One attempt, no retries; answers the receiver’s HTTP status and the time it took.',
    security: 'session',
    body: 'WebhookTestBody',
    answer: 'WebhookTestAnswer',
    examples: {
      bearer: {
        summary: 'The API token is refused here',
        request: { csrf_token: 'x' },
        status: 401,
        answer: {
          result: {
            error: 'UNAUTHORIZED',
            message: 'webhook_test takes a logged-in portal session and csrf_token, not the API token',
          },
        },
      },
    },
  },
};

function operation(path: string, op: Operation): object {
  // The 200 answer is always described, with or without an example.
  const byStatus = new Map<number, Record<string, { summary: string; value: object }>>([[200, {}]]);
  for (const [name, ex] of Object.entries(op.examples)) {
    const list = byStatus.get(ex.status) ?? {};
    list[name] = { summary: ex.summary, value: ex.answer };
    byStatus.set(ex.status, list);
  }
  const responses: Record<string, object> = {};
  for (const [status, examples] of [...byStatus].sort(([a], [b]) => a - b)) {
    const schema = status === 200 ? op.answer : 'ErrorAnswer';
    responses[String(status)] = {
      description: status === 200 ? 'Done' : 'Refused; result.error names why',
      content: {
        'application/json': {
          schema: { $ref: `#/components/schemas/${schema}` },
          ...(Object.keys(examples).length ? { examples } : {}),
        },
      },
    };
  }
  for (const [code, status] of Object.entries(AUTH_ERRORS)) {
    if (code === 'NO_COMPANY' && op.security !== 'session') continue;
    responses[String(status)] ??= {
      description: `${code}`,
      content: { 'application/json': { schema: { $ref: '#/components/schemas/ErrorAnswer' } } },
    };
  }
  const requestExamples = Object.fromEntries(
    Object.entries(op.examples)
      .filter(([, ex]) => ex.request)
      .map(([name, ex]) => [name, { summary: ex.summary, value: ex.request }]),
  );
  return {
    operationId: path.slice(1),
    summary: op.summary,
    description: op.description,
    security: op.security === 'bearer' ? [{ bearerAuth: [] }] : [{ portalSession: [] }],
    ...(op.body
      ? {
          requestBody: {
            required: true,
            content: {
              'application/json': { schema: { $ref: `#/components/schemas/${op.body}` }, examples: requestExamples },
            },
          },
        }
      : {}),
    responses,
  };
}

let built: object | undefined;

export function openApiDocument(): object {
  built ??= {
    openapi: '3.1.0',
    info: {
      title: 'Payee merchant API',
      version: '1.0',
      description:
        'Wire-compatible with the Quantum Payouts API. Amounts are integer kopecks. Every answer carries ' +
        '{"result":{"error":"0"|CODE,"message":null|text}}.',
    },
    servers: [{ url: '/api/v1' }],
    paths: Object.fromEntries(
      Object.entries(OPERATIONS).map(([path, op]) => [path, { [op.method]: operation(path, op) }]),
    ),
    components: {
      securitySchemes: {
        bearerAuth: { type: 'http', scheme: 'bearer', description: 'An API token from Settings → API' },
        portalSession: { type: 'apiKey', in: 'cookie', name: 'payee_portal', description: 'The portal login session' },
      },
      schemas: {
        ...Object.fromEntries(Object.entries(BODIES).map(([name, s]) => [name, jsonSchema(s)])),
        ...Object.fromEntries(Object.entries(ANSWERS).map(([name, s]) => [name, jsonSchema(s)])),
      },
    },
  };
  return built;
}
