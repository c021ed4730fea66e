// The recipient page as rendered, kept for the next answer of the same link: rendering and
// compressing it is most of the work of an answer, and a page changes only when its payout,
// its merchant or the request's language or frame does.
//
// An entry is found by everything the page is rendered from (the page data, which names the
// link in its own URLs, and the render options), compared value by value, so it can only ever
// be the page that would be rendered for that answer. What changes with every answer is cut
// out of it and filled in per answer: the CSP nonce, the server time and the time left on the
// form. Pages after a refused form post (they show what was typed) and unknown links are never kept.
import type { PageData } from '../../src/contract/page.ts';
import { encodeAsync, type Encoding } from '../http/compress.ts';
import { cut, fill, splice, type Spliced, type Template } from '../http/spliced.ts';

/** Memory for kept pages (each about 40 KB with its compressed forms); the least recently used go first. */
export const PAGE_CACHE_BYTES = 32 * 1024 * 1024;
/** 11 is smaller by about 1% and takes three times as long (it matters for a campaign's first visits). */
const BROTLI_QUALITY = 10;

export interface PageRender {
  /** The page's data, with this answer's `now`. */
  data: PageData;
  nonce: string;
  /** Everything else the HTML depends on (status, accent colour, whether the bank list is in it). */
  options: Record<string, string | number | boolean | undefined>;
  /** Renders the page for this answer (when it is not kept yet). */
  render(): string;
}

interface Entry {
  /** What the page was rendered from (its data without the time, and its options). */
  data: PageData;
  options: PageRender['options'];
  /** Still in the cache (a body compressed after it was dropped is not counted). */
  kept: boolean;
  template: Template;
  /** The holes' contents for an answer, from valuesFor(). */
  fillers: (values: string[]) => string[];
  bodies: Partial<Record<Encoding, Promise<Spliced | null>>>;
  size: number;
}

/** Memory an entry's data and bookkeeping take besides its bytes (an estimate, for the budget). */
const ENTRY_OVERHEAD = 2048;
/** Pages kept for one link URL (its languages, frame or not, states): the oldest goes first. */
const PER_URL = 8;

/**
 * Equal as JSON-like values: plain objects, arrays and primitives (a shared object is equal to
 * itself at once). A top-level key named `except` may differ, or be on one side only.
 */
function same(a: unknown, b: unknown, except?: string): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  const ka = Object.keys(a);
  let na = ka.length;
  let nb = Object.keys(b).length;
  if (except !== undefined) {
    if (Object.hasOwn(a, except)) na--;
    if (Object.hasOwn(b, except)) nb--;
  }
  if (na !== nb) return false;
  for (const k of ka) {
    if (k === except) continue;
    if (!Object.hasOwn(b, k) || !same((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k]))
      return false;
  }
  return true;
}

/** The same page: the same options, and the same data but for the time (which is filled in). */
function samePage(e: Entry, r: PageRender): boolean {
  return same(e.options, r.options) && same(e.data, r.data, 'now');
}

/** Whole seconds until `expiresAt`, never below zero. */
export function secondsLeft(expiresAt: number, now: number): number {
  return Math.max(0, Math.ceil((expiresAt - now) / 1000));
}

/**
 * The time left as the form shows it: "1:02:03", "2:03". TimeLeft (src/widget/pay-form.tsx)
 * renders the same text, kept apart so the widget ships no more bytes; when they differ, no
 * page is kept (the hole is not found) and tests/page/page-cache.service.test.ts fails.
 */
export function clockText(seconds: number): string {
  const h = Math.floor(seconds / 3600);
  const m = Math.floor((seconds % 3600) / 60);
  const s = String(seconds % 60).padStart(2, '0');
  return h ? `${h}:${String(m).padStart(2, '0')}:${s}` : `${m}:${s}`;
}

/** The values that change with every answer, in the order of the marks in keep(). */
function valuesFor(r: PageRender): string[] {
  const view = r.data.view;
  return [
    r.nonce,
    String(r.data.now),
    ...(view.kind === 'form' ? [clockText(secondsLeft(view.expiresAt, r.data.now))] : []),
  ];
}

export class PageCache {
  /** Entries by the page's own URL (data.self: its link and chosen language), the least recently used first. */
  readonly #entries = new Map<string, Entry[]>();
  #count = 0;
  #bytes = 0;

  constructor(readonly maxBytes = PAGE_CACHE_BYTES) {}

  get size(): number {
    return this.#count;
  }

  /**
   * The page's body for this answer, in the given encoding. A link's first answer is
   * compressed whole (a campaign's links are mostly opened once: compressing the parts
   * apart costs more than that); the next ones are spliced.
   */
  async body(r: PageRender, encoding: Encoding): Promise<Buffer> {
    const url = r.data.self;
    const group = this.#entries.get(url);
    const entry = group?.find((e) => samePage(e, r));
    if (!entry) {
      const html = r.render();
      this.#keep(url, html, r);
      return encodeAsync(html, encoding, BROTLI_QUALITY);
    }
    // Most recently used last.
    this.#entries.delete(url);
    this.#entries.set(url, group!);
    const spliced = await (entry.bodies[encoding] ??= this.#compress(entry, encoding));
    // Brotli could not splice this page (see splice()): each answer whole.
    if (!spliced) return encodeAsync(r.render(), encoding, BROTLI_QUALITY);
    const body = fill(spliced, entry.fillers(valuesFor(r)));
    if (body) return body;
    // A value of another length than its hole's (the time left went from 10:00 to 9:59): the
    // page is kept anew, once. Answers that found the old entry while it was being compressed
    // take the new one: were each to keep its own, under load they would keep dropping each
    // other's and every answer would be rendered and compressed whole.
    if (entry.kept) this.#drop(url, entry);
    return this.body(r, encoding);
  }

  #keep(url: string, html: string, r: PageRender): Entry | undefined {
    const [nonce, now, timer] = valuesFor(r);
    const made = cut(html, [
      { value: nonce! },
      { value: now!, before: '"now":', once: true },
      ...(timer === undefined ? [] : [{ value: timer, before: '<span class="num">', after: '</span>', once: true }]),
    ]);
    if (!made) return undefined;
    const size = ENTRY_OVERHEAD + made.template.parts.reduce((n, p) => n + p.length, 0);
    const entry: Entry = {
      data: r.data,
      options: r.options,
      kept: true,
      template: made.template,
      fillers: made.fillers,
      bodies: {},
      size,
    };
    const group = this.#entries.get(url) ?? [];
    if (group.length >= PER_URL) this.#drop(url, group[0]!);
    this.#entries.delete(url);
    this.#entries.set(url, [...group.filter((e) => e.kept), entry]);
    this.#count++;
    this.#grow(size);
    return entry;
  }

  async #compress(entry: Entry, encoding: Encoding): Promise<Spliced | null> {
    const spliced = await splice(entry.template, encoding, BROTLI_QUALITY);
    if (spliced && entry.kept) {
      entry.size += spliced.size;
      this.#grow(spliced.size);
    }
    return spliced;
  }

  #grow(bytes: number): void {
    this.#bytes += bytes;
    for (const [url, group] of this.#entries) {
      if (this.#bytes <= this.maxBytes) break;
      for (const entry of group) this.#drop(url, entry);
    }
  }

  #drop(url: string, entry: Entry): void {
    const group = this.#entries.get(url);
    if (!entry.kept || !group) return;
    entry.kept = false;
    this.#count--;
    this.#bytes -= entry.size;
    const rest = group.filter((e) => e !== entry);
    if (rest.length) this.#entries.set(url, rest);
    else this.#entries.delete(url);
  }
}
