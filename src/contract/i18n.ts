// The page's languages: which there are, how the page picks one, and the shape of their
// texts. The texts themselves are in ./locales/, one file per language, gathered by
// messages.ts (the server's): the browser gets only the strings of its page's language.
//
// To add a language: copy locales/en.ts to locales/<code>.ts, translate it, add it to
// LOCALES and LANGUAGE_NAMES here and to PACKS in messages.ts, and say in its first comment
// where its wording comes from. The type checker finds any key left out.
import type { FailureCode } from './failure.ts';

export const LOCALES = ['ru', 'en', 'uz', 'kk', 'ky', 'tg'] as const;
export type Locale = (typeof LOCALES)[number];

export type Messages = typeof import('./locales/ru.ts').messages;
export type MessageKey = keyof Messages;
/** Words for the recipient by failure reason (src/contract/failure.ts). */
export type FailureNotes = Partial<Record<FailureCode, string>>;

export interface LocalePack {
  messages: Messages;
  failureNotes: FailureNotes;
  anotherTry: FailureNotes;
}

/** Each language by its own name, for the language switcher. */
export const LANGUAGE_NAMES: Record<Locale, string> = {
  ru: 'Русский',
  en: 'English',
  uz: 'Oʻzbekcha',
  kk: 'Қазақша',
  ky: 'Кыргызча',
  tg: 'Тоҷикӣ',
};

/** Languages written in Latin letters name the banks by their English names. */
export const latinBankNames = (locale: string): boolean => locale === 'en' || locale === 'uz';

export function isLocale(lang: string | undefined): lang is Locale {
  return (LOCALES as readonly string[]).includes(lang ?? '');
}

/** `?lang=` wins, then the first supported language of Accept-Language by weight, then Russian. */
export function pickLocale(lang: string | undefined, acceptLanguage: string | undefined): Locale {
  if (isLocale(lang)) return lang;
  const ranked = (acceptLanguage ?? '')
    .split(',')
    .map((part, i) => {
      const [tag = '', ...params] = part.trim().toLowerCase().split(';');
      const q = params.map((p) => /^\s*q=([\d.]+)\s*$/.exec(p)?.[1]).find(Boolean);
      return { lang: tag.split('-')[0], q: q === undefined ? 1 : Number(q), i };
    })
    .filter((x) => x.q > 0)
    .sort((a, b) => b.q - a.q || a.i - b.i);
  const hit = ranked.find((x) => isLocale(x.lang));
  return (hit?.lang as Locale | undefined) ?? 'ru';
}

/** Fills {name} placeholders. */
export function fill(text: string, vars: Record<string, string | number>): string {
  return text.replace(/\{(\w+)\}/g, (m, k: string) => (k in vars ? String(vars[k]) : m));
}
