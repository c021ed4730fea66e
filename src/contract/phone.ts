// Russian phone numbers for SBP: accepted as 8…, +7…, 7… or 10 digits, with any
// spaces, dashes and brackets; kept as 11 digits starting with 7.
export function normalizePhone(input: string): string | null {
  const digits = input.replace(/\D/g, '');
  if (digits.length === 10 && digits.startsWith('9')) return `7${digits}`;
  if (digits.length === 11 && (digits.startsWith('7') || digits.startsWith('8'))) return `7${digits.slice(1)}`;
  return null;
}

/** +7 (916) ***-**-67: enough for the recipient to recognise it. */
export function maskPhone(phone11: string): string {
  return `+7 (${phone11.slice(1, 4)}) ***-**-${phone11.slice(9, 11)}`;
}
