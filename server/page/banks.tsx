// The SBP bank list for the page: <option>s for the server-rendered <select>, and the
// list with both languages' names as JSON for the combobox's search, at a URL that
// changes with its content (so it can be cached for good).
import { createHash } from 'node:crypto';
import { renderToString } from 'preact-render-to-string';
import type { Handler } from 'hono';
import { sortBanks } from '../../src/contract/bank-search.ts';
import { BANKS } from '../../src/contract/banks.ts';
import { searchKeys } from '../../src/contract/bank-aliases.ts';
import { latinBankNames, LOCALES, type Locale, type Messages } from '../../src/contract/i18n.ts';
import { encode, pickEncoding } from '../http/compress.ts';
import { IMMUTABLE } from '../http/static.ts';

/** The list in the order the picker shows it (by Russian or by English name), with the other names to search by. */
const searchable = BANKS.map((b) => {
  const keys = searchKeys(b);
  return keys.length ? { ...b, keys } : b;
});
const lists = Object.fromEntries(
  LOCALES.map((l) => [l, JSON.stringify(latinBankNames(l) ? sortBanks(searchable, 'nameEn') : searchable)]),
) as Record<Locale, string>;
const hash = createHash('sha256').update(lists.ru).digest('base64url').slice(0, 10);

export const BANKS_PATH = '/banks';
export const banksUrl = (locale: Locale) => `${BANKS_PATH}/sbp-${locale}.${hash}.json`;

const encoded = new Map<string, Uint8Array>();

export const banksJson: Handler = (c) => {
  const locale = LOCALES.find((l) => c.req.path === banksUrl(l));
  if (!locale) return c.text('Not found', 404);
  const encoding = pickEncoding(c.req.header('accept-encoding'));
  const key = `${locale}:${encoding}`;
  let body = encoded.get(key);
  if (!body) encoded.set(key, (body = encode(lists[locale], encoding)));
  c.header('Content-Type', 'application/json');
  c.header('Cache-Control', IMMUTABLE);
  c.header('Vary', 'Accept-Encoding');
  if (encoding !== 'identity') c.header('Content-Encoding', encoding);
  return c.body(body as Uint8Array<ArrayBuffer>);
};

const plain = new Map<Locale, string>();

/** Popular banks first, then the rest; names in the page's script (English names for Latin-script languages). */
export function bankOptionsHtml(locale: Locale, t: Messages, selected?: string): string {
  if (selected) return renderOptions(locale, t, selected);
  let html = plain.get(locale);
  if (!html) plain.set(locale, (html = renderOptions(locale, t)));
  return html;
}

function renderOptions(locale: Locale, t: Messages, selected?: string): string {
  const latin = latinBankNames(locale);
  const name = (b: (typeof BANKS)[number]) => (latin ? b.nameEn : b.nameRu);
  const option = (b: (typeof BANKS)[number]) => (
    <option value={b.id} selected={b.id === selected}>
      {name(b)}
    </option>
  );
  const banks = latin ? sortBanks(BANKS, 'nameEn') : BANKS;
  return renderToString(
    <>
      <option value="">{t.bankChoose}</option>
      <optgroup label={t.bankPopular}>{banks.filter((b) => b.popular).map(option)}</optgroup>
      <optgroup label={t.bankAll}>{banks.filter((b) => !b.popular).map(option)}</optgroup>
    </>,
  );
}
