// The whole HTML document of the recipient page: the widget's markup rendered on the
// server, its CSS inlined, its data for hydration, and the one script tag.
import { renderToString } from 'preact-render-to-string';
import type { PageData } from '../../src/contract/page.ts';
import { App } from '../../src/widget/app.tsx';
import * as enhance from '../../src/widget/enhance.ts';
import { pageAssets } from './assets.ts';
import { accentCss } from './theme.ts';

export interface RenderOptions {
  data: PageData;
  nonce: string;
  accentColor?: string;
  /** The bank <select>'s options, when SBP is on offer. */
  bankOptions?: string;
  /** The language switcher (languages.tsx). */
  languages?: string;
  /** The loader's theme in a merchant's frame (theme.ts frameTheme). */
  themeCss?: string;
}

/** JSON inside <script>: nothing in it may close the element or start a comment. */
function scriptJson(value: unknown): string {
  return JSON.stringify(value)
    .replace(/</g, '\\u003c')
    .replace(/\u2028/g, '\\u2028')
    .replace(/\u2029/g, '\\u2029');
}

function title(data: PageData): string {
  const v = data.view;
  if (v.kind === 'notFound') return data.t.notFound;
  if (v.kind === 'expired') return data.t.expired;
  return `${data.t.pays} ${data.merchant.name}: ${data.amount}`;
}

/** Without a script, the page refreshes itself while the payout is under way and goes back to the merchant when it is over. */
function noscriptRefresh(data: PageData): string | null {
  const v = data.view;
  if (v.kind === 'progress') return '2';
  // In a frame the merchant's page must not load inside it: the "go now" link opens it in the top window.
  if ((v.kind === 'done' || v.kind === 'expired') && v.leave && !data.embed?.compact) return `5;url=${v.leave.url}`;
  return null;
}

/**
 * A plain form post that must end on another site (a hand-off provider's page): a redirect
 * there would break the CSP's form-action 'self', so this page moves on by itself.
 */
export function renderOnward(url: string, data: Pick<PageData, 'locale' | 't'>): string {
  return `<!doctype html>${renderToString(
    <html lang={data.locale}>
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <meta http-equiv="refresh" content={`0;url=${url}`} />
        <title>{data.t.goNow}</title>
      </head>
      <body>
        <p>
          <a href={url}>{data.t.goNow}</a>
        </p>
      </body>
    </html>,
  )}`;
}

/** The same data with `now` as its first key. */
function nowFirst({ now, ...rest }: PageData): PageData {
  return { now, ...rest };
}

export function renderPage({
  data,
  nonce,
  accentColor,
  bankOptions = '',
  languages = '',
  themeCss = '',
}: RenderOptions): string {
  const assets = pageAssets();
  const refresh = noscriptRefresh(data);
  // The form inlines only its own CSS; the enhancements' comes after the content, for when they arrive.
  const form = data.view.kind === 'form';
  const head = renderToString(
    <>
      <meta charset="utf-8" />
      <meta name="viewport" content="width=device-width, initial-scale=1" />
      <meta name="color-scheme" content="light dark" />
      <meta name="referrer" content="no-referrer" />
      <title>{title(data)}</title>
      <link rel="icon" href="data:," />
      {/* The script's nonce right before the style's: one hole in the kept page (server/page/page-cache.ts). */}
      <script type="module" src={assets.script} nonce={nonce} />
      <style
        nonce={nonce}
        dangerouslySetInnerHTML={{
          __html: assets.css + (form ? '' : assets.enhanceCss.text) + accentCss(accentColor) + themeCss,
        }}
      />
      {refresh && (
        <noscript>
          <meta http-equiv="refresh" content={refresh} />
        </noscript>
      )}
      {assets.preload.map((href) => (
        <link rel="modulepreload" href={href} />
      ))}
    </>,
  );
  // The browser hydrates a form without the enhancements (they load after) and anything else with them.
  const body = renderToString(
    <App data={data} bankOptions={bankOptions} languages={languages} enhance={form ? null : enhance} />,
  );
  return (
    `<!doctype html><html lang="${data.locale}"${data.embed?.compact ? ' class="embedded"' : ''}><head>${head}</head><body>` +
    `<div id="app">${body}</div>` +
    // The server time first, next to the nonce: one hole in the kept page.
    `<script type="application/json" id="page-data" nonce="${nonce}">${scriptJson(nowFirst(data))}</script>` +
    (form ? `<link rel="stylesheet" href="${assets.enhanceCss.url}">` : '') +
    `</body></html>`
  );
}
