// Everything after the form: progress while the payout is made, the outcome, an
// expired or unknown link; each going back to the merchant after a visible countdown.
import { useEffect, useRef, useState } from 'preact/hooks';
import type { Leave, PageView } from '../contract/page.ts';
import { usePage, useT } from './context.ts';
import { leave } from './net.ts';
import { leaving, onLeaveClick, type Exit } from '../embed/bridge.ts';

const REDIRECT_SECONDS = 5;

/** The view's heading; focused when the view replaces another, so screen readers announce it. */
function Title({ text, focus, top }: { text: string; focus: boolean; top?: boolean }) {
  const ref = useRef<HTMLHeadingElement>(null);
  useEffect(() => {
    if (focus) ref.current?.focus();
    // eslint-disable-next-line react-hooks/exhaustive-deps -- only when the view appears
  }, []);
  const H = top ? 'h1' : 'h2';
  return (
    <H ref={ref} tabIndex={-1} id="view-title">
      {text}
    </H>
  );
}

function Mark({ kind }: { kind: 'ok' | 'bad' | 'wait' }) {
  const d = kind === 'ok' ? 'M7 12.5l3.5 3.5L17 9' : kind === 'bad' ? 'M8 8l8 8M16 8l-8 8' : 'M12 7v5l3 2';
  return (
    <svg class={`mark ${kind}`} viewBox="0 0 24 24" width="48" height="48" aria-hidden="true">
      <circle cx="12" cy="12" r="11" fill="currentColor" />
      <path d={d} fill="none" stroke="var(--card)" stroke-width="2.2" stroke-linecap="round" stroke-linejoin="round" />
    </svg>
  );
}

/** "Taking you back in 5 s" and a link to go at once; leaves when the count reaches zero. */
function Countdown({ to, exit }: { to: Leave; exit: Exit }) {
  const t = useT();
  const { embed } = usePage();
  const [left, setLeft] = useState(REDIRECT_SECONDS);
  useEffect(() => {
    if (left <= 0) {
      // In a frame, the parent (or the recipient, by the link) takes the top window there.
      if (leaving(exit)) leave(to.url);
      return;
    }
    const id = setTimeout(() => setLeft(left - 1), 1000);
    return () => clearTimeout(id);
    // eslint-disable-next-line react-hooks/exhaustive-deps -- a view's way out never changes; once per second
  }, [left]);
  return (
    <div class="leave">
      <p id="leave-note">{t('redirect', { merchant: to.to, n: Math.max(0, left) })}</p>
      <a
        class="btn"
        href={to.url}
        aria-describedby="leave-note"
        target={embed?.compact ? '_top' : undefined}
        onClick={(e) => onLeaveClick(e, exit)}
      >
        {t('goNow')}
      </a>
    </div>
  );
}

function Progress({ focus }: { focus: boolean }) {
  const t = useT();
  const { self } = usePage();
  return (
    <div class="status" role="status">
      <div class="spinner" aria-hidden="true" />
      <Title text={t('progress')} focus={focus} />
      <p>{t('progressNote')}</p>
      {/* Without a working script the page refreshes itself; this is the manual way. */}
      <a class="link" href={self}>
        {t('checkStatus')}
      </a>
    </div>
  );
}

function Done({ view, focus }: { view: Extract<PageView, { kind: 'done' }>; focus: boolean }) {
  const t = useT();
  const { merchant } = usePage();
  const o = view.outcome;
  const note =
    o === 'success'
      ? view.target
        ? t('successNote', { target: view.target })
        : ''
      : (view.note ?? t(`${o}Note`, { merchant: merchant.name }));
  return (
    <div class="status" role="status">
      <Mark kind={o === 'success' ? 'ok' : o === 'processing' ? 'wait' : 'bad'} />
      <Title text={t(o)} focus={focus} />
      {note && <p>{note}</p>}
      {view.leave && <Countdown to={view.leave} exit={{ kind: 'completed', status: o, url: view.leave.url }} />}
    </div>
  );
}

function Expired({ view, focus }: { view: Extract<PageView, { kind: 'expired' }>; focus: boolean }) {
  const t = useT();
  const { merchant } = usePage();
  // With nowhere to go back to, the host hears of it at once.
  useEffect(() => {
    if (!view.leave) leaving({ kind: 'expired', url: null });
    // eslint-disable-next-line react-hooks/exhaustive-deps -- said once, when the view appears
  }, []);
  return (
    <div class="status" role="status">
      <Mark kind="wait" />
      <Title text={t('expired')} focus={focus} />
      <p>{t('expiredNote', { merchant: merchant.name })}</p>
      {view.leave && <Countdown to={view.leave} exit={{ kind: 'expired', url: view.leave.url }} />}
    </div>
  );
}

/** The view for everything but the form. */
export function StatusView({ view, focus }: { view: Exclude<PageView, { kind: 'form' }>; focus: boolean }) {
  if (view.kind === 'progress') return <Progress focus={focus} />;
  if (view.kind === 'done') return <Done view={view} focus={focus} />;
  if (view.kind === 'expired') return <Expired view={view} focus={focus} />;
  return <NotFound />;
}

function NotFound() {
  const t = useT();
  return (
    <div class="status">
      <Title text={t('notFound')} focus={false} top />
      <p>{t('notFoundNote')}</p>
    </div>
  );
}
