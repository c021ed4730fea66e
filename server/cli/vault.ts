// npm run vault -- <command>: the keys that seal values at rest (card numbers, phones,
// webhook secrets, payout-link tokens).
// Uses the same configuration (DATA_DIR, PAYEE_CONFIG, PAYEE_KEYS) as the service.
import { randomBytes } from 'node:crypto';
import { loadConfig } from '../config.ts';
import { openDb } from '../db/index.ts';
import { loadKeyring, rotateKeyFile } from '../vault/keyring.ts';
import { keyUsage, resealAll } from '../vault/reseal.ts';

const HELP = `Usage: npm run vault -- <command>

Commands:
  status        the current key id, every key id, and how many sealed values each seals
                (card numbers and phones, webhook secrets, payout-link tokens)
  rotate        add a new key to DATA_DIR/keys.json and make it current (older keys stay, so
                old values still decrypt), then re-seal every value with it; restart the
                service afterwards so it seals new values with the new key, then run
                reencrypt once more for what it sealed before the restart
  reencrypt     re-seal every value not under the current key (after changing PAYEE_KEYS /
                PAYEE_CURRENT_KEY_ID and restarting); an old key can be removed once status
                shows 0 values under it
  new-key       print a fresh random key (base64, 32 bytes) for PAYEE_KEYS,
                PAYEE_FINGERPRINT_KEY or the config file
`;

async function main(argv: string[]): Promise<void> {
  const [command] = argv;
  if (command === 'new-key') return void console.log(randomBytes(32).toString('base64'));
  if (!command || command === 'help') return void console.log(HELP);
  const config = loadConfig();
  if (command === 'rotate' && config.keys) {
    throw new Error(
      'keys come from configuration (PAYEE_KEYS or the config file): add a key there (npm run vault -- new-key), make it current with PAYEE_CURRENT_KEY_ID, restart, then run reencrypt',
    );
  }
  if (!['status', 'rotate', 'reencrypt'].includes(command)) throw new Error(`unknown command ${command}\n${HELP}`);
  const db = await openDb(config);
  try {
    if (command === 'rotate') console.log(`new current key: ${rotateKeyFile(config.dataDir)}`);
    const keyring = loadKeyring(config);
    if (command !== 'status')
      console.log(`re-sealed ${await resealAll(db, keyring)} value(s) with key ${keyring.currentId}`);
    const usage = await keyUsage(db, keyring);
    console.log(`current key: ${keyring.currentId}`);
    for (const id of keyring.keys.keys()) console.log(`  ${id}: ${usage[id]} value(s)`);
    if (usage.unknown)
      console.log(
        `  under keys not configured: ${usage.unknown} value(s); they cannot be decrypted until that key is back`,
      );
  } finally {
    await db.destroy();
  }
}

try {
  await main(process.argv.slice(2));
} catch (err) {
  console.error(`vault: ${(err as Error).message}`);
  process.exitCode = 1;
}
