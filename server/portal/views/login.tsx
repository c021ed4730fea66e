import { renderPortal, type PageProps } from './layout.tsx';

export function loginPage(p: PageProps & { csrf: string; email?: string; error?: string }): string {
  const { t, locale } = p;
  const other = locale === 'ru' ? 'en' : 'ru';
  return renderPortal({
    ...p,
    session: undefined,
    title: t.loginTitle,
    children: (
      <>
        {p.error && (
          <p class="error" role="alert" id="login-error">
            {p.error}
          </p>
        )}
        <form method="post" action={`/portal/login?lang=${locale}`}>
          <input type="hidden" name="csrf_token" value={p.csrf} />
          <label for="email">{t.email}</label>
          <input
            id="email"
            name="email"
            type="email"
            autocomplete="username"
            required
            value={p.email ?? ''}
            aria-describedby={p.error ? 'login-error' : undefined}
          />
          <label for="password">{t.password}</label>
          <input id="password" name="password" type="password" autocomplete="current-password" required />
          <div>
            <button type="submit">{t.signIn}</button>
          </div>
        </form>
        <p>
          <a href={`/portal/login?lang=${other}`} lang={other}>
            {t.other}
          </a>
        </p>
      </>
    ),
  });
}
