// Background work, all driven by s.clock and a tick of PAYEE_WORKER_TICK_MS:
//   - status sync: payouts with details whose next check is due (submit the first
//     attempt, or ask the provider where it stands, with backoff);
//   - session sweep: `uploaded` payouts past their session become `cancelled` (and those
//     waiting for other details after a refusal `failed`), payouts still with a provider
//     past their session are withdrawn where it can, and payouts without a final answer
//     past their review time go to the review list;
//   - webhook outbox: events due for (re)delivery. New events also wake it at once;
//   - card retention: card numbers past retention leave the vault (at most once a minute).
import { purgeCardNumbers } from './retention.ts';
import type { Services } from '../services.ts';
import { claim } from '../db/leases.ts';
import { deliverDue } from '../webhooks/deliver.ts';
import { outboxSignal } from '../webhooks/payload.ts';
import { expireIfDue } from './payouts.ts';
import { advance } from './submit.ts';
import { withdrawOverdue } from './withdraw.ts';
import { flagOverdue } from './review.ts';
import { newRequestId, withRequestId } from '../request-id.ts';

const BATCH = 100;

export interface Workers {
  stop(): Promise<void>;
}

/** True when a full batch was due (there may be more). */
export async function syncDue(s: Services): Promise<boolean> {
  const now = s.clock.now();
  const due = s.db
    .selectFrom('payouts')
    .select('id')
    .where('status', 'in', ['created', 'processing'])
    .where('next_sync_at', '<=', now)
    .orderBy('next_sync_at')
    .limit(BATCH);
  // Claimed, so each instance takes its own share of what is due.
  const { ids, owner } = await claim(s.db, 'payouts', 'payouts', due, now, s.config.engine.leaseMs);
  // Each payout's provider calls and webhooks carry their own id.
  await Promise.all(ids.map((id) => withRequestId(newRequestId(), () => advance(s, id, owner))));
  return ids.length === BATCH;
}

export async function sweepExpired(s: Services): Promise<boolean> {
  const due = await s.db
    .selectFrom('payouts')
    .selectAll()
    // Waiting for details: none yet, or others after a refusal (another try).
    .where((eb) =>
      eb.or([
        eb('status', '=', 'uploaded'),
        eb.and([eb('status', '=', 'processing'), eb('declined_code', 'is not', null)]),
      ]),
    )
    .where('expires_at', '<=', s.clock.now())
    .limit(BATCH)
    .execute();
  for (const p of due) await expireIfDue(s, p);
  const more = await withdrawOverdue(s);
  const overdue = await flagOverdue(s);
  return due.length === BATCH || more || overdue;
}

export function startWorkers(s: Services): Workers {
  const { tickMs } = s.config.engine;
  let stopped = false;
  const loops: Promise<void>[] = [];

  /**
   * Runs `work` every tick (when woken, or at once while it reports a full batch), never
   * overlapping itself. Returns what wakes it (how stop() ends its wait).
   */
  const loop = (name: string, work: () => Promise<boolean>, wakeOn?: string) => {
    let wake: (() => void) | undefined;
    let woken = false;
    const onWake = () => {
      woken = true;
      wake?.();
    };
    if (wakeOn) outboxSignal.on(wakeOn, onWake);
    loops.push(
      (async () => {
        while (!stopped) {
          woken = false;
          let more = false;
          try {
            more = await withRequestId(newRequestId(), work);
          } catch (err) {
            if (!stopped) s.log.error({ worker: name, err: { message: (err as Error).message } }, 'worker run failed');
          }
          if (stopped) break;
          if (woken || more) continue; // something arrived while we worked, or a backlog
          await new Promise<void>((r) => {
            const timer = setTimeout(r, tickMs);
            wake = () => {
              clearTimeout(timer);
              r();
            };
          });
          wake = undefined;
        }
        if (wakeOn) outboxSignal.off(wakeOn, onWake);
      })(),
    );
    return onWake;
  };

  let nextPurgeAt = 0;
  const wakers = [
    loop('status-sync', () => syncDue(s)),
    loop('session-sweep', () => sweepExpired(s)),
    loop('webhook-outbox', async () => (await deliverDue(s)) > 0, 'enqueued'),
    loop('card-retention', async () => {
      if (s.clock.now() < nextPurgeAt) return false;
      const more = await purgeCardNumbers(s);
      if (!more) nextPurgeAt = s.clock.now() + 60_000;
      return more;
    }),
  ];

  return {
    async stop() {
      stopped = true;
      for (const wake of wakers) wake();
      await Promise.all(loops);
    },
  };
}
