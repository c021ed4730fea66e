// Exactly-once submission. For each payout with details (`created`, or `processing`
// after an unknown outcome) the engine:
//   1. commits an attempt row with its idempotency key BEFORE calling the provider;
//   2. calls the adapter; a timeout or error counts as "outcome unknown";
//   3. commits the answer (status change + webhook in one transaction).
// A payout with a live attempt (pending or accepted) is only ever asked about
// (adapter.status), never submitted again; a new attempt starts only after the
// provider says twice, one sync apart, that it never received it (`not_found`), or
// that the attempt never reached it (`not_sent`), and only within the attempts budget
// (PAYEE_MAX_ATTEMPTS): past it, the payout waits in review for an operator.
// Crash anywhere: on restart the status sync finds the live attempt and reconciles.
// Across instances, whoever holds the payout's lease (server/db/leases.ts) moves it.
import type { Services } from '../services.ts';
import type { Insertable } from 'kysely';
import type { Db } from '../db/index.ts';
import type { PayoutAttemptsTable } from '../db/schema.ts';
import { prepared } from '../db/prepared.ts';
import { isUniqueViolation } from '../db/errors.ts';
import { claim, release, renew } from '../db/leases.ts';
import type { ProviderAdapter, Recipient, StatusResult, SubmitRequest, SubmitResult } from '../providers/types.ts';
import { callbackUrl } from '../providers/registry.ts';
import { reveal } from '../vault/vault.ts';
import { transition } from './status-machine.ts';
import { applyAnswer, nextSyncAt } from './outcome.ts';
import { openReview } from './review.ts';
import { crashPoint } from './test-hooks.ts';
import { getPayoutById, linkUrlOf, type PayoutRow } from './payouts.ts';

const inFlight = new WeakMap<Db, Map<number, Promise<void>>>();

/**
 * Moves a payout forward as far as the provider allows right now, holding its lease:
 * claimed here, or already claimed by the status sync (`owner`). When another instance
 * holds it, that one moves it. Concurrent calls for one payout in this process share one
 * run; the database's unique live-attempt index guards the rest.
 */
export function advance(s: Services, payoutId: number, owner?: string): Promise<void> {
  let runs = inFlight.get(s.db);
  if (!runs) inFlight.set(s.db, (runs = new Map()));
  const running = runs.get(payoutId);
  // Claimed by the sync while a run here had yet to claim it (and so will not): ours after it.
  if (running) return owner ? running.then(() => advance(s, payoutId, owner)) : running;
  const { leaseMs, maxAttempts } = s.config.engine;
  let held = owner;
  const run = (async () => {
    if (!held) {
      const one = s.db.selectFrom('payouts').select('id').where('id', '=', payoutId);
      const claimed = await claim(s.db, 'payouts', 'payouts', one, s.clock.now(), leaseMs);
      if (claimed.ids.length === 0) return;
      held = claimed.owner;
    }
    // A confirmed "never received" allows the next attempt straight away.
    for (let i = 0; i < maxAttempts + 1; i++) {
      // Each step may wait on the provider up to its timeout, which the lease outlasts.
      if (!(await renew(s.db, 'payouts', payoutId, held, s.clock.now(), leaseMs))) break;
      if (!(await step(s, payoutId))) break;
    }
  })()
    .catch((err: Error) =>
      s.log.error({ payoutId, err: { message: err.message, stack: err.stack } }, 'payout step failed'),
    )
    .finally(async () => {
      runs.delete(payoutId);
      if (held) await letGo(s, payoutId, held);
    });
  runs.set(payoutId, run);
  return run;
}

async function letGo(s: Services, payoutId: number, owner: string): Promise<void> {
  // Not let go (the service is stopping): the lease runs out on its own.
  await release(s.db, 'payouts', payoutId, owner).catch(() => undefined);
}

/** Starts advancing without waiting (the page polls; the sync worker is the safety net). */
export function kick(s: Services, payoutId: number): void {
  setImmediate(() => void advance(s, payoutId));
}

/** One step; true when another step should follow at once. */
async function step(s: Services, payoutId: number): Promise<boolean> {
  const payout = await getPayoutById(s, payoutId);
  if (!payout || (payout.status !== 'created' && payout.status !== 'processing')) return false;
  // The provider refused the last details: nothing is sent until the recipient gives others.
  if (payout.declined_code !== null) return false;
  const adapter = payout.provider ? s.providers.get(payout.provider) : undefined;
  if (!adapter) {
    s.log.error(
      { payoutId, provider: payout.provider },
      'payout routed to a provider instance that is not configured; will retry',
    );
    await s.db
      .updateTable('payouts')
      .set({ next_sync_at: nextSyncAt(s.config.engine, s.clock.now(), 10) })
      .where('id', '=', payoutId)
      .execute();
    return false;
  }
  const live = await liveAttempt(s, payoutId);
  if (live) return reconcile(s, payout, live, adapter);
  return submitNewAttempt(s, payout, adapter);
}

/** The payout's attempt the provider may still hold (pending or accepted), if any. */
export async function liveAttempt(s: Services, payoutId: number) {
  return (await liveAttemptOf(s.db, payoutId))[0];
}

// Every step runs these: built once (db/prepared.ts).
const liveAttemptOf = prepared((db: Db, payoutId: number) =>
  db
    .selectFrom('payout_attempts')
    .select(['id', 'idempotency_key'])
    .where('payout_id', '=', payoutId)
    .where('state', '!=', 'rejected'),
);
const triesOfAttempts = prepared((db: Db, payoutId: number) =>
  db.selectFrom('payout_attempts').select('try_no').where('payout_id', '=', payoutId),
);
const insertAttempt = prepared((db: Db, row: Insertable<PayoutAttemptsTable>) =>
  db.insertInto('payout_attempts').values(row).returning('id'),
);

async function reconcile(
  s: Services,
  payout: PayoutRow,
  attempt: { id: number; idempotency_key: string },
  adapter: ProviderAdapter,
): Promise<boolean> {
  if (payout.next_sync_at !== null && payout.next_sync_at > s.clock.now()) return false;
  const answer = await withTimeout(
    s.config.engine.providerTimeoutMs,
    adapter.status({
      orderId: payout.order_id,
      idempotencyKey: attempt.idempotency_key,
      providerRef: payout.provider_ref,
      withdrawRequested: payout.withdraw_requested_at !== null,
    }),
  );
  if (answer.status === 'resend') return resend(s, payout, attempt, adapter, answer.reason);
  const r = await s.db.transaction().execute((tx) => applyAnswer(s, tx, payout.id, attempt.id, answer, 'status'));
  return r.retry;
}

/** The provider lacks this attempt's payout and takes the same attempt again: sent again with the same key. */
async function resend(
  s: Services,
  payout: PayoutRow,
  attempt: { id: number; idempotency_key: string },
  adapter: ProviderAdapter,
  reason: string,
): Promise<boolean> {
  const recipient = await readRecipient(s, payout);
  if (!recipient.ok) return false;
  s.log.info(
    { orderId: payout.order_id, attempt: attempt.idempotency_key, reason },
    'payout sent again as the same attempt',
  );
  const answer = await send(s, adapter, payout, attempt.idempotency_key, recipient.recipient);
  const r = await s.db.transaction().execute((tx) => applyAnswer(s, tx, payout.id, attempt.id, answer, 'submit'));
  return r.retry;
}

async function submitNewAttempt(s: Services, payout: PayoutRow, adapter: ProviderAdapter): Promise<boolean> {
  const now = s.clock.now();
  const { maxAttempts } = s.config.engine;
  const previous = await triesOfAttempts(s.db, payout.id);
  const attemptNo = previous.length + 1;
  // The budget counts the submissions of the details in use (each try has its own).
  const ofThisTry = previous.filter((a) => a.try_no === payout.tries).length + 1;
  // After an attempt the provider never got, the next one waits for its turn (none scheduled: for an operator).
  if (attemptNo > 1 && (payout.next_sync_at === null || payout.next_sync_at > now)) return false;
  const budget = maxAttempts + payout.extra_attempts;
  if (ofThisTry > budget) {
    // Never failed on a guess: it stays with us, `processing`, until an operator decides.
    await s.db.transaction().execute(async (tx) => {
      if (payout.status === 'created') await transition(tx, payout.id, 'processing', { reason: 'in_review', at: now });
      await openReview(s, tx, payout.id, 'attempts_exhausted', { attempts: ofThisTry - 1, budget }, now);
      await tx.updateTable('payouts').set({ next_sync_at: null }).where('id', '=', payout.id).execute();
    });
    return false;
  }

  // Out of the vault before anything is recorded: if that fails, nothing was sent.
  const details = await readRecipient(s, payout);
  if (!details.ok) return false;

  const idempotencyKey = `${payout.order_id}.${attemptNo}`;
  let attemptId: number;
  try {
    attemptId = await s.db.transaction().execute(async (tx) => {
      const [row] = await insertAttempt(tx, {
        payout_id: payout.id,
        attempt_no: attemptNo,
        try_no: payout.tries,
        idempotency_key: idempotencyKey,
        provider: adapter.instance,
        state: 'pending',
        provider_status: null,
        error: null,
        created_at: now,
        updated_at: now,
      });
      // Should we die during the call, the status sync comes back to this attempt.
      await tx
        .updateTable('payouts')
        .set({
          next_sync_at: nextSyncAt(s.config.engine, now, 0),
          // The review budget runs from the first submission.
          ...(attemptNo === 1 ? { review_at: now + s.config.engine.reviewAfterMs } : {}),
        })
        .where('id', '=', payout.id)
        .execute();
      return row!.id;
    });
  } catch (err) {
    if (isUniqueViolation(err)) return false; // another run started an attempt
    throw err;
  }
  crashPoint(s.config, 'before_submit');

  const answer = await send(s, adapter, payout, idempotencyKey, details.recipient);
  crashPoint(s.config, 'after_submit');
  const r = await s.db.transaction().execute((tx) => applyAnswer(s, tx, payout.id, attemptId, answer, 'submit'));
  crashPoint(s.config, 'after_commit');
  s.log.info(
    {
      orderId: payout.order_id,
      attempt: attemptNo,
      provider: adapter.instance,
      answer: answer.status,
      status: r.status,
    },
    'payout submitted',
  );
  return r.retry;
}

/** One submission to the provider; whatever goes wrong in the call is an unknown outcome. */
function send(
  s: Services,
  adapter: ProviderAdapter,
  payout: PayoutRow,
  idempotencyKey: string,
  recipient: Recipient | undefined,
): Promise<SubmitResult> {
  return withTimeout(
    s.config.engine.providerTimeoutMs,
    adapter.submit({
      ...submitRequest(s, adapter, payout, idempotencyKey),
      recipient,
      // Hand-off: the provider's page sends the recipient back to our page.
      ...(adapter.capabilities.handoff ? { returnUrl: linkUrlOf(s, payout) } : {}),
    }),
  );
}

/** The recipient out of the vault; when it cannot be read, the payout waits for its next check. */
async function readRecipient(
  s: Services,
  payout: PayoutRow,
): Promise<{ ok: true; recipient: Recipient | undefined } | { ok: false }> {
  try {
    return { ok: true, recipient: await recipientOf(s, payout) };
  } catch (err) {
    s.log.error(
      { orderId: payout.order_id, err: { message: (err as Error).message } },
      'recipient details cannot be read from the vault; will retry',
    );
    await s.db
      .updateTable('payouts')
      .set({
        next_sync_at: nextSyncAt(s.config.engine, s.clock.now(), payout.sync_count),
        sync_count: payout.sync_count + 1,
      })
      .where('id', '=', payout.id)
      .execute();
    return { ok: false };
  }
}

/** What every submission of this payout tells the provider, the recipient and return page aside. */
export function submitRequest(
  s: Services,
  adapter: ProviderAdapter,
  payout: PayoutRow,
  idempotencyKey: string,
): SubmitRequest {
  return {
    orderId: payout.order_id,
    idempotencyKey,
    amount: payout.amount,
    currency: 'RUB',
    description: payout.description,
    callbackUrl: callbackUrl(s.config.publicUrl, adapter.instance),
  };
}

/** The recipient as the provider needs it: the card number or phone comes out of the vault just for this call. */
async function recipientOf(s: Services, p: PayoutRow): Promise<Recipient | undefined> {
  const fullName = p.recipient_name ?? undefined;
  if (p.destination_type === 'card' && p.card_token)
    return { type: 'card', pan: await reveal(s, p.card_token), fullName };
  if (p.destination_type === 'sbp' && p.phone_token && p.bank_id) {
    return { type: 'sbp', phone: await reveal(s, p.phone_token), bankId: p.bank_id, fullName };
  }
  return undefined;
}

function withTimeout<T extends SubmitResult | StatusResult>(
  ms: number,
  p: Promise<T>,
): Promise<T | { status: 'unknown'; error: string }> {
  let timer: NodeJS.Timeout;
  const timeout = new Promise<{ status: 'unknown'; error: string }>((resolve) => {
    timer = setTimeout(() => resolve({ status: 'unknown', error: `no answer in ${ms} ms` }), ms);
  });
  return Promise.race([p.catch((err: Error) => ({ status: 'unknown' as const, error: err.message })), timeout]).finally(
    () => clearTimeout(timer),
  );
}
