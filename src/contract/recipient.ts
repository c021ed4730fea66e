// The recipient's details as the page collects them: one valibot schema that the
// widget runs before sending and the server runs again on what it receives.
import * as v from 'valibot';
import { luhnValid, normalizePan } from './card.ts';
import { normalizePhone } from './phone.ts';
import type { PayoutType } from './status.ts';

export type RecipientDetails =
  { type: 'card'; pan: string; fullName?: string } | { type: 'sbp'; phone: string; bankId: string; fullName?: string };

export type DetailField = 'type' | 'pan' | 'phone' | 'bankId' | 'fullName';

/** Error codes; the page shows them through i18n messages of the same name. */
export type DetailError =
  | 'type_required'
  | 'pan_required'
  | 'pan_digits'
  | 'pan_length'
  | 'pan_luhn'
  | 'phone_required'
  | 'phone_invalid'
  | 'bank_required'
  | 'bank_unknown'
  | 'name_required'
  | 'name_invalid';

export type FieldErrors = Partial<Record<DetailField, DetailError>>;

/** Recipient fields a provider may require beyond the card number or phone. */
export type RecipientField = 'fullName';

/** A way of being paid that the page offers: its type, the extra fields its provider needs, and whether that provider collects the details on its own page (ours hands the recipient over). */
export interface PayoutMethod {
  type: PayoutType;
  requiredFields: readonly RecipientField[];
  handoff?: boolean;
}

// Only string, transform and check: every valibot action used here is code the browser downloads.
const Pan = v.pipe(
  v.string('pan_required'),
  v.transform(normalizePan),
  v.check((s) => s !== '', 'pan_required'),
  v.check((s) => /^\d+$/.test(s), 'pan_digits'),
  v.check((s) => s.length >= 13 && s.length <= 19, 'pan_length'),
  v.check(luhnValid, 'pan_luhn'),
);

const Phone = v.pipe(
  v.string('phone_required'),
  v.transform((s) => s.replace(/\D/g, '')),
  // "+7 (" alone is an empty field, not a wrong number.
  v.check((d) => !/^[78]?$/.test(d), 'phone_required'),
  v.check((d) => normalizePhone(d) !== null, 'phone_invalid'),
  v.transform((d) => normalizePhone(d)!),
);

/** The recipient's full name, as the page asks for it (and performPayout's target.fullName). */
export const FullName = v.pipe(
  v.string('name_required'),
  v.transform((s) => s.trim().replace(/\s+/g, ' ')),
  v.check((s) => s !== '', 'name_required'),
  // Two or more words of letters (any script), up to 100 characters.
  v.check((s) => s.length <= 100 && /^[\p{L}'’.-]+( [\p{L}'’.-]+)+$/u.test(s), 'name_invalid'),
);

const bankId = (isBank: (id: string) => boolean) =>
  v.pipe(
    v.string('bank_required'),
    v.check((s) => s !== '', 'bank_required'),
    v.check(isBank, 'bank_unknown'),
  );

/** A field left out is reported like an empty one. */
const field = <S extends v.GenericSchema<string, string>>(schema: S) => v.optional(schema, '');

/** The schema for the methods on offer; fields a method does not use are dropped. */
export function recipientSchema(methods: readonly PayoutMethod[], isBank: (id: string) => boolean) {
  const options = methods.map((m) => {
    const name: v.ObjectEntries = m.requiredFields.includes('fullName') ? { fullName: field(FullName) } : {};
    return m.type === 'card'
      ? v.object({ type: v.literal('card'), pan: field(Pan), ...name })
      : v.object({ type: v.literal('sbp'), phone: field(Phone), bankId: field(bankId(isBank)), ...name });
  });
  return v.variant('type', options, 'type_required');
}

export type ParsedDetails = { ok: true; details: RecipientDetails } | { ok: false; errors: FieldErrors };

/** Validates the form's fields; on failure, the first problem of each field. */
export function parseDetails(schema: ReturnType<typeof recipientSchema>, input: unknown): ParsedDetails {
  const r = v.safeParse(schema, input, { abortPipeEarly: true });
  if (r.success) return { ok: true, details: r.output as RecipientDetails };
  const errors: FieldErrors = {};
  for (const issue of r.issues) {
    const field = (issue.path?.[0]?.key ?? 'type') as DetailField;
    errors[field] ??= issue.message as DetailError;
  }
  return { ok: false, errors };
}
