// Loaded after the first render: input masks (imask, only its pattern mask), the card
// brand (src/contract/card-brand.ts), checking as the recipient types (the shared
// valibot schema), the bank combobox and the views after the form. The form works
// without them: it is then posted as a plain form and checked by the server. A page
// that starts after the form loads this before hydrating.
import IMask from 'imask/holder';
import 'imask/masked/pattern';

import { parseDetails, recipientSchema } from '../contract/recipient.ts';
import { cardBrandOf } from '../contract/card-brand.ts';
import type { PayoutMethod } from '../contract/recipient.ts';

export { BrandIcon } from './brands.tsx';
export { Combobox, toItems } from './bank-combobox.tsx';
export { StatusView } from './status-views.tsx';
// Embedding (src/embed/): talking to a merchant's frame or an app's WebView.
export { reportError, reportSubmitted, startEmbedding } from '../embed/bridge.ts';

/** The shared schema for the methods whose details the page takes; the server also checks the bank is on its list. */
export function validator(methods: readonly PayoutMethod[]) {
  const schema = recipientSchema(
    methods.filter((m) => !m.handoff),
    (id) => /^\d{12}$/.test(id),
  );
  return (values: unknown) => parseDetails(schema, values);
}

export interface TypedBrand {
  type: string;
  name: string;
  /** All the digits this brand's longest number has are typed. */
  complete: boolean;
}

/** "0000 0000 0000 0000 000": a digit per brand length, a space at each of the brand's gaps. */
function cardPattern(gaps: readonly number[], length: number): string {
  let out = '';
  for (let i = 0; i < length; i++) out += (gaps.includes(i) ? ' ' : '') + '0';
  return out;
}

const ANY_CARD = cardPattern([4, 8, 12, 16], 19);

export function maskCard(
  el: HTMLInputElement,
  onChange: (digits: string, brand: TypedBrand | null) => void,
): () => void {
  const mask = IMask(el, { mask: ANY_CARD });
  let pattern = ANY_CARD;
  const update = () => {
    const digits = mask.unmaskedValue;
    const card = cardBrandOf(digits);
    const longest = card ? Math.max(...card.lengths) : 19;
    const next = card ? cardPattern(card.gaps, longest) : ANY_CARD;
    if (next !== pattern) {
      pattern = next;
      mask.updateOptions({ mask: next }); // regroups; may fire accept again (then with this same pattern)
    }
    onChange(mask.unmaskedValue, card && { type: card.type, name: card.name, complete: digits.length >= longest });
  };
  mask.on('accept', update);
  update();
  return () => mask.destroy();
}

/** Leading 8 or 7 is the country prefix the mask already shows; pasted numbers come in any format. */
function preparePhone(chunk: string, masked: { unmaskedValue: string }): string {
  const digits = chunk.replace(/\D/g, '');
  const empty = masked.unmaskedValue.replace(/^7/, '') === '';
  if (empty && /^[78]\d{10}$/.test(digits)) return digits.slice(1);
  if (empty && (chunk === '8' || chunk === '7')) return '';
  return chunk.length > 1 ? digits : chunk;
}

export function maskPhone(el: HTMLInputElement, onChange: (digits: string) => void): () => void {
  const mask = IMask(el, { mask: '+{7} (000) 000-00-00', prepare: preparePhone });
  mask.on('accept', () => onChange(mask.unmaskedValue));
  return () => mask.destroy();
}
