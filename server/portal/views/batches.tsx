import { BATCH_COLUMNS } from '../../../src/contract/portal.ts';
import type { BatchSummary, RowError } from '../batches.ts';
import { fill } from '../i18n.ts';
import { Csrf, renderPortal, when, type PageProps } from './layout.tsx';

export interface BatchesView {
  batches: BatchSummary[];
  canUpload: boolean;
  canDownload: boolean;
  errors?: RowError[];
  error?: string;
  /** Refresh while a batch is being created. */
  refresh?: boolean;
}

export function batchesPage(p: PageProps & BatchesView): string {
  const { t, locale, session } = p;
  return renderPortal({
    ...p,
    title: t.batchesTitle,
    refreshSecs: p.refresh ? 2 : undefined,
    children: (
      <>
        {p.error && (
          <p class="error" role="alert">
            {p.error}
          </p>
        )}
        {p.errors && (
          <>
            <p class="error" role="alert">
              {t.batchRefused}
            </p>
            <table>
              <thead>
                <tr>
                  <th scope="col">{t.line}</th>
                  <th scope="col">{t.problem}</th>
                </tr>
              </thead>
              <tbody>
                {p.errors.map((e) => (
                  <tr>
                    <td>{e.line}</td>
                    <td>{e.message}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </>
        )}
        {p.canUpload ? (
          <form method="post" action={`/portal/batches?lang=${locale}`} enctype="multipart/form-data">
            <Csrf session={session} />
            <label for="batch-file">{t.batchFile}</label>
            <input
              id="batch-file"
              name="file"
              type="file"
              accept=".csv,text/csv"
              required
              aria-describedby="batch-help"
            />
            <p id="batch-help">{fill(t.batchHelp, { columns: BATCH_COLUMNS.join(', ') })}</p>
            <button type="submit">{t.upload}</button>
          </form>
        ) : (
          <p>{t.readOnly}</p>
        )}
        {p.batches.length === 0 ? (
          <p>{t.noBatches}</p>
        ) : (
          <table>
            <thead>
              <tr>
                <th scope="col">{t.fileCol}</th>
                <th scope="col">{t.created}</th>
                <th scope="col">{t.progress}</th>
                <th scope="col">{t.state}</th>
              </tr>
            </thead>
            <tbody>
              {p.batches.map((b) => (
                <tr>
                  <td>{b.file_name}</td>
                  <td>{when(b.created_at)}</td>
                  <td>
                    <progress max={b.total} value={Number(b.done)} aria-label={`${t.progress} ${b.file_name}`} />{' '}
                    {fill(t.progressOf, { done: Number(b.done), total: b.total })}
                  </td>
                  <td>
                    {b.finished_at === null ? t.running : t.finished}
                    {b.finished_at !== null && p.canDownload && (
                      <>
                        {' '}
                        <a href={`/portal/batches/${b.id}/results.csv`} download>
                          {t.download}
                        </a>
                      </>
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
