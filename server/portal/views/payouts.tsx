import { PAYOUT_STATUSES } from '../../../src/contract/status.ts';
import { formatAmount } from '../../../src/contract/money.ts';
import { fill } from '../i18n.ts';
import type { PayoutDetail, PayoutFilterValue, PayoutListRow } from '../payout-queries.ts';
import { Csrf, renderPortal, when, type PageProps } from './layout.tsx';

/** Card as stored (first six, last four), phone as stored (masked): never more. */
function destination(p: { masked_pan: string | null; masked_phone: string | null }): string {
  return p.masked_pan ?? p.masked_phone ?? '';
}

export interface PayoutListView {
  rows: Array<PayoutListRow & { shownStatus: string }>;
  filter: Partial<PayoutFilterValue>;
  more: boolean;
  error?: string;
}

export function payoutListPage(p: PageProps & PayoutListView): string {
  const { t, locale, filter } = p;
  const page = filter.page ?? 1;
  const query = (n: number) => {
    const params = new URLSearchParams({ lang: locale });
    for (const key of ['q', 'status', 'method', 'from', 'to'] as const) {
      const value = filter[key];
      if (value) params.set(key, value);
    }
    params.set('page', String(n));
    return `/portal/payouts?${params}`;
  };
  return renderPortal({
    ...p,
    title: t.payoutsTitle,
    children: (
      <>
        {p.error && (
          <p class="error" role="alert">
            {p.error}
          </p>
        )}
        <form method="get" action="/portal/payouts" class="filters" role="search">
          <input type="hidden" name="lang" value={locale} />
          <div>
            <label for="f-q">{t.search}</label>
            <input id="f-q" name="q" type="search" value={filter.q ?? ''} maxLength={36} />
          </div>
          <div>
            <label for="f-status">{t.status}</label>
            <select id="f-status" name="status">
              <option value="">{t.any}</option>
              {PAYOUT_STATUSES.map((st) => (
                <option value={st} selected={filter.status === st}>
                  {st}
                </option>
              ))}
            </select>
          </div>
          <div>
            <label for="f-method">{t.method}</label>
            <select id="f-method" name="method">
              <option value="">{t.any}</option>
              <option value="card" selected={filter.method === 'card'}>
                {t.card}
              </option>
              <option value="sbp" selected={filter.method === 'sbp'}>
                {t.sbp}
              </option>
            </select>
          </div>
          <div>
            <label for="f-from">{t.from}</label>
            <input id="f-from" name="from" type="date" value={filter.from ?? ''} />
          </div>
          <div>
            <label for="f-to">{t.to}</label>
            <input id="f-to" name="to" type="date" value={filter.to ?? ''} />
          </div>
          <div>
            <button type="submit">{t.apply}</button>
          </div>
        </form>
        {p.rows.length === 0 ? (
          <p>{t.noPayouts}</p>
        ) : (
          <table>
            <thead>
              <tr>
                <th scope="col">{t.orderNumber}</th>
                <th scope="col">{t.amount}</th>
                <th scope="col">{t.status}</th>
                <th scope="col">{t.method}</th>
                <th scope="col">{t.destination}</th>
                <th scope="col">{t.created}</th>
              </tr>
            </thead>
            <tbody>
              {p.rows.map((r) => (
                <tr>
                  <td>
                    <a href={`/portal/payouts/${encodeURIComponent(r.order_id)}?lang=${locale}`}>{r.order_number}</a>
                  </td>
                  <td>{formatAmount(r.amount, locale)}</td>
                  <td>{r.shownStatus}</td>
                  <td>{r.destination_type ?? r.type ?? ''}</td>
                  <td>{destination(r)}</td>
                  <td>{when(r.created_at)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
        <nav aria-label={fill(t.page, { n: page })}>
          {page > 1 && (
            <a href={query(page - 1)} rel="prev">
              {t.prev}
            </a>
          )}{' '}
          {p.more && (
            <a href={query(page + 1)} rel="next">
              {t.next}
            </a>
          )}
        </nav>
      </>
    ),
  });
}

export function payoutPage(
  p: PageProps & {
    detail: PayoutDetail;
    shownStatus: string;
    failure?: string;
    canRedeliver: boolean;
    notice?: string;
  },
): string {
  const { t, locale, session, detail } = p;
  const { payout } = detail;
  const base = `/portal/payouts/${encodeURIComponent(payout.order_id)}`;
  return renderPortal({
    ...p,
    title: `${t.orderNumber} ${payout.order_number}`,
    children: (
      <>
        {p.notice && (
          <p class="notice" role="status">
            {p.notice}
          </p>
        )}
        <dl>
          <dt>{t.amount}</dt>
          <dd>{formatAmount(payout.amount, locale)}</dd>
          <dt>{t.status}</dt>
          <dd>{p.shownStatus}</dd>
          {p.failure && (
            <>
              <dt>{t.failure}</dt>
              <dd>{p.failure}</dd>
            </>
          )}
          <dt>{t.method}</dt>
          <dd>{payout.destination_type ?? payout.type ?? ''}</dd>
          <dt>{t.destination}</dt>
          <dd>{destination(payout) || t.none}</dd>
          <dt>{t.created}</dt>
          <dd>{when(payout.created_at)}</dd>
        </dl>
        <h2>{t.history}</h2>
        <table>
          <thead>
            <tr>
              <th scope="col">{t.at}</th>
              <th scope="col">{t.status}</th>
              <th scope="col">{t.reason}</th>
            </tr>
          </thead>
          <tbody>
            {detail.history.map((h) => (
              <tr>
                <td>{when(h.at)}</td>
                <td>{h.from_status ? `${h.from_status} → ${h.to_status}` : h.to_status}</td>
                <td>{h.reason ?? ''}</td>
              </tr>
            ))}
          </tbody>
        </table>
        <h2>{t.attempts}</h2>
        {detail.attempts.length === 0 ? (
          <p>{t.none}</p>
        ) : (
          <table>
            <thead>
              <tr>
                <th scope="col">#</th>
                <th scope="col">{t.provider}</th>
                <th scope="col">{t.state}</th>
                <th scope="col">{t.lastAnswer}</th>
                <th scope="col">{t.at}</th>
              </tr>
            </thead>
            <tbody>
              {detail.attempts.map((a) => (
                <tr>
                  <td>{a.attempt_no}</td>
                  <td>{a.provider}</td>
                  <td>{a.state}</td>
                  <td>{[a.provider_status, a.error].filter(Boolean).join(': ')}</td>
                  <td>{when(a.updated_at)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
        <h2>{t.deliveries}</h2>
        {detail.webhooks.length === 0 ? (
          <p>{t.none}</p>
        ) : (
          <table>
            <thead>
              <tr>
                <th scope="col">{t.event}</th>
                <th scope="col">{t.status}</th>
                <th scope="col">{t.state}</th>
                <th scope="col">{t.tries}</th>
                <th scope="col">{t.lastAnswer}</th>
                <th scope="col">{t.sendAgain}</th>
              </tr>
            </thead>
            <tbody>
              {detail.webhooks.map((w) => (
                <tr>
                  <td>
                    <code>{w.event_id}</code>
                  </td>
                  <td>{w.status}</td>
                  <td>{w.state}</td>
                  <td>{w.attempts}</td>
                  <td>{w.last_http_status ?? w.last_error ?? ''}</td>
                  <td>
                    {p.canRedeliver && (
                      <form
                        method="post"
                        action={`${base}/webhooks/${w.event_id}/redeliver?lang=${locale}`}
                        class="inline"
                      >
                        <Csrf session={session} />
                        <button type="submit" class="secondary" aria-label={`${t.sendAgain} ${w.event_id}`}>
                          {t.sendAgain}
                        </button>
                      </form>
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
