import { renderPortal, when, type PageProps } from './layout.tsx';

export interface AuditEntry {
  at: number;
  email: string;
  action: string;
  detail: string;
}

export function auditPage(p: PageProps & { entries: AuditEntry[]; error?: string }): string {
  const { t } = p;
  return renderPortal({
    ...p,
    title: t.auditTitle,
    children: (
      <>
        {p.error && (
          <p class="error" role="alert">
            {p.error}
          </p>
        )}
        {p.entries.length === 0 ? (
          <p>{t.noAudit}</p>
        ) : (
          <table>
            <thead>
              <tr>
                <th scope="col">{t.at}</th>
                <th scope="col">{t.who}</th>
                <th scope="col">{t.what}</th>
                <th scope="col">{t.details}</th>
              </tr>
            </thead>
            <tbody>
              {p.entries.map((e) => (
                <tr>
                  <td>{when(e.at)}</td>
                  <td>{e.email}</td>
                  <td>{e.action}</td>
                  <td>
                    <code>{e.detail}</code>
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
