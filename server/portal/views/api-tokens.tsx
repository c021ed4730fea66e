import type { ApiTokenInfo } from '../../merchants/api-tokens.ts';
import { fill } from '../i18n.ts';
import { Csrf, renderPortal, when, type PageProps } from './layout.tsx';

export interface ApiTokensView {
  tokens: ApiTokenInfo[];
  canChange: boolean;
  /** Just created: shown on this answer only. */
  created?: { name: string; token: string };
  notice?: string;
  error?: string;
}

export function apiTokensPage(p: PageProps & ApiTokensView): string {
  const { t, locale, session } = p;
  return renderPortal({
    ...p,
    title: t.apiTitle,
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
        {p.created && (
          <div class="notice" role="status">
            <p>{fill(t.newToken, { name: p.created.name })}</p>
            <code class="secret" id="new-token">
              {p.created.token}
            </code>
          </div>
        )}
        {p.canChange ? (
          <form method="post" action={`/portal/settings/api/tokens?lang=${locale}`}>
            <Csrf session={session} />
            <label for="token-name">{t.tokenName}</label>
            <input id="token-name" name="name" type="text" required maxLength={64} />
            <div>
              <button type="submit">{t.createToken}</button>
            </div>
          </form>
        ) : (
          <p>{t.readOnly}</p>
        )}
        {p.tokens.length === 0 ? (
          <p>{t.noTokens}</p>
        ) : (
          <table>
            <thead>
              <tr>
                <th scope="col">{t.tokenCol}</th>
                <th scope="col">{t.createdCol}</th>
                <th scope="col">{t.lastUsedCol}</th>
                <th scope="col">{t.stateCol}</th>
              </tr>
            </thead>
            <tbody>
              {p.tokens.map((tok) => (
                <tr>
                  <td>{tok.name}</td>
                  <td>{when(tok.createdAt)}</td>
                  <td>{tok.lastUsedAt === null ? t.never : when(tok.lastUsedAt)}</td>
                  <td>
                    {tok.revokedAt !== null ? (
                      fill(t.revokedAt, { at: when(tok.revokedAt) })
                    ) : p.canChange ? (
                      <form
                        method="post"
                        action={`/portal/settings/api/tokens/${encodeURIComponent(tok.id)}/revoke?lang=${locale}`}
                        class="inline"
                      >
                        <Csrf session={session} />
                        {t.live}{' '}
                        <button type="submit" class="secondary">
                          {fill(t.revoke, { name: tok.name })}
                        </button>
                      </form>
                    ) : (
                      t.live
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </>
    ),
  });
}
