// The language switcher: the page in each other language, each named in itself, as links
// that keep the page's path. Rendered here only: the browser keeps it as it came.
import { renderToString } from 'preact-render-to-string';
import { LANGUAGE_NAMES, LOCALES, type Locale } from '../../src/contract/i18n.ts';

export function languagesHtml(path: string, locale: Locale, label: string): string {
  return renderToString(
    <nav aria-label={label}>
      {LOCALES.filter((l) => l !== locale).map((l) => (
        <a href={`${path}?lang=${l}`} lang={l} hreflang={l}>
          {LANGUAGE_NAMES[l]}
        </a>
      ))}
    </nav>,
  );
}
