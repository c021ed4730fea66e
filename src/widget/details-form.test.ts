// The details form's state changes, apart from the page: what each step of a send does
// to the field errors, the form's own error and the pending flag.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { detailsReducer, firstError, type DetailsState } from './details-form.ts';

const idle: DetailsState = { errors: {}, pending: false };

test("a field's error is shown and cleared alone; the same error again changes nothing", () => {
  const shown = detailsReducer(
    { ...idle, errors: { phone: 'phone_invalid' } },
    {
      type: 'field',
      field: 'pan',
      error: 'pan_luhn',
    },
  );
  assert.deepEqual(shown.errors, { phone: 'phone_invalid', pan: 'pan_luhn' });
  assert.equal(detailsReducer(shown, { type: 'field', field: 'pan', error: 'pan_luhn' }), shown);
  assert.deepEqual(detailsReducer(shown, { type: 'field', field: 'pan', error: undefined }).errors, {
    phone: 'phone_invalid',
    pan: undefined,
  });
});

test('a send clears every error and is pending until the answer; the answer says what was refused', () => {
  const before: DetailsState = { errors: { pan: 'pan_luhn' }, formError: 'network', pending: false };
  const sending = detailsReducer(before, { type: 'send' });
  assert.deepEqual(sending, { errors: {}, pending: true });

  assert.deepEqual(detailsReducer(sending, { type: 'answered', errors: { bankId: 'bank_unknown' } }), {
    errors: { bankId: 'bank_unknown' },
    formError: undefined,
    pending: false,
  });
  assert.deepEqual(detailsReducer(sending, { type: 'answered', error: 'method_not_allowed' }), {
    errors: {},
    formError: 'method_not_allowed',
    pending: false,
  });
  // Taken: an error typed while the send was under way stays.
  const typedMeanwhile = detailsReducer(sending, { type: 'field', field: 'fullName', error: 'name_invalid' });
  assert.deepEqual(detailsReducer(typedMeanwhile, { type: 'answered' }).errors, { fullName: 'name_invalid' });
});

test("the check's refusal replaces the field errors and leaves the form's own error shown", () => {
  const after = detailsReducer(
    { errors: { pan: 'pan_luhn' }, formError: 'network', pending: false },
    { type: 'errors', errors: { phone: 'phone_invalid' } },
  );
  assert.deepEqual(after, { errors: { phone: 'phone_invalid' }, formError: 'network', pending: false });
});

test('the first wrong field is the first in the form, whatever order the errors came in', () => {
  assert.equal(firstError({ fullName: 'name_invalid', bankId: 'bank_unknown', phone: 'phone_invalid' }), 'phone');
  assert.equal(firstError({ fullName: 'name_invalid', type: 'type_required' }), 'type');
  assert.equal(firstError({}), undefined);
});
