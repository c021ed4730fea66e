import type { MerchantSettings } from '../../merchants/settings.ts';
import { accentCss, DEFAULT_ACCENT } from '../../page/theme.ts';
import { Csrf, renderPortal, type PageProps } from './layout.tsx';

export interface BrandingView {
  settings: MerchantSettings;
  /** What was sent, shown again when refused. */
  values?: Record<string, string>;
  canChange: boolean;
  notice?: string;
  error?: string;
}

/** The preview follows the form as it is typed: a few lines, not the recipient page's bundle. */
const PREVIEW_SCRIPT = `
const f = document.getElementById('branding');
const name = document.getElementById('preview-name');
const logo = document.getElementById('preview-logo');
const box = document.getElementById('preview');
function show() {
  name.textContent = f.displayName.value;
  const c = f.accentColor.value;
  if (/^#[0-9a-fA-F]{6}$/.test(c)) {
    const lum = (h) => { const v = parseInt(h, 16) / 255; return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4; };
    const L = 0.2126 * lum(c.slice(1, 3)) + 0.7152 * lum(c.slice(3, 5)) + 0.0722 * lum(c.slice(5, 7));
    box.style.setProperty('--accent', c);
    box.style.setProperty('--on-accent', (1.05 / (L + 0.05)) >= ((L + 0.05) / 0.05) ? '#fff' : '#000');
  }
  logo.hidden = !/^https?:\\/\\//.test(f.logoUrl.value);
  if (!logo.hidden) logo.src = f.logoUrl.value;
}
f.addEventListener('input', show);
`;

export function brandingPage(p: PageProps & BrandingView): string {
  const { t, locale, session, settings, nonce } = p;
  const value = (name: string, fallback: string) => p.values?.[name] ?? fallback;
  const disabled = !p.canChange;
  const area = (name: 'returnOrigins' | 'frameAncestors' | 'appSchemes') => (
    <>
      <label for={`b-${name}`}>{t[name]}</label>
      <textarea id={`b-${name}`} name={name} rows={3} cols={50} disabled={disabled}>
        {value(name, settings[name].join('\n'))}
      </textarea>
    </>
  );
  const accent = value('accentColor', settings.accentColor ?? DEFAULT_ACCENT);
  const logo = value('logoUrl', settings.logoUrl ?? '');
  return renderPortal({
    ...p,
    title: t.brandingTitle,
    children: (
      <>
        {p.error && (
          <p class="error" role="alert">
            {p.error}
          </p>
        )}
        {p.notice && (
          <p class="notice" role="status">
            {p.notice}
          </p>
        )}
        {disabled && <p>{t.readOnly}</p>}
        <form id="branding" method="post" action={`/portal/settings/branding?lang=${locale}`}>
          <Csrf session={session} />
          <label for="b-displayName">{t.displayName}</label>
          <input
            id="b-displayName"
            name="displayName"
            type="text"
            maxLength={80}
            value={value('displayName', settings.displayName ?? '')}
            disabled={disabled}
          />
          <label for="b-logoUrl">{t.logoUrl}</label>
          <input id="b-logoUrl" name="logoUrl" type="url" value={logo} disabled={disabled} />
          <label for="b-accentColor">{t.accentColor}</label>
          <input id="b-accentColor" name="accentColor" type="color" value={accent} disabled={disabled} />
          {area('returnOrigins')}
          {area('frameAncestors')}
          {area('appSchemes')}
          {!disabled && (
            <div>
              <button type="submit">{t.save}</button>
            </div>
          )}
        </form>
        <h2>{t.preview}</h2>
        <style nonce={nonce} dangerouslySetInnerHTML={{ __html: accentCss(accent).replace(':root', '#preview') }} />
        <div class="preview" id="preview">
          <img id="preview-logo" src={logo || undefined} alt="" hidden={!logo} />
          <p>
            {t.previewPays} <strong id="preview-name">{value('displayName', settings.displayName ?? '')}</strong>
          </p>
          <span class="pay" aria-hidden="true">
            {t.previewButton}
          </span>
        </div>
        <script nonce={nonce} dangerouslySetInnerHTML={{ __html: PREVIEW_SCRIPT }} />
      </>
    ),
  });
}
