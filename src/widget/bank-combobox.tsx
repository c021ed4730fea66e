// The bank picker once the script runs: an ARIA combobox over the SBP banks. Type to
// search in Russian or English, arrows and Enter to choose, Escape to close, tap to pick.
import { useEffect, useMemo, useReducer } from 'preact/hooks';
import { foldName, searchBanks, type Bank } from '../contract/bank-search.ts';
import { latinBankNames } from '../contract/i18n.ts';
import type { DetailError } from '../contract/recipient.ts';
import { useT } from './context.ts';
import { describedBy } from './fields.tsx';

/** Display name in the page's language, the other name for search. */
export type Item = Bank & { label: string; alt: string };

export interface ComboboxProps {
  items: Item[];
  initial: string;
  error: DetailError | undefined;
  onPick: () => void;
  onUnknown: () => void;
}

/** The server sends the list already in the page language's order. */
export function toItems(banks: Bank[], locale: string): Item[] {
  return banks.map((b) =>
    latinBankNames(locale) ? { ...b, label: b.nameEn, alt: b.nameRu } : { ...b, label: b.nameRu, alt: b.nameEn },
  );
}

/** What the box shows, the bank chosen, and the list: open or not, and its active option (-1: none). */
export interface ComboState {
  selected: Item | undefined;
  text: string;
  open: boolean;
  active: number;
}

export type ComboAction =
  | { type: 'input'; text: string }
  /** The list open, option `at` active (-1: none): on opening it and moving in it. */
  | { type: 'open'; at: number }
  | { type: 'close' }
  | { type: 'pick'; bank: Item }
  | { type: 'clear' };

export function comboReducer(state: ComboState, action: ComboAction): ComboState {
  switch (action.type) {
    case 'input':
      // Typing a search drops the choice unless the text is still the chosen bank's name.
      return {
        selected: state.selected?.label === action.text ? state.selected : undefined,
        text: action.text,
        open: true,
        active: action.text.trim() ? 0 : -1,
      };
    case 'open':
      return { ...state, open: true, active: action.at };
    case 'close':
      return { ...state, open: false };
    case 'pick':
      return { selected: action.bank, text: action.bank.label, open: false, active: -1 };
    case 'clear':
      return { ...state, text: '', selected: undefined };
  }
}

export function Combobox({ items, initial, error, onPick, onUnknown }: ComboboxProps) {
  const t = useT();
  const [{ selected, text, open, active }, dispatch] = useReducer(comboReducer, initial, (id) => {
    const bank = items.find((b) => b.id === id);
    return { selected: bank, text: bank?.label ?? '', open: false, active: -1 };
  });
  // The chosen bank's name in the box means "show me everything" when the list opens.
  const query = selected && text === selected.label ? '' : text;
  const found = useMemo(() => searchBanks(items, query), [items, query]);
  const activeId = open && found[active] ? `bank-${found[active].id}` : undefined;

  useEffect(() => {
    if (activeId) document.getElementById(activeId)?.scrollIntoView({ block: 'nearest' });
  }, [activeId]);

  const pick = (bank: Item) => {
    dispatch({ type: 'pick', bank });
    onPick();
  };
  const openAt = (at: number) => dispatch({ type: 'open', at });

  const onKeyDown = (e: KeyboardEvent) => {
    const last = found.length - 1;
    if (e.key === 'ArrowDown' || e.key === 'ArrowUp') {
      e.preventDefault();
      if (!open) return openAt(Math.max(0, selected ? found.indexOf(selected) : 0));
      if (e.altKey) return;
      openAt(e.key === 'ArrowDown' ? Math.min(last, active + 1) : Math.max(0, active - 1));
    } else if (e.key === 'Home' && open) {
      e.preventDefault();
      openAt(0);
    } else if (e.key === 'End' && open) {
      e.preventDefault();
      openAt(last);
    } else if (e.key === 'Enter' && open) {
      e.preventDefault(); // choosing a bank, not sending the form
      const bank = found[active];
      if (bank) pick(bank);
    } else if (e.key === 'Escape') {
      if (open) {
        e.preventDefault();
        dispatch({ type: 'close' });
      } else if (text) {
        e.preventDefault();
        dispatch({ type: 'clear' });
      }
    }
  };

  const onInput = (e: Event) => dispatch({ type: 'input', text: (e.currentTarget as HTMLInputElement).value });

  const onBlur = () => {
    dispatch({ type: 'close' });
    if (selected || !text.trim()) return;
    const exact = items.find((b) => foldName(b.label) === foldName(text) || foldName(b.alt) === foldName(text));
    if (exact) pick(exact);
    else onUnknown();
  };

  return (
    <div class="combo">
      <div class="with-icon">
        <input
          id="bank"
          type="text"
          role="combobox"
          aria-autocomplete="list"
          aria-expanded={open ? 'true' : 'false'}
          aria-controls="bank-list"
          aria-activedescendant={activeId}
          aria-invalid={error ? 'true' : undefined}
          aria-describedby={describedBy('bank', true, error)}
          autoComplete="off"
          autoCapitalize="off"
          spellcheck={false}
          placeholder={t('bankChoose')}
          value={text}
          onInput={onInput}
          onKeyDown={onKeyDown}
          onBlur={onBlur}
          onClick={() => !open && openAt(-1)}
        />
        <button
          type="button"
          class="toggle"
          tabIndex={-1}
          aria-label={t('bankChoose')}
          aria-controls="bank-list"
          aria-expanded={open ? 'true' : 'false'}
          onPointerDown={(e) => e.preventDefault()}
          onClick={() => {
            document.getElementById('bank')?.focus();
            if (open) dispatch({ type: 'close' });
            else openAt(-1);
          }}
        >
          <svg viewBox="0 0 16 16" width="16" height="16" aria-hidden="true">
            <path d="M3 6l5 5 5-5" fill="none" stroke="currentColor" stroke-width="2" />
          </svg>
        </button>
      </div>
      <input type="hidden" name="bankId" value={selected?.id ?? ''} />
      <ul id="bank-list" role="listbox" aria-label={t('bank')} hidden={!open || found.length === 0}>
        {/* Rendered only while open: the whole list at start-up is a long task on a phone. */}
        {found.map(
          (b, i) =>
            open && (
              <li
                key={b.id}
                id={`bank-${b.id}`}
                role="option"
                aria-selected={i === active ? 'true' : 'false'}
                class={!query && !b.popular && found[i - 1]?.popular ? 'first-rest' : undefined}
                onPointerDown={(e) => e.preventDefault()}
                onClick={() => pick(b)}
              >
                {b.label}
                {foldName(b.alt) !== foldName(b.label) && <span class="alt"> · {b.alt}</span>}
              </li>
            ),
        )}
      </ul>
      {open && found.length === 0 && <p class="none">{t('bankNone')}</p>}
      <p class="sr-only" aria-live="polite">
        {open && query ? (found.length ? t('bankFound', { n: found.length }) : t('bankNone')) : ''}
      </p>
    </div>
  );
}
