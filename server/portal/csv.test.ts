import { test } from 'node:test';
import assert from 'node:assert/strict';
import { csvLine, parseCsv } from './csv.ts';

test('reads comma and semicolon files, quoted fields, CRLF and a BOM', () => {
  assert.deepEqual(parseCsv('\uFEFFa,b\r\n1,"x, ""y"""\r\n\r\n'), [
    ['a', 'b'],
    ['1', 'x, "y"'],
  ]);
  assert.deepEqual(parseCsv('a;b\n1;2,5\n"line\nbreak";3'), [
    ['a', 'b'],
    ['1', '2,5'],
    ['line\nbreak', '3'],
  ]);
});

test('writes fields a spreadsheet reads back as text', () => {
  assert.equal(
    csvLine(['ORDER-1', 150000, null, 'a "b", c', '=HYPERLINK(1)']),
    `ORDER-1,150000,,"a ""b"", c",'=HYPERLINK(1)`,
  );
});
