// Time as the service sees it; tests replace it to walk through retry schedules.
export interface Clock {
  now(): number;
}

export const systemClock: Clock = { now: () => Date.now() };
