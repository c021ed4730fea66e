// Time on the page: a once-a-second re-render, the server's clock, polling.
import { useEffect, useRef, useState } from 'preact/hooks';
import { usePage } from './context.ts';

/** Re-renders every second while `on`. */
export function useTick(on = true): void {
  const [, set] = useState(0);
  useEffect(() => {
    if (!on) return;
    const id = setInterval(() => set((n) => n + 1), 1000);
    return () => clearInterval(id);
  }, [on]);
}

/** The server's time now: the device's clock corrected by how far it was off at load. */
export function useServerNow(): () => number {
  const { now } = usePage();
  const [skew] = useState(() => now - Date.now());
  return () => Date.now() + skew;
}

/** Calls `poll` (the latest one given) every `ms` while `on`, never two at once. */
export function usePolling(on: boolean, ms: number, poll: () => Promise<unknown>): void {
  const latest = useRef(poll);
  latest.current = poll;
  useEffect(() => {
    if (!on) return;
    let stopped = false;
    let timer: ReturnType<typeof setTimeout>;
    const run = async () => {
      try {
        await latest.current();
      } catch {
        // Offline for a moment: try again on the next round.
      }
      if (!stopped) timer = setTimeout(run, ms);
    };
    timer = setTimeout(run, ms);
    return () => {
      stopped = true;
      clearTimeout(timer);
    };
  }, [on, ms]);
}
