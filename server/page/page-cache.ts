// The recipient page as rendered, kept for the next answer of the same link: rendering and
// compressing it is most of the work of an answer, and a page changes only when its payout,
// its merchant or the request's language or frame does.
//
// An entry is found by everything the page is rendered from (the page data, which names the
// link in its own URLs, and the render options), so it can only ever be the page that would
// be rendered for that answer. What changes with every answer is cut out of it and filled
// in per answer: the CSP nonce, the server time and the time left on the form. Pages after
// a refused form post (they show what was typed) and unknown links are never kept.
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
  key: string;
  /** Still in the cache (a body compressed after it was dropped is not counted). */
  kept: boolean;
  template: Template;
  /** The holes' contents for an answer, from valuesFor(). */
  fillers: (values: string[]) => string[];
  bodies: Partial<Record<Encoding, Promise<Spliced | null>>>;
  size: number;
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

/**
 * The texts' part of a page's key. A page's texts are one of a few shared frozen objects
 * (server/page/texts.ts): each gets a number once, so the key does not carry their kilobytes.
 */
const textsIds = new WeakMap<object, number>();
let lastTextsId = 0;
function textsKey(t: PageData['t']): string {
  if (typeof t !== 'object' || t === null || !Object.isFrozen(t)) return JSON.stringify(t) ?? '';
  let id = textsIds.get(t);
  if (id === undefined) textsIds.set(t, (id = ++lastTextsId));
  return `#${id}`;
}

export class PageCache {
  readonly #entries = new Map<string, Entry>();
  #bytes = 0;

  constructor(readonly maxBytes = PAGE_CACHE_BYTES) {}

  get size(): number {
    return this.#entries.size;
  }

  /**
   * The page's body for this answer, in the given encoding. A link's first answer is
   * compressed whole (a campaign's links are mostly opened once: compressing the parts
   * apart costs more than that); the next ones are spliced.
   */
  async body(r: PageRender, encoding: Encoding): Promise<Buffer> {
    // A spread, not a rest destructuring: V8 copies it several times faster.
    const key = JSON.stringify([r.options, { ...r.data, t: 0, now: 0 }]) + textsKey(r.data.t);
    const entry = this.#entries.get(key);
    if (!entry) {
      const html = r.render();
      this.#keep(key, html, r);
      return encodeAsync(html, encoding, BROTLI_QUALITY);
    }
    // Most recently used last.
    this.#entries.delete(key);
    this.#entries.set(key, entry);
    const spliced = await (entry.bodies[encoding] ??= this.#compress(entry, encoding));
    // Brotli could not splice this page (see splice()): each answer whole.
    if (!spliced) return encodeAsync(r.render(), encoding, BROTLI_QUALITY);
    const body = fill(spliced, entry.fillers(valuesFor(r)));
    if (body) return body;
    // A value of another length than its hole's (the time left went from 10:00 to 9:59): the
    // page is kept anew, once. Answers that found the old entry while it was being compressed
    // take the new one: were each to keep its own, under load they would keep dropping each
    // other's and every answer would be rendered and compressed whole.
    if (this.#entries.get(key) === entry) this.#drop(key);
    return this.body(r, encoding);
  }

  #keep(key: string, html: string, r: PageRender): Entry | undefined {
    const [nonce, now, timer] = valuesFor(r);
    const made = cut(html, [
      { value: nonce! },
      { value: now!, before: '"now":', once: true },
      ...(timer === undefined ? [] : [{ value: timer, before: '<span class="num">', after: '</span>', once: true }]),
    ]);
    if (!made) return undefined;
    const size = key.length * 2 + made.template.parts.reduce((n, p) => n + p.length, 0);
    const entry: Entry = { key, kept: true, template: made.template, fillers: made.fillers, bodies: {}, size };
    this.#entries.set(key, entry);
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
    for (const [key] of this.#entries) {
      if (this.#bytes <= this.maxBytes) break;
      this.#drop(key);
    }
  }

  #drop(key: string): void {
    const entry = this.#entries.get(key);
    if (!entry) return;
    this.#entries.delete(key);
    entry.kept = false;
    this.#bytes -= entry.size;
  }
}
