// The bank field. The server renders a plain <select> over the built-in list (it works
// without JavaScript); once the enhancements and the list with both languages' names
// have arrived, it becomes a searchable combobox (bank-combobox.tsx). Its hint says how
// to use the control that is there: choose from the list, or type to search.
import { useEffect, useRef, useState } from 'preact/hooks';
import type { Bank } from '../contract/bank-search.ts';
import type { DetailError } from '../contract/recipient.ts';
import { usePage, useT } from './context.ts';
import { describedBy, Field } from './fields.tsx';
import type { Enhance } from './net.ts';

interface Props {
  enhance: Enhance | null;
  /** The server-rendered <option>s; hydration leaves the browser's copy alone. */
  optionsHtml: string;
  error: DetailError | undefined;
  focus: boolean;
  onPick: () => void;
  onUnknown: () => void;
}

export function BankPicker({ enhance, optionsHtml, focus, ...rest }: Props) {
  const t = useT();
  const { locale, banksUrl } = usePage();
  const select = useRef<HTMLSelectElement>(null);
  const [banks, setBanks] = useState<Bank[] | null>(null);
  useEffect(() => {
    fetch(banksUrl)
      .then((r) => (r.ok ? (r.json() as Promise<Bank[]>) : null))
      .then(setBanks, () => {});
    // eslint-disable-next-line react-hooks/exhaustive-deps -- one list per page: fetched once
  }, []);
  const search = enhance && banks;
  return (
    <Field id="bank" label={t('bank')} hint={t(search ? 'bankHint' : 'bankPick')} error={rest.error}>
      {search ? (
        // This render still sees the <select> (refs change after it), so the choice made there carries over.
        <enhance.Combobox {...rest} items={enhance.toItems(banks, locale)} initial={select.current?.value ?? ''} />
      ) : (
        <select
          ref={select}
          id="bank"
          name="bankId"
          aria-invalid={rest.error ? 'true' : undefined}
          aria-describedby={describedBy('bank', true, rest.error)}
          autoFocus={focus}
          dangerouslySetInnerHTML={{ __html: optionsHtml }}
        />
      )}
    </Field>
  );
}
