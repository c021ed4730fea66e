import type { MerchantSettings } from '../../merchants/settings.ts';
import { Csrf, renderPortal, type PageProps } from './layout.tsx';

export interface WebhookView {
  webhook: MerchantSettings['webhook'];
  canChange: boolean;
  notice?: string;
  error?: string;
  /** Just issued: shown on this answer only. */
  secret?: string;
}

export function webhookPage(p: PageProps & WebhookView): string {
  const { t, locale, session, webhook } = p;
  const disabled = !p.canChange;
  return renderPortal({
    ...p,
    title: t.webhookTitle,
    children: (
      <>
        {p.error && (
          <p class="error" role="alert" id="webhook-error">
            {p.error}
          </p>
        )}
        {p.notice && (
          <p class="notice" role="status">
            {p.notice}
          </p>
        )}
        {p.secret && (
          <div class="notice" role="status">
            <p>{t.newSecret}</p>
            <code class="secret" id="new-secret">
              {p.secret}
            </code>
          </div>
        )}
        {disabled && <p>{t.readOnly}</p>}
        <form method="post" action={`/portal/settings/webhook?lang=${locale}`}>
          <Csrf session={session} />
          <label for="webhook-url">{t.webhookUrl}</label>
          <input
            id="webhook-url"
            name="url"
            type="url"
            value={webhook.url ?? ''}
            disabled={disabled}
            aria-describedby={p.error ? 'webhook-error' : undefined}
          />
          <label class="check">
            <input type="checkbox" name="enabled" value="true" checked={webhook.enabled} disabled={disabled} />
            {t.webhookEnabled}
          </label>
          <label class="check">
            <input
              type="checkbox"
              name="use_signature"
              value="true"
              checked={webhook.useSignature}
              disabled={disabled}
            />
            {t.webhookSign}
          </label>
          <label class="check">
            <input type="checkbox" name="regenerate_secret" value="true" disabled={disabled} />
            {t.webhookRegenerate}
          </label>
          {!disabled && (
            <div>
              <button type="submit">{t.save}</button>
            </div>
          )}
        </form>
        {!disabled && (
          <form method="post" action={`/portal/settings/webhook/test?lang=${locale}`}>
            <Csrf session={session} />
            <button type="submit" class="secondary">
              {t.sendTest}
            </button>
          </form>
        )}
      </>
    ),
  });
}
