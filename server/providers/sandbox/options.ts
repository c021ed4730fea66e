// Configuration of a sandbox instance, validated at start.
import * as v from 'valibot';
import { parseOptions } from '../options.ts';

const Ms = (max: number) =>
  v.pipe(
    v.number('must be a number of milliseconds'),
    v.integer('must be an integer'),
    v.minValue(0, 'must be ≥ 0'),
    v.maxValue(max, `must be ≤ ${max}`),
  );

export const SandboxOptionsSchema = v.strictObject({
  /** How long an accepted payout stays `processing` before its outcome. */
  delayMs: v.optional(Ms(3_600_000), 1000),
  /** How long submit() takes to answer (to exercise slow providers). */
  submitDelayMs: v.optional(Ms(60_000), 0),
  /** Require the recipient's full name (exercises the page's extra-field path). */
  requireFullName: v.optional(v.boolean('must be true or false'), false),
  /** POST a signed callback when a payout finishes. */
  callbacks: v.optional(v.boolean('must be true or false'), true),
  /** Act as a hand-off provider: it "collects the details on its own page" (accepting at once and sending the recipient straight back). */
  handoff: v.optional(v.boolean('must be true or false'), false),
  /** HMAC key for the callbacks' X-Sandbox-Signature; a random one for each start when absent (never a known default). */
  secret: v.optional(v.pipe(v.string(), v.minLength(16, 'must be at least 16 characters'))),
});
export type SandboxOptions = v.InferOutput<typeof SandboxOptionsSchema>;

export function loadSandboxOptions(raw: unknown): SandboxOptions {
  return parseOptions(SandboxOptionsSchema, raw);
}
