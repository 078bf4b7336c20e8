/** One parsed CSV record with the line number (1-based) it starts on. */
export type CsvRecord = { line: number; fields: string[] };

/**
 * RFC 4180 parsing: quoted fields may hold commas, quotes ("") and line breaks; CRLF or LF;
 * a UTF-8 byte order mark is dropped. Blank lines are skipped.
 */
export function parseCsv(text: string): { records: CsvRecord[]; error?: { line: number; message: string } } {
  const records: CsvRecord[] = [];
  let i = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  let line = 1;
  let field = '';
  let fields: string[] = [];
  let recordLine = 1;
  let inQuotes = false;
  let quotedField = false;
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
        } else inQuotes = false;
      } else {
        if (ch === '\n') line++;
        field += ch;
      }
      continue;
    }
    if (ch === '"') {
      if (field.length > 0) return { records, error: { line, message: 'A quote appears inside an unquoted field.' } };
      inQuotes = true;
      quotedField = true;
    } else if (ch === ',') {
      fields.push(field);
      field = '';
      quotedField = false;
    } else if (ch === '\n' || ch === '\r') {
      if (ch === '\r' && text[i + 1] === '\n') i++;
      endRecord();
      line++;
      recordLine = line;
    } else field += ch;
  }
  if (inQuotes) return { records, error: { line: recordLine, message: 'A quoted field is not closed.' } };
  if (field.length > 0 || fields.length > 0 || quotedField) endRecord();
  return { records };
}

/** Quotes a value for CSV output when it needs it; a leading =,+,-,@ is defused against spreadsheet formulas. */
export function csvField(value: unknown): string {
  let s = value == null ? '' : String(value);
  if (/^[=+\-@\t\r]/.test(s)) s = "'" + s;
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

export const csvLine = (values: unknown[]) => values.map(csvField).join(',') + '\r\n';
