// CSV as spreadsheets write it (RFC 4180): quoted fields may hold the delimiter, quotes
// ("") and line breaks. The delimiter is `,` or `;`, whichever the header line uses.

export function parseCsv(text: string): string[][] {
  const body = text.replace(/^\uFEFF/, '');
  const header = body.slice(0, body.search(/\r?\n|$/));
  const delimiter = header.includes(';') && !header.includes(',') ? ';' : ',';
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < body.length; i++) {
    const ch = body[i]!;
    if (quoted) {
      if (ch === '"' && body[i + 1] === '"') {
        field += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else field += ch;
    } else if (ch === '"' && field === '') quoted = true;
    else if (ch === delimiter) {
      row.push(field);
      field = '';
    } else if (ch === '\n' || ch === '\r') {
      if (ch === '\r' && body[i + 1] === '\n') i++;
      row.push(field);
      rows.push(row);
      row = [];
      field = '';
    } else field += ch;
  }
  if (field !== '' || row.length) {
    row.push(field);
    rows.push(row);
  }
  // Blank lines (a trailing newline, a gap) are not rows.
  return rows.filter((r) => r.some((f) => f.trim() !== ''));
}

/** One CSV line; a field that starts like a formula is prefixed so a spreadsheet shows it as text. */
export function csvLine(fields: readonly (string | number | null | undefined)[]): string {
  return fields
    .map((f) => {
      let text = f === null || f === undefined ? '' : String(f);
      if (/^[=+\-@\t\r]/.test(text)) text = `'${text}`;
      return /[",;\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
    })
    .join(',');
}
