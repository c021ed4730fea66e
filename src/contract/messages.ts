// Every language's texts by locale (src/contract/locales/), for the server: it renders the
// page and hands the browser only the strings of the page's language.
import type { Locale, LocalePack, Messages } from './i18n.ts';
import * as ru from './locales/ru.ts';
import * as en from './locales/en.ts';
import * as uz from './locales/uz.ts';
import * as kk from './locales/kk.ts';
import * as ky from './locales/ky.ts';
import * as tg from './locales/tg.ts';

export const PACKS: Record<Locale, LocalePack> = { ru, en, uz, kk, ky, tg };

export const MESSAGES: Record<Locale, Messages> = {
  ru: ru.messages,
  en: en.messages,
  uz: uz.messages,
  kk: kk.messages,
  ky: ky.messages,
  tg: tg.messages,
};
