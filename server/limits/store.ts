// Where rate-limit counters live. The engine and the HTTP surfaces ask `take()`; the
// in-memory store below serves one process, and a database-backed store can be put in
// its place for several processes sharing the work.

import type { LimitRule } from '../config.ts';

export type { LimitRule };

export interface LimitStore {
  /** Counts one request under `key`: 0 when allowed, else the milliseconds until it would be. */
  take(key: string, rule: LimitRule, nowMs: number): Promise<number>;
}

/** A Map that forgets its least recently used entries beyond `max`: request data never grows memory without bound. */
export class BoundedMap<K, V> {
  private readonly map = new Map<K, V>();
  constructor(readonly max: number) {}

  get size(): number {
    return this.map.size;
  }

  get(key: K): V | undefined {
    const value = this.map.get(key);
    if (value !== undefined) {
      this.map.delete(key);
      this.map.set(key, value);
    }
    return value;
  }

  set(key: K, value: V): void {
    this.map.delete(key);
    this.map.set(key, value);
    if (this.map.size > this.max) this.map.delete(this.map.keys().next().value as K);
  }

  delete(key: K): void {
    this.map.delete(key);
  }
}

interface Bucket {
  tokens: number;
  at: number;
}

/** Token buckets in this process, at most `maxKeys` of them (the least recently used go first). */
export class MemoryLimitStore implements LimitStore {
  private readonly buckets: BoundedMap<string, Bucket>;
  constructor(maxKeys = 50_000) {
    this.buckets = new BoundedMap(maxKeys);
  }

  get size(): number {
    return this.buckets.size;
  }

  async take(key: string, rule: LimitRule, nowMs: number): Promise<number> {
    const b = this.buckets.get(key) ?? { tokens: rule.burst, at: nowMs };
    const tokens = Math.min(rule.burst, b.tokens + (Math.max(0, nowMs - b.at) * rule.perSecond) / 1000);
    if (tokens >= 1) {
      this.buckets.set(key, { tokens: tokens - 1, at: nowMs });
      return 0;
    }
    this.buckets.set(key, { tokens, at: nowMs });
    return Math.ceil(((1 - tokens) * 1000) / rule.perSecond);
  }
}

/** Retry-After in whole seconds, at least 1. */
export function retryAfterSeconds(waitMs: number): string {
  return String(Math.max(1, Math.ceil(waitMs / 1000)));
}
