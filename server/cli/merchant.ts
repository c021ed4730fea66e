// npm run merchant -- <command> [options]: create and manage merchants.
// Uses the same configuration (DATA_DIR, PAYEE_CONFIG, keys) as the service.
import { parseArgs } from 'node:util';
import * as v from 'valibot';
import { loadConfig, type Config } from '../config.ts';
import { openDb, type Db } from '../db/index.ts';
import { loadKeyring } from '../vault/keyring.ts';
import {
  createMerchant,
  getMerchant,
  listMerchants,
  rotateApiToken,
  rotateWebhookSecret,
  setMerchantActive,
  updateMerchantSettings,
  type Merchant,
} from '../merchants/store.ts';
import { listDestinations, revokeDestination } from '../merchants/destinations.ts';
import { settingsContext, type MerchantSettings } from '../merchants/settings.ts';
import type { PortalRole } from '../db/schema.ts';
import { addUser } from '../portal/users.ts';

/** Everything on standard input (a password piped in, never an argument that `ps` would show). */
async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

const HELP = `Usage: npm run merchant -- <command> [options]

Commands:
  create --name NAME [settings]     create a merchant; prints its API token and webhook secret once
  update ID [settings]              change settings (a list option replaces that whole list)
  list                              list merchants
  show ID                           show one merchant's settings
  rotate-token ID                   issue a new API token (the old one stops working)
  rotate-webhook-secret ID          issue a new webhook signing secret
  disable ID | enable ID            refuse or accept the merchant's API calls
  destinations ID                   list the merchant's saved cards (token, masked card, recipient id, use, revoked)
  revoke-destination ID TOKEN       refuse that destination token from now on; its card is no longer offered
  add-user ID --email EMAIL [--role owner|admin|viewer]
                                    add a portal user (/portal/login) to the merchant; the password
                                    (at least 12 characters) is read from standard input. Owners and
                                    admins change settings, viewers only look (default: owner)

Settings:
  --display-name TEXT               name shown to recipients (default: --name)
  --logo-url URL                    logo shown on the page
  --accent-color #RRGGBB            accent colour of the page
  --return-origin ORIGIN            allowed origin for returnUrl/failUrl (repeatable; https, http only for localhost)
  --app-scheme SCHEME               allowed app scheme for mobile returns, e.g. myapp (repeatable)
  --frame-ancestor ORIGIN           origin allowed to embed the page in an iframe (repeatable)
  --webhook-url URL                 where payout.status_changed events are sent (turns webhooks on)
  --webhook-off | --webhook-on      turn webhook delivery off or on
  --unsigned-webhooks               do not sign webhooks (signing is on by default)
  --type card|sbp                   enabled payout types (repeatable; default both)
  --route TYPE:CHANNEL:PROVIDER     route payouts of TYPE sent with CHANNEL to a provider instance (repeatable);
                                    the first route of a type is its default. Default in development:
                                    card:vtb:sandbox and sbp:vtb:sandbox
  --max-tries N                     cards or phones a recipient may give on one link when the provider
                                    refuses the previous ones (1-10; default 3; 1: no other try)
  --extended-statuses               report a refund as status "refunded" (API and webhooks)
  --seed-statuses                   only the six statuses of the Quantum Payouts API (the default):
                                    a refunded payout stays "success" with a "refund" field
  --id ID                           merchant id to use on create (default: random)
`;

const options = {
  name: { type: 'string' },
  id: { type: 'string' },
  'display-name': { type: 'string' },
  'logo-url': { type: 'string' },
  'accent-color': { type: 'string' },
  'return-origin': { type: 'string', multiple: true },
  'app-scheme': { type: 'string', multiple: true },
  'frame-ancestor': { type: 'string', multiple: true },
  'webhook-url': { type: 'string' },
  'webhook-off': { type: 'boolean' },
  'webhook-on': { type: 'boolean' },
  'unsigned-webhooks': { type: 'boolean' },
  type: { type: 'string', multiple: true },
  route: { type: 'string', multiple: true },
  'max-tries': { type: 'string' },
  'extended-statuses': { type: 'boolean' },
  'seed-statuses': { type: 'boolean' },
  email: { type: 'string' },
  role: { type: 'string' },
  help: { type: 'boolean', short: 'h' },
} as const;

type Values = ReturnType<typeof parseArgs<{ options: typeof options; allowPositionals: true }>>['values'];

/** Only the settings named on the command line, so `update` leaves the rest alone. */
function settingsFrom(values: Values, current?: MerchantSettings): Partial<MerchantSettings> {
  const patch: Record<string, unknown> = {};
  if (values['display-name']) patch.displayName = values['display-name'];
  if (values['logo-url']) patch.logoUrl = values['logo-url'];
  if (values['accent-color']) patch.accentColor = values['accent-color'];
  if (values['return-origin']) patch.returnOrigins = values['return-origin'];
  if (values['app-scheme']) patch.appSchemes = values['app-scheme'];
  if (values['frame-ancestor']) patch.frameAncestors = values['frame-ancestor'];
  if (values.type) patch.payoutTypes = values.type;
  if (values.route) {
    patch.routes = values.route.map((r) => {
      const [type, channel, provider, ...rest] = r.split(':');
      if (!type || !channel || !provider || rest.length)
        throw new Error(`--route ${r}: expected TYPE:CHANNEL:PROVIDER`);
      return { type, channel, provider };
    });
  }
  if (values['extended-statuses'] && values['seed-statuses'])
    throw new Error('--extended-statuses and --seed-statuses: choose one');
  // Checked with the other settings (a word here becomes NaN and is refused there).
  if (values['max-tries']) patch.maxTries = Number(values['max-tries']);
  if (values['extended-statuses']) patch.extendedStatuses = true;
  if (values['seed-statuses']) patch.extendedStatuses = false;
  const webhook = { ...(current?.webhook ?? { enabled: false, useSignature: true }) };
  if (values['webhook-url']) Object.assign(webhook, { url: values['webhook-url'], enabled: true });
  if (values['webhook-off']) webhook.enabled = false;
  if (values['webhook-on']) webhook.enabled = true;
  if (values['unsigned-webhooks']) webhook.useSignature = false;
  if (values['webhook-url'] || values['webhook-off'] || values['webhook-on'] || values['unsigned-webhooks'])
    patch.webhook = webhook;
  return patch as Partial<MerchantSettings>;
}

function describe(m: Merchant): string {
  return JSON.stringify({ id: m.id, name: m.name, active: m.active, settings: m.settings }, null, 2);
}

async function run(argv: string[], db: Db, config: Config, keyring: ReturnType<typeof loadKeyring>): Promise<void> {
  const { values, positionals } = parseArgs({ args: argv, options, allowPositionals: true });
  const unknownProvider = values.route?.map((r) => r.split(':')[2]).find((p) => p && !config.providers[p]);
  if (unknownProvider) throw new Error(`--route: no provider instance "${unknownProvider}" in the configuration`);
  const [command, id, arg] = positionals;
  const need = async (merchantId: string | undefined) => {
    const m = merchantId ? await getMerchant(db, merchantId) : undefined;
    if (!m) throw new Error(merchantId ? `no merchant ${merchantId}` : 'give the merchant id');
    return m;
  };

  switch (command) {
    case 'create': {
      if (!values.name) throw new Error('--name is required');
      const settings = settingsFrom(values);
      settings.displayName ??= values.name;
      if (!settings.routes && config.environment === 'development') {
        settings.routes = [
          { type: 'card', channel: 'vtb', provider: 'sandbox' },
          { type: 'sbp', channel: 'vtb', provider: 'sandbox' },
        ];
      }
      const created = await createMerchant(
        db,
        keyring,
        { name: values.name, settings, id: values.id },
        settingsContext(config),
      );
      console.log(describe(created.merchant));
      console.log(`API token (shown once): ${created.token}`);
      console.log(`Webhook secret (shown once): ${created.webhookSecret}`);
      if (created.merchant.settings.routes.length === 0) {
        console.log('No provider routes yet: add --route TYPE:CHANNEL:PROVIDER with `update` before creating payouts.');
      }
      return;
    }
    case 'update': {
      const m = await need(id);
      const updated = await updateMerchantSettings(
        db,
        m.id,
        settingsFrom(values, m.settings),
        settingsContext(config),
        values.name,
      );
      console.log(describe(updated));
      return;
    }
    case 'list':
      for (const m of await listMerchants(db)) console.log(`${m.id}\t${m.active ? 'active' : 'disabled'}\t${m.name}`);
      return;
    case 'show':
      console.log(describe(await need(id)));
      return;
    case 'rotate-token':
      console.log(`API token (shown once): ${await rotateApiToken(db, (await need(id)).id)}`);
      return;
    case 'rotate-webhook-secret':
      console.log(`Webhook secret (shown once): ${await rotateWebhookSecret(db, keyring, (await need(id)).id)}`);
      return;
    case 'add-user': {
      const m = await need(id);
      if (!values.email) throw new Error('--email is required');
      const password = (await readStdin()).replace(/\r?\n$/, '');
      const added = await addUser(
        db,
        { merchantId: m.id, email: values.email, role: (values.role ?? 'owner') as PortalRole, password },
        Date.now(),
      );
      if (!added.ok) throw new Error(added.reason);
      console.log(`portal user ${added.user.email} (${added.user.role}) added to ${m.id}`);
      return;
    }
    case 'disable':
    case 'enable':
      await setMerchantActive(db, (await need(id)).id, command === 'enable');
      console.log(`${id} ${command}d`);
      return;
    case 'destinations':
      for (const d of await listDestinations(db, (await need(id)).id)) {
        const when = (ms: number | null) => (ms === null ? '-' : new Date(ms).toISOString());
        const state = d.revoked_at === null ? 'live' : `revoked ${when(d.revoked_at)}`;
        console.log([d.token, d.masked_pan, d.recipient_ref ?? '-', `used ${when(d.last_used_at)}`, state].join('\t'));
      }
      return;
    case 'revoke-destination': {
      const m = await need(id);
      if (!arg) throw new Error('give the destination token');
      if (!(await revokeDestination(db, m.id, arg, Date.now())))
        throw new Error(`${m.id} has no live destination ${arg}`);
      console.log(`${arg} revoked`);
      return;
    }
    default:
      console.log(HELP);
      if (command && command !== 'help') throw new Error(`unknown command ${command}`);
  }
}

const config = loadConfig();
const db = await openDb(config);
try {
  await run(process.argv.slice(2), db, config, loadKeyring(config));
} catch (err) {
  const message =
    err instanceof v.ValiError
      ? err.issues.map((i) => `${v.getDotPath(i) ?? ''} ${i.message}`).join('; ')
      : (err as Error).message;
  console.error(`merchant: ${message}`);
  process.exitCode = 1;
} finally {
  await db.destroy();
}
