// Other names people search banks by: former names (Тинькофф is T-Bank since 2024), short
// names and abbreviations, and Latin spellings of the Russian names. The server adds them
// to the bank list it sends the page (server/page/banks.tsx), so the search on the phone
// stays a plain substring match (bank-search.ts) and ships no transliteration code.
//
// Sources: the banks' own announcements of their renamings (Tinkoff → T-Bank, 2024; Otkritie
// joined VTB, 2025; Yandex.Money → YooMoney, 2020; Wildberries Bank was Standartny Kredit;
// Promsvyazbank → PSB), and the abbreviations the banks use themselves (МКБ, РСХБ, ГПБ, АТБ, БСПБ).
import type { Bank } from './bank-search.ts';
import { foldName } from './bank-search.ts';

/** By NSPK member id. Add a name here when recipients search for a bank by it. */
export const BANK_ALIASES: Readonly<Record<string, readonly string[]>> = {
  '100000000004': ['Тинькофф', 'Тинькофф Банк', 'Tinkoff', 'ТКС Банк', 'TCS Bank'],
  '100000000005': ['ВТБ 24', 'ВТБ24', 'Банк Открытие', 'Открытие', 'Otkritie'],
  '100000000111': ['Сбер', 'Sber'],
  '100000000010': ['Промсвязьбанк', 'Promsvyazbank'],
  '100000000025': ['МКБ', 'MKB', 'Moscow Credit Bank'],
  '100000000020': ['РСХБ', 'RSHB'],
  '100000000001': ['ГПБ', 'GPB'],
  '100000000006': ['Акбарс', 'Akbars'],
  '100000000007': ['Райф', 'Raif'],
  '100000000013': ['Халва', 'Halva'],
  '100000000022': ['ЮMoney', 'Яндекс.Деньги', 'Yandex.Money'],
  '100000000029': ['БСПБ', 'BSPB'],
  '100000000031': ['Уральский банк реконструкции и развития'],
  '100000000032': ['Renaissance Credit'],
  '100000000108': ['АТБ', 'ATB'],
  '100000000259': ['Вайлдберриз', 'Wildberries', 'Стандарт Кредит'],
  '100000000284': ['Точка'],
};

// Two common ways to write Russian in Latin letters: the passport one (kh, ts, y) and the
// short one people type (h, c, i).
const PASSPORT: Record<string, string> = {
  а: 'a',
  б: 'b',
  в: 'v',
  г: 'g',
  д: 'd',
  е: 'e',
  ж: 'zh',
  з: 'z',
  и: 'i',
  й: 'y',
  к: 'k',
  л: 'l',
  м: 'm',
  н: 'n',
  о: 'o',
  п: 'p',
  р: 'r',
  с: 's',
  т: 't',
  у: 'u',
  ф: 'f',
  х: 'kh',
  ц: 'ts',
  ч: 'ch',
  ш: 'sh',
  щ: 'shch',
  ъ: '',
  ы: 'y',
  ь: '',
  э: 'e',
  ю: 'yu',
  я: 'ya',
};
const SHORT: Record<string, string> = { ...PASSPORT, й: 'i', х: 'h', ц: 'c', щ: 'sch', ы: 'i' };

/** The folded name in Latin letters. */
export function latin(name: string, table: Record<string, string> = PASSPORT): string {
  return [...foldName(name)].map((ch) => table[ch] ?? ch).join('');
}

/** Everything a bank is found by beyond its two names: aliases and Latin spellings, folded, without repeats. */
export function searchKeys(bank: Bank): string[] {
  const names = [bank.nameRu, ...(BANK_ALIASES[bank.id] ?? [])];
  const keys = new Set([...names, ...names.flatMap((n) => [latin(n), latin(n, SHORT)])].map(foldName));
  keys.delete(foldName(bank.nameRu));
  keys.delete(foldName(bank.nameEn));
  keys.delete('');
  return [...keys];
}
