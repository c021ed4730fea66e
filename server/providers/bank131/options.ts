// The options of a Bank 131 instance. Keys come from files or environment variables,
// never from the configuration itself.
import { readFileSync } from 'node:fs';
import type { KeyObject } from 'node:crypto';
import * as v from 'valibot';
import { parseOptions } from '../options.ts';
import { rsaPrivateKey, rsaPublicKey } from './signature.ts';

const EnvName = v.pipe(v.string(), v.regex(/^[A-Za-z_][A-Za-z0-9_]*$/, 'must be an environment variable name'));
const FilePath = v.pipe(v.string(), v.nonEmpty('must be a file path'));
const Kopecks = v.pipe(v.number(), v.integer('must be an integer number of kopecks'), v.minValue(1, 'must be ≥ 1'));

const OptionsSchema = v.pipe(
  v.strictObject({
    /** https://demo.bank131.ru or https://proxy.bank131.ru; paths /api/v1/… are added. */
    baseUrl: v.pipe(
      v.string('is required'),
      v.url('must be an absolute URL'),
      v.regex(/^https?:\/\//, 'must be http(s)'),
    ),
    /** X-PARTNER-PROJECT, as given by the bank. */
    project: v.pipe(v.string('is required'), v.nonEmpty('must not be empty')),
    /** Our RSA private key (PEM): a file, or the name of an environment variable that holds it. */
    privateKeyFile: v.optional(FilePath),
    privateKeyEnv: v.optional(EnvName),
    /** The bank's RSA public key (PEM) for webhook signatures: a file or an environment variable name. */
    bankPublicKeyFile: v.optional(FilePath),
    bankPublicKeyEnv: v.optional(EnvName),
    /** `create_start` (session/create + session/start/payout, the bank's recommendation) or `init` (session/init/payout). */
    flow: v.optional(v.picklist(['init', 'create_start'], 'must be "init" or "create_start"'), 'create_start'),
    /** Per request; a request that runs out of time leaves the outcome unknown until reconciled. */
    timeoutMs: v.optional(
      v.pipe(
        v.number(),
        v.integer('must be an integer'),
        v.minValue(100, 'must be ≥ 100'),
        v.maxValue(120_000, 'must be ≤ 120000'),
      ),
      15_000,
    ),
    minAmount: v.optional(Kopecks, 100),
    maxAmount: v.optional(Kopecks, 60_000_000),
    /** Text for SBP payouts without a description of their own ({orderId} is replaced); at most 140 characters are sent. */
    sbpDescription: v.optional(v.pipe(v.string(), v.nonEmpty()), 'Payout {orderId}'),
  }),
  v.check(
    (o) => !!o.privateKeyFile !== !!o.privateKeyEnv,
    'exactly one of privateKeyFile or privateKeyEnv is required',
  ),
  v.check(
    (o) => !!o.bankPublicKeyFile !== !!o.bankPublicKeyEnv,
    'exactly one of bankPublicKeyFile or bankPublicKeyEnv is required',
  ),
  v.check((o) => o.minAmount <= o.maxAmount, 'minAmount must not exceed maxAmount'),
);

export type Bank131Options = v.InferOutput<typeof OptionsSchema>;

export interface Bank131Settings extends Bank131Options {
  privateKey: KeyObject;
  bankPublicKey: KeyObject;
}

/** Validates the options and loads both keys; throws an Error naming what is wrong. */
export function loadSettings(raw: Record<string, unknown>, env: NodeJS.ProcessEnv = process.env): Bank131Settings {
  const o = parseOptions(OptionsSchema, raw);
  const privatePem = readPem(o.privateKeyFile, o.privateKeyEnv, 'privateKey', env);
  const bankPem = readPem(o.bankPublicKeyFile, o.bankPublicKeyEnv, 'bankPublicKey', env);
  return {
    ...o,
    baseUrl: o.baseUrl.replace(/\/+$/, ''),
    privateKey: rsaPrivateKey(privatePem, o.privateKeyFile ? 'options.privateKeyFile' : 'options.privateKeyEnv'),
    bankPublicKey: rsaPublicKey(
      bankPem,
      o.bankPublicKeyFile ? 'options.bankPublicKeyFile' : 'options.bankPublicKeyEnv',
    ),
  };
}

function readPem(file: string | undefined, envName: string | undefined, what: string, env: NodeJS.ProcessEnv): string {
  if (file) {
    try {
      return readFileSync(file, 'utf8');
    } catch (err) {
      throw new Error(
        `options.${what}File: cannot read ${file} (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})`,
      );
    }
  }
  const value = env[envName!];
  if (!value) throw new Error(`options.${what}Env: environment variable ${envName} is not set`);
  return value;
}
