// An engine in this process with a provider that answers exactly what the test scripts,
// a clock the test moves, and no background workers: the test drives every step
// (advance(), callbacks, the overdue sweep) and sees every call the provider got.
import { Writable } from 'node:stream';
import { loadConfig } from '../../server/config.ts';
import { openTestDb } from '../helpers/store.ts';
import { createLogger } from '../../server/log.ts';
import { MemoryLimitStore } from '../../server/limits/store.ts';
import { settingsContext } from '../../server/merchants/settings.ts';
import { createMerchant } from '../../server/merchants/store.ts';
import { loadKeyring } from '../../server/vault/keyring.ts';
import { createApp } from '../../server/app.ts';
import { performDirectPayout } from '../../server/engine/perform.ts';
import type { Services } from '../../server/services.ts';
import { createMetrics } from '../../server/metrics/metrics.ts';
import type {
  Capabilities,
  PayoutRef,
  ProviderAdapter,
  StatusResult,
  SubmitRequest,
  SubmitResult,
} from '../../server/providers/types.ts';
import { tempDataDir } from '../helpers/server.ts';
import { ManualClock } from '../helpers/engine.ts';

export class ScriptedProvider implements ProviderAdapter {
  readonly kind = 'scripted';
  readonly instance = 'scripted';
  readonly capabilities: Capabilities = {
    methods: ['card'],
    minAmount: 1,
    maxAmount: 99_999_999_999,
    requiredFields: {},
    handoff: false,
  };
  readonly submits: SubmitRequest[] = [];
  readonly statusCalls: PayoutRef[] = [];
  /** Calls that found no scripted answer (answered `unknown`, so the engine must not act on them). */
  readonly unscripted: string[] = [];
  private submitAnswers: SubmitResult[] = [];
  private statusAnswers: StatusResult[] = [];

  onSubmit(...answers: SubmitResult[]): this {
    this.submitAnswers.push(...answers);
    return this;
  }
  onStatus(...answers: StatusResult[]): this {
    this.statusAnswers.push(...answers);
    return this;
  }
  async submit(req: SubmitRequest): Promise<SubmitResult> {
    this.submits.push(req);
    return this.submitAnswers.shift() ?? this.miss(`submit ${req.idempotencyKey}`);
  }
  async status(ref: PayoutRef): Promise<StatusResult> {
    this.statusCalls.push(ref);
    return this.statusAnswers.shift() ?? this.miss(`status ${ref.idempotencyKey}`);
  }
  private miss(call: string) {
    this.unscripted.push(call);
    return { status: 'unknown' as const, error: 'no answer scripted' };
  }
}

export interface EngineRig {
  s: Services;
  clock: ManualClock;
  provider: ScriptedProvider;
  token: string;
  /** Log lines at error level (pino level 50), parsed. */
  errors(): Array<Record<string, unknown>>;
  /** A card payout of 1 500,00 ₽ through performPayout's engine path; its first submit answer must be scripted. */
  perform(orderNumber: string): Promise<number>;
  api(path: string, body: unknown): Promise<{ status: number; body: any }>;
  close(): Promise<void>;
}

export const AMOUNT = 150000;
const SYNC_MS = 1000;

/** The engine's status checks start 1 s after a submission, doubling to 8 s; two attempts at most. */
export async function engineRig(env: Record<string, string> = {}): Promise<EngineRig> {
  const dataDir = tempDataDir('payee-scripted-');
  const config = loadConfig({
    DATA_DIR: dataDir,
    PAYEE_SYNC_FIRST_MS: String(SYNC_MS),
    PAYEE_SYNC_MAX_MS: String(8 * SYNC_MS),
    PAYEE_MAX_ATTEMPTS: '2',
    PAYEE_DEMO: '0',
    ...env,
  });
  config.publicUrl = 'http://localhost:1';
  let out = '';
  const sink = new Writable({
    write(chunk, _enc, cb) {
      out += chunk;
      cb();
    },
  });
  const db = await openTestDb(dataDir);
  const clock = new ManualClock();
  const provider = new ScriptedProvider();
  const s: Services = {
    config,
    db,
    keyring: loadKeyring(config),
    log: createLogger('info', sink),
    clock,
    providers: { get: (i) => (i === provider.instance ? provider : undefined), all: () => [provider], close() {} },
    limits: new MemoryLimitStore(),
    metrics: createMetrics({ db, clock }),
  };
  const created = await createMerchant(
    db,
    s.keyring,
    {
      name: 'Scripted shop',
      settings: { routes: [{ type: 'card', channel: 'vtb', provider: provider.instance }] },
    },
    settingsContext(config),
  );
  const app = createApp(s);
  return {
    s,
    clock,
    provider,
    token: created.token,
    errors: () =>
      out
        .split('\n')
        .filter(Boolean)
        .map((l) => JSON.parse(l) as Record<string, unknown>)
        .filter((l) => l.level === 50),
    async perform(orderNumber) {
      const r = await performDirectPayout(s, created.merchant, {
        orderNumber,
        amount: AMOUNT,
        description: 'scripted',
        pan: '4111111111111111',
      });
      if (!r.ok) throw new Error(r.message);
      return r.payout.id;
    },
    async api(path, body) {
      const res = await app.request(`/api/v1/${path}`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${created.token}` },
        body: JSON.stringify(body),
      });
      return { status: res.status, body: await res.json() };
    },
    close: () => db.destroy(),
  };
}

/** Moves the clock past the payout's next status check. */
export async function untilDue(rig: EngineRig, payoutId: number): Promise<void> {
  const p = await rig.s.db
    .selectFrom('payouts')
    .select('next_sync_at')
    .where('id', '=', payoutId)
    .executeTakeFirstOrThrow();
  if (p.next_sync_at !== null && p.next_sync_at > rig.clock.now()) rig.clock.t = p.next_sync_at;
}

export async function payoutRow(rig: EngineRig, id: number) {
  return rig.s.db.selectFrom('payouts').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
}

export async function attemptsOf(rig: EngineRig, id: number) {
  return rig.s.db
    .selectFrom('payout_attempts')
    .select(['attempt_no', 'idempotency_key', 'state'])
    .where('payout_id', '=', id)
    .orderBy('attempt_no')
    .execute();
}

export async function reviewsOf(rig: EngineRig, id: number) {
  return rig.s.db
    .selectFrom('payout_reviews')
    .select(['reason', 'state', 'detail', 'decision', 'resolved_by'])
    .where('payout_id', '=', id)
    .orderBy('id')
    .execute();
}

/** The statuses the merchant's webhooks carry for a payout, in order (from the outbox). */
export async function webhookStatuses(rig: EngineRig, id: number): Promise<string[]> {
  const rows = await rig.s.db
    .selectFrom('webhook_events')
    .select('payload')
    .where('payout_id', '=', id)
    .orderBy('id')
    .execute();
  return rows.map((r) => (JSON.parse(r.payload) as { payout: { status: string } }).payout.status);
}
