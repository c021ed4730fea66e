// The recipient page: who pays and how much, then the view the payout is in.
// Rendered on the server and hydrated in the browser from the same data.
import { useEffect, useState } from 'preact/hooks';
import type { PageData, PageReply, PageView } from '../contract/page.ts';
import { PageContext, usePage, useT } from './context.ts';
import { usePolling } from './hooks.ts';
import { loadEnhance, request, type Enhance } from './net.ts';
import { PayForm } from './pay-form.tsx';

/**
 * `enhance` is the module with the masks, the checks and the views after the form: given
 * when the page starts in one of those views (the server passes it too), else loaded
 * after the first render.
 */
export function App({
  data,
  bankOptions,
  languages,
  enhance: given,
}: {
  data: PageData;
  bankOptions: string;
  /** The language switcher's HTML (the server's; the browser passes ''). */
  languages: string;
  enhance: Enhance | null;
}) {
  const [view, setView] = useState<PageView>(data.view);
  const [enhance, setEnhance] = useState(given);
  useEffect(() => {
    if (!enhance) loadEnhance(data.enhanceUrl).then(setEnhance, () => {});
    // eslint-disable-next-line react-hooks/exhaustive-deps -- loaded once, after the first render
  }, []);
  /** A view the page moved to itself (not the one it loaded with): its heading takes focus. */
  const [moved, setMoved] = useState(false);
  const [expiring, setExpiring] = useState(false);

  const show = (reply: PageReply) => {
    // The form again after a refusal (another try): the server renders it with its note.
    if (reply.view.kind === 'form') return void (view.kind === 'form' || location.reload());
    // Without the views (their script did not load), let the server render the page.
    if (!enhance) return location.reload();
    // The view's texts come with it (the form's page had no use for them).
    Object.assign(data.t, reply.t);
    setView(reply.view);
    setMoved(true);
  };
  const poll = async () => show(await request(data.statusUrl));
  usePolling(view.kind === 'progress', 1000, poll);
  // The server decides when the link expires; once the countdown ends, ask it.
  usePolling(view.kind === 'form' && expiring, 2000, poll);

  return (
    <PageContext.Provider value={data}>
      <main class="page">
        <Header />
        <section class="panel" aria-labelledby={view.kind === 'form' ? 'title' : 'view-title'}>
          {view.kind === 'form' ? (
            <PayForm
              view={view}
              enhance={enhance}
              bankOptions={bankOptions}
              onReply={show}
              onExpire={() => setExpiring(true)}
            />
          ) : (
            enhance && <enhance.StatusView view={view} focus={moved} />
          )}
        </section>
        <Footer html={languages} />
      </main>
    </PageContext.Provider>
  );
}

function Header() {
  const t = useT();
  const data = usePage();
  if (data.view.kind === 'notFound') return null;
  return (
    <header class="head">
      {data.merchant.logoUrl && <img class="logo" src={data.merchant.logoUrl} alt="" />}
      <h1 id="title">
        <span class="from">{t('pays')}</span> {data.merchant.name}
      </h1>
      <p class="amount">{data.amount}</p>
      {data.description && <p class="desc">{data.description}</p>}
    </header>
  );
}

/**
 * The page in each other language: rendered by the server only (server/page/languages.tsx),
 * so the browser ships no list of languages; hydration leaves it as it is.
 */
function Footer({ html }: { html: string }) {
  return <footer class="foot" dangerouslySetInnerHTML={{ __html: html }} />;
}
