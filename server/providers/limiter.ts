// A rate limit a provider sets per account (e.g. "at most 30 requests per second"),
// shared by every request to that account from this process: submissions, status
// queries and anything else. Each request waits for its turn; none is dropped.
//
// A request holds its slot from when it starts until a window after its answer is in:
// the provider counts it at some moment in between, so no window it measures can hold
// more than the limit, however the network delays or bunches requests.
export class RateLimiter {
  /** Slots in use: when each request ended (Infinity while it is under way). */
  private slots: Array<{ end: number }> = [];
  private queue: Array<(release: () => void) => void> = [];
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly perWindow: number,
    private readonly windowMs: number,
    private readonly now: () => number = () => performance.now(),
  ) {}

  /** Resolves when a request may start, with the function to call once its answer is in (or it failed). */
  take(): Promise<() => void> {
    return new Promise((resolve) => {
      this.queue.push(resolve);
      this.drain();
    });
  }

  private drain(): void {
    if (this.timer) return;
    while (this.queue.length > 0) {
      const now = this.now();
      this.slots = this.slots.filter((s) => s.end > now - this.windowMs);
      if (this.slots.length >= this.perWindow) {
        const soonest = Math.min(...this.slots.map((s) => s.end));
        // All under way: a release drains. Otherwise wait for the oldest to leave the window.
        if (soonest !== Infinity)
          this.timer = setTimeout(
            () => {
              this.timer = undefined;
              this.drain();
            },
            soonest + this.windowMs - now + 1,
          );
        return;
      }
      const slot = { end: Infinity };
      this.slots.push(slot);
      this.queue.shift()!(() => {
        if (slot.end !== Infinity) return;
        slot.end = this.now();
        this.drain();
      });
    }
  }
}

const shared = new Map<string, RateLimiter>();

/** One limiter per account key (e.g. base URL and a hash of the token), whatever instances use it. */
export function limiterFor(account: string, perWindow: number, windowMs: number): RateLimiter {
  let limiter = shared.get(account);
  if (!limiter) shared.set(account, (limiter = new RateLimiter(perWindow, windowMs)));
  return limiter;
}
