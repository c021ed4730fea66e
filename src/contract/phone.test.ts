// Russian phone numbers for SBP: the forms people type become 11 digits starting with 7.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { maskPhone, normalizePhone } from './phone.ts';

test('8…, +7…, 7… and ten digits with any spacing become 7 and ten digits', () => {
  for (const typed of ['89161234567', '+7 (916) 123-45-67', '7 916 123 45 67', '9161234567'])
    assert.equal(normalizePhone(typed), '79161234567', typed);
});

test('too short, too long, another country or a landline-like ten digits are refused', () => {
  for (const typed of ['916123456', '791612345678', '+1 916 123 45 67', '4951234567', ''])
    assert.equal(normalizePhone(typed), null, typed);
});

test('the mask keeps the operator code and the last two digits', () => {
  assert.equal(maskPhone('79161234567'), '+7 (916) ***-**-67');
});
