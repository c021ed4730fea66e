// Shared by the adapter factories: option schemas, secrets from files or env, and
// valibot issues of an instance's options as one message,
// e.g. "options.delayMs: must be ≥ 0; options.apiKey: Invalid type".
import { readFileSync } from 'node:fs';
import * as v from 'valibot';

export const Int = (min: number, max: number) => v.pipe(v.number(), v.integer(), v.minValue(min), v.maxValue(max));
export const EnvName = v.pipe(v.string(), v.regex(/^[A-Z_][A-Z0-9_]*$/, 'must be an environment variable name'));
export const HttpUrl = v.pipe(v.string(), v.url('must be an absolute URL'), v.regex(/^https?:\/\//, 'must be http(s)'));
/** Per request to the provider; a request that runs out of time leaves the outcome unknown. */
export const RequestTimeoutMs = v.optional(Int(100, 120_000), 15_000);

function optionIssues(issues: ReadonlyArray<{ message: string; path?: ReadonlyArray<{ key: unknown }> }>): string {
  return issues
    .map((i) => `options.${(i.path ?? []).map((p) => String(p.key)).join('.') || '(root)'}: ${i.message}`)
    .join('; ');
}

/** A secret from a file (trimmed) or an environment variable; never from the config itself. */
export function readSecret(opts: { file?: string; env?: string }, name: string): string {
  let value: string | undefined;
  if (opts.file) {
    try {
      value = readFileSync(opts.file, 'utf8').trim();
    } catch (err) {
      throw new Error(`options.${name}File: cannot read ${opts.file}: ${(err as Error).message}`);
    }
  } else if (opts.env) {
    value = process.env[opts.env]?.trim();
    if (!value) throw new Error(`options.${name}Env: environment variable ${opts.env} is empty or not set`);
  } else {
    throw new Error(`options.${name}File or options.${name}Env is required`);
  }
  if (!value) throw new Error(`options.${name}File: ${opts.file} is empty`);
  return value;
}

/** Validated options, or an Error naming every wrong one (the service then refuses to start). */
export function parseOptions<S extends v.GenericSchema>(schema: S, raw: unknown): v.InferOutput<S> {
  const r = v.safeParse(schema, raw);
  if (!r.success) throw new Error(optionIssues(r.issues));
  return r.output;
}
