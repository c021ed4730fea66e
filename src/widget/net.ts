// Talking to the page's own endpoints (same origin only; the CSP allows nothing else),
// and leaving for the merchant.
import type { PageReply } from '../contract/page.ts';

export type Enhance = typeof import('./enhance.ts');

/** The build's second entry, by the URL the server read from the manifest. */
export function loadEnhance(url: string): Promise<Enhance> {
  return import(/* @vite-ignore */ url) as Promise<Enhance>;
}

export async function request(url: string, body?: unknown): Promise<PageReply> {
  const res = await fetch(url, {
    method: body === undefined ? 'GET' : 'POST',
    headers: { accept: 'application/json', ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    body: body === undefined ? undefined : JSON.stringify(body),
    cache: 'no-store',
  });
  if (!res.ok && res.status !== 422) throw new Error(`HTTP ${res.status}`);
  return (await res.json()) as PageReply;
}

/** The one place the page navigates away. */
export function leave(url: string): void {
  location.assign(url);
}
