// The frame of every portal page: head with the CSRF meta tag, navigation, sign-out form.
import type { ComponentChildren } from 'preact';
import { renderToString } from 'preact-render-to-string';
import type { Session } from '../sessions.ts';
import { fill, type PortalLocale, type PortalText } from '../i18n.ts';

export interface PageProps {
  t: PortalText;
  locale: PortalLocale;
  nonce: string;
  session?: Session;
}

const CSS = `
*{box-sizing:border-box}
body{margin:0;font:16px/1.5 system-ui,sans-serif;color:#1a1a1a;background:#f6f7f9}
a{color:#1d4fb8}
a:focus,button:focus,input:focus,select:focus{outline:3px solid #1d4fb8;outline-offset:2px}
.skip{position:absolute;left:-999px}.skip:focus{left:8px;top:8px;background:#fff;padding:4px}
header{background:#fff;border-bottom:1px solid #d0d4da;padding:8px 16px;display:flex;flex-wrap:wrap;gap:16px;align-items:center}
header nav ul{display:flex;flex-wrap:wrap;gap:4px 16px;list-style:none;margin:0;padding:0}
header .who{margin-left:auto;color:#444}
main{max-width:1100px;margin:0 auto;padding:16px}
form.inline{display:inline}
label{display:block;font-weight:600;margin-top:12px}
label.check{font-weight:400;display:flex;gap:8px;align-items:center}
textarea,input[type=text],input[type=email],input[type=password],input[type=url],input[type=date],input[type=search],select{font:inherit;padding:6px 8px;border:1px solid #767676;border-radius:4px;min-width:16rem;max-width:100%}
button{font:inherit;padding:6px 14px;border:1px solid #1d4fb8;border-radius:4px;background:#1d4fb8;color:#fff;cursor:pointer;margin-top:12px}
button.secondary{background:#fff;color:#1d4fb8}
table{border-collapse:collapse;width:100%;background:#fff;margin:12px 0}
th,td{text-align:left;padding:6px 8px;border-bottom:1px solid #d0d4da;vertical-align:top}
.notice{background:#e8f0fe;border:1px solid #1d4fb8;padding:8px 12px;border-radius:4px}
.error{background:#fdecea;border:1px solid #b3261e;color:#8c1d18;padding:8px 12px;border-radius:4px}
.secret{font-family:ui-monospace,monospace;word-break:break-all;background:#fff;padding:4px 8px;border:1px dashed #767676;display:block}
pre{background:#fff;border:1px solid #d0d4da;padding:8px;overflow:auto}
.preview{border:1px solid #d0d4da;border-radius:8px;background:#fff;padding:16px;max-width:22rem}
.preview .pay{display:block;width:100%;border:0;border-radius:6px;padding:10px;background:var(--accent);color:var(--on-accent);margin-top:12px}
.preview img{max-height:40px}
.filters{display:flex;flex-wrap:wrap;gap:0 16px;align-items:end}
`;

export function Csrf({ session }: { session?: Session }) {
  return session ? <input type="hidden" name="csrf_token" value={session.csrfToken} /> : null;
}

function Header({ t, session, locale }: PageProps) {
  if (!session) return null;
  const other = locale === 'ru' ? 'en' : 'ru';
  return (
    <header>
      <nav aria-label={t.portal}>
        <ul>
          <li>
            <a href={`/portal/payouts?lang=${locale}`}>{t.navPayouts}</a>
          </li>
          <li>
            <a href={`/portal/batches?lang=${locale}`}>{t.navBatches}</a>
          </li>
          <li>
            <a href={`/portal/settings/api?lang=${locale}`}>{t.navApi}</a>
          </li>
          <li>
            <a href={`/portal/settings/webhook?lang=${locale}`}>{t.navWebhook}</a>
          </li>
          <li>
            <a href={`/portal/settings/branding?lang=${locale}`}>{t.navBranding}</a>
          </li>
          <li>
            <a href={`/portal/settings/audit?lang=${locale}`}>{t.navAudit}</a>
          </li>
          <li>
            <a href={`/portal/reference?lang=${locale}`}>{t.navReference}</a>
          </li>
          <li>
            <a href={`?lang=${other}`} lang={other}>
              {t.other}
            </a>
          </li>
        </ul>
      </nav>
      <span class="who">{fill(t.signedInAs, { email: session.user.email })}</span>
      <form method="post" action={`/portal/logout?lang=${locale}`} class="inline">
        <Csrf session={session} />
        <button type="submit" class="secondary">
          {t.signOut}
        </button>
      </form>
    </header>
  );
}

export function renderPortal(
  props: PageProps & { title: string; children: ComponentChildren; refreshSecs?: number },
): string {
  const { t, locale, nonce, session, title, children, refreshSecs } = props;
  return `<!doctype html>${renderToString(
    <html lang={locale}>
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <meta name="referrer" content="no-referrer" />
        {session && <meta name="csrf-token" content={session.csrfToken} />}
        {refreshSecs && <meta http-equiv="refresh" content={String(refreshSecs)} />}
        <title>{`${title} — ${t.portal}`}</title>
        <link rel="icon" href="data:," />
        <style nonce={nonce} dangerouslySetInnerHTML={{ __html: CSS }} />
      </head>
      <body>
        <a class="skip" href="#main">
          {t.skip}
        </a>
        <Header {...props} />
        <main id="main">
          <h1>{title}</h1>
          {children}
        </main>
      </body>
    </html>,
  )}`;
}

/** A time as the portal shows it: UTC, to the second. */
export function when(ms: number | null): string {
  return ms === null ? '' : `${new Date(ms).toISOString().slice(0, 19).replace('T', ' ')} UTC`;
}
