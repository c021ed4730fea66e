// npm run vault -- <command>: encryption keys of the vault (card numbers, phones).
// Uses the same configuration (DATA_DIR, PAYEE_CONFIG, PAYEE_KEYS) as the service.
import { randomBytes } from 'node:crypto';
import { loadConfig } from '../config.ts';
import { openDb } from '../db/index.ts';
import { loadKeyring, rotateKeyFile } from '../vault/keyring.ts';
import { keyUsage, reencryptAll } from '../vault/vault.ts';

const HELP = `Usage: npm run vault -- <command>

Commands:
  status        the current key id, every key id, and how many vault records each seals
  rotate        add a new key to DATA_DIR/keys.json and make it current (older keys stay, so
                old records still decrypt), then re-seal every record with it; restart the
                service afterwards so it seals new records with the new key
  reencrypt     re-seal every record not under the current key (after changing PAYEE_KEYS /
                PAYEE_CURRENT_KEY_ID); an old key can be removed once no record uses it
  new-key       print a fresh random key (base64, 32 bytes) for PAYEE_KEYS or the config file
`;

async function main(argv: string[]): Promise<void> {
  const [command] = argv;
  if (command === 'new-key') return void console.log(randomBytes(32).toString('base64'));
  if (!command || command === 'help') return void console.log(HELP);
  const config = loadConfig();
  if (command === 'rotate' && config.keys) {
    throw new Error('keys come from configuration (PAYEE_KEYS or the config file): add a key there (npm run vault -- new-key), make it current with PAYEE_CURRENT_KEY_ID, restart, then run reencrypt');
  }
  if (!['status', 'rotate', 'reencrypt'].includes(command)) throw new Error(`unknown command ${command}\n${HELP}`);
  const db = await openDb(config.dataDir);
  try {
    if (command === 'rotate') console.log(`new current key: ${rotateKeyFile(config.dataDir)}`);
    const keyring = loadKeyring(config);
    if (command !== 'status') console.log(`re-sealed ${await reencryptAll({ db, keyring })} record(s) with key ${keyring.currentId}`);
    const usage = await keyUsage(db);
    console.log(`current key: ${keyring.currentId}`);
    for (const id of keyring.keys.keys()) console.log(`  ${id}: ${usage[id] ?? 0} record(s)`);
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
