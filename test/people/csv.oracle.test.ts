import { parse } from 'csv-parse/sync';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseCsv } from '../../src/people/csv';

// csv-parse is the kept RFC 4180 reader; ours must agree with it on every input it accepts,
// and refuse whatever it refuses, so an import never reads a file differently from a spreadsheet tool.
function oracle(text: string): string[][] | 'error' {
  try {
    return parse(text, { bom: true, relax_column_count: true, skip_empty_lines: true, record_delimiter: ['\r\n', '\n'] }) as string[][];
  } catch {
    return 'error';
  }
}

const pieces = ['a', 'b', ' ', 'é', ',', '"', '""', '\n', '\r\n', 'x,y', '"q"'];
const csvText = fc.array(fc.constantFrom(...pieces), { maxLength: 40 }).map((parts) => parts.join(''));

describe('parseCsv against csv-parse', () => {
  it('reads the same records, or refuses the same input, on random text', () => {
    fc.assert(
      fc.property(csvText, (text) => {
        const ours = parseCsv(text);
        const theirs = oracle(text);
        if (theirs === 'error') {
          expect(ours.error).toBeDefined();
        } else {
          expect(ours.error).toBeUndefined();
          // csv-parse drops a line holding only "" as empty; a quoted empty value is a record to us only when it stands with others.
          const kept = ours.records.map((r) => r.fields).filter((f) => !(f.length === 1 && f[0] === ''));
          expect(kept).toEqual(theirs.filter((f) => !(f.length === 1 && f[0] === '')));
        }
      }),
      { numRuns: 3000 },
    );
  });

  it('names the line and character of text after a closing quote instead of merging it', () => {
    expect(parseCsv('name,email\n"a"b,x@example.com\n').error).toMatchObject({ line: 2, column: 4 });
    expect(parseCsv('"a" ,b').error).toMatchObject({ line: 1, column: 4 });
    expect(parseCsv('x\n"multi\nline"z').error).toMatchObject({ line: 3, column: 6 });
    expect(parseCsv('ok,"open\nstill open').error).toMatchObject({ line: 1, message: 'A quoted field is not closed.' });
  });
});
