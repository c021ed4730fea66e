// Batch payouts in the portal: upload a CSV (refused whole when any row is wrong), watch
// the links being created, download the results (with the file-download permission).
import { Hono } from 'hono';
import type { Services } from '../services.ts';
import { getMerchant } from '../merchants/store.ts';
import { audit } from './audit.ts';
import { batchResults, checkBatch, getBatch, listBatches, resumeBatch, startBatch } from './batches.ts';
import { csvLine } from './csv.ts';
import { formFields, type PortalContext, type PortalEnv } from './middleware.ts';
import { canChangeSettings, canDownloadFiles } from './users.ts';
import { batchesPage, type BatchesView } from './views/batches.tsx';

export function batchRoutes(s: Services): Hono<PortalEnv> {
  const r = new Hono<PortalEnv>();
  const user = (c: PortalContext) => c.var.session!.user;

  const page = async (c: PortalContext, view: Partial<BatchesView> = {}, status: 200 | 400 | 403 = 200) => {
    const u = user(c);
    const merchant = u.merchantId ? await getMerchant(s.db, u.merchantId) : undefined;
    const batches = merchant ? await listBatches(s, merchant.id) : [];
    const unfinished = batches.filter((b) => b.finished_at === null);
    // A batch cut short by a restart carries on when someone looks at it.
    for (const b of unfinished) resumeBatch(s, merchant!, b.id);
    return c.html(
      batchesPage({
        t: c.var.t,
        locale: c.var.locale,
        nonce: c.var.nonce,
        session: c.var.session,
        batches,
        canUpload: Boolean(merchant) && canChangeSettings(u),
        canDownload: canDownloadFiles(u),
        refresh: unfinished.length > 0 && !view.errors,
        ...view,
        error: view.error ?? (merchant ? undefined : c.var.t.noCompany),
      }),
      status,
    );
  };

  r.get('/', (c) => page(c));
  r.post('/', async (c) => {
    const u = user(c);
    const merchant = u.merchantId ? await getMerchant(s.db, u.merchantId) : undefined;
    if (!merchant || !canChangeSettings(u)) return page(c, { error: c.var.t.forbidden }, 403);
    const file = (await formFields(c)).file;
    if (!(file instanceof File)) return page(c, { errors: [{ line: 1, message: 'choose a CSV file' }] }, 400);
    let text: string;
    try {
      text = new TextDecoder('utf-8', { fatal: true }).decode(await file.arrayBuffer());
    } catch {
      return page(c, { errors: [{ line: 1, message: 'the file is not UTF-8 text' }] }, 400);
    }
    const checked = await checkBatch(s, merchant, text);
    if (!checked.ok) return page(c, { errors: checked.errors }, 400);
    const name = file.name.replace(/[^\p{L}\p{N} ._-]/gu, '_').slice(0, 100) || 'batch.csv';
    const id = await startBatch(s, merchant, u.id, name, checked.rows);
    await audit(s.db, u, merchant.id, 'batch.upload', { id, file: name, rows: checked.rows.length }, s.clock.now());
    return c.redirect(`/portal/batches?lang=${c.var.locale}`, 303);
  });

  r.get('/:id/results.csv', async (c) => {
    const u = user(c);
    const merchant = u.merchantId ? await getMerchant(s.db, u.merchantId) : undefined;
    if (!merchant || !canDownloadFiles(u)) return c.text(c.var.t.forbidden, 403);
    const batch = await getBatch(s, merchant.id, c.req.param('id'));
    if (!batch) return c.text(c.var.t.notFound, 404);
    const rows = await batchResults(s, merchant, batch.id);
    const lines = [
      csvLine(['orderNumber', 'orderId', 'payoutUrl', 'status', 'failureCode']),
      ...rows.map((x) => csvLine([x.orderNumber, x.orderId, x.payoutUrl, x.status, x.failureCode])),
    ];
    c.header('Content-Type', 'text/csv; charset=utf-8');
    c.header('Content-Disposition', `attachment; filename="${batch.id}-results.csv"`);
    return c.body(`${lines.join('\r\n')}\r\n`);
  });
  return r;
}
