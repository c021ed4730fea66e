// The page's data for every component, and its strings by key.
import { createContext } from 'preact';
import { useContext } from 'preact/hooks';
import { fill, type MessageKey } from '../contract/i18n.ts';
import type { PageData } from '../contract/page.ts';

export const PageContext = createContext<PageData>(null as unknown as PageData);

export function usePage(): PageData {
  return useContext(PageContext);
}

export type Translate = (key: MessageKey, vars?: Record<string, string | number>) => string;

export function useT(): Translate {
  const { t } = usePage();
  return (key, vars) => (vars ? fill(t[key], vars) : t[key]);
}
