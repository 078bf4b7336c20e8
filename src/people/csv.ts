/** One parsed CSV record with the line number (1-based) it starts on. */
type CsvRecord = { line: number; fields: string[] };

export type CsvDelimiter = ',' | ';' | '\t';

/** How people call each separator, for messages. */
export const DELIMITER_NAMES: Record<CsvDelimiter, string> = { ',': 'commas', ';': 'semicolons', '\t': 'tabs' };

/**
 * The separator of a file, read from its first line outside quotes: Excel in many European locales
 * saves "CSV" with semicolons, and "Unicode text" with tabs. Commas win a tie.
 */
export function detectDelimiter(text: string): CsvDelimiter {
  const counts: Record<CsvDelimiter, number> = { ',': 0, ';': 0, '\t': 0 };
  let inQuotes = false;
  for (let i = text.charCodeAt(0) === 0xfeff ? 1 : 0; i < text.length && i < 65_536; i++) {
    const ch = text[i]!;
    if (ch === '"') inQuotes = !inQuotes;
    else if (!inQuotes && (ch === '\n' || ch === '\r')) break;
    else if (!inQuotes && ch in counts) counts[ch as CsvDelimiter]++;
  }
  let best: CsvDelimiter = ',';
  for (const d of [';', '\t'] as const) if (counts[d] > counts[best]) best = d;
  return best;
}

/**
 * A file's bytes as text: UTF-8 (with or without a byte order mark) when they are valid UTF-8,
 * otherwise Windows-1252, which is what Excel writes for "CSV" in western locales.
 */
export function decodeCsvBytes(bytes: ArrayBuffer | Uint8Array): string {
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    return new TextDecoder('windows-1252').decode(bytes);
  }
}

/** Where reading stopped: the line, and the character on it where that is known. */
type CsvError = { line: number; column?: number; message: string };

/**
 * RFC 4180 parsing: quoted fields may hold the separator (a comma unless told), quotes ("") and line breaks; CRLF or LF;
 * a UTF-8 byte order mark is dropped. Blank lines are skipped. Anything that RFC 4180 does not
 * allow (text after a closing quote, a quote inside an unquoted field, an unclosed quote) is an
 * error with its line and character position, never silently repaired: an import must not take
 * in mangled data.
 */
export function parseCsv(text: string, delimiter: CsvDelimiter = ','): { records: CsvRecord[]; error?: CsvError } {
  const records: CsvRecord[] = [];
  let i = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  let line = 1;
  let lineStart = i;
  let field = '';
  let fields: string[] = [];
  let recordLine = 1;
  let quoteLine = 1;
  let inQuotes = false;
  let quotedField = false;
  const fail = (at: number, atLine: number, message: string) => {
    const column = at - lineStart + 1;
    return { records, error: { line: atLine, column, message: `Character ${column}: ${message}` } };
  };
  const endRecord = () => {
    fields.push(field);
    if (!(fields.length === 1 && fields[0] === '' && !quotedField)) records.push({ line: recordLine, fields });
    fields = [];
    field = '';
    quotedField = false;
  };
  for (; i < text.length; i++) {
    const ch = text[i];
    if (inQuotes) {
      if (ch === '"') {
        if (text[i + 1] === '"') {
          field += '"';
          i++;
          continue;
        }
        inQuotes = false;
        const next = text[i + 1];
        if (next !== undefined && next !== delimiter && next !== '\n' && next !== '\r') {
          return fail(i + 1, line, 'text follows the closing quote of a field; put the whole value inside the quotes.');
        }
      } else {
        if (ch === '\n' || (ch === '\r' && text[i + 1] !== '\n')) {
          line++;
          lineStart = i + 1;
        }
        field += ch;
      }
      continue;
    }
    if (ch === '"') {
      if (field.length > 0) return fail(i, line, 'a quote appears inside an unquoted field; quote the whole value and double the quote ("").');
      quoteLine = line;
      inQuotes = true;
      quotedField = true;
    } else if (ch === delimiter) {
      fields.push(field);
      field = '';
      quotedField = false;
    } else if (ch === '\n' || ch === '\r') {
      if (ch === '\r' && text[i + 1] === '\n') i++;
      endRecord();
      line++;
      lineStart = i + 1;
      recordLine = line;
    } else field += ch;
  }
  if (inQuotes) {
    return { records, error: { line: quoteLine, message: 'A quoted field is not closed.' } };
  }
  if (field.length > 0 || fields.length > 0 || quotedField) endRecord();
  return { records };
}
