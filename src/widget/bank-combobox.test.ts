// The bank combobox's state: what typing, opening, moving, picking and clearing do to the
// text in the box, the chosen bank and the list.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { comboReducer, toItems, type ComboState } from './bank-combobox.tsx';

const [sber, tinkoff] = toItems(
  [
    { id: '100000000111', nameRu: 'Сбербанк', nameEn: 'Sberbank', popular: 1 },
    { id: '100000000004', nameRu: 'Т-Банк', nameEn: 'T-Bank', popular: 2 },
  ],
  'ru',
) as [ReturnType<typeof toItems>[number], ReturnType<typeof toItems>[number]];
const closed: ComboState = { selected: undefined, text: '', open: false, active: -1 };

test('picking a bank puts its name in the box and closes the list', () => {
  const opened = comboReducer(closed, { type: 'open', at: 1 });
  assert.deepEqual(opened, { ...closed, open: true, active: 1 });
  assert.deepEqual(comboReducer(opened, { type: 'pick', bank: tinkoff }), {
    selected: tinkoff,
    text: 'Т-Банк',
    open: false,
    active: -1,
  });
});

test('typing opens the list at its first match, and drops the choice once the text is no longer its name', () => {
  const chosen = comboReducer(closed, { type: 'pick', bank: sber });
  assert.deepEqual(comboReducer(chosen, { type: 'input', text: 'Сбер' }), {
    selected: undefined,
    text: 'Сбер',
    open: true,
    active: 0,
  });
  assert.equal(comboReducer(chosen, { type: 'input', text: 'Сбербанк' }).selected, sber);
  // Nothing but spaces typed: the list opens with no option active.
  assert.equal(comboReducer(closed, { type: 'input', text: '  ' }).active, -1);
});

test('closing keeps the text and the choice; clearing empties both', () => {
  const chosen = { ...comboReducer(closed, { type: 'pick', bank: sber }), open: true };
  assert.deepEqual(comboReducer(chosen, { type: 'close' }), { ...chosen, open: false });
  assert.deepEqual(comboReducer(chosen, { type: 'clear' }), { ...chosen, text: '', selected: undefined });
});
