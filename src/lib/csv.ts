/**
 * The one CSV writer (RFC 4180, CRLF line ends). A cell a spreadsheet would run as a formula
 * (leading =, +, -, @, tab or CR) is prefixed with an apostrophe, so an export cannot carry one.
 */
export function csvField(value: unknown): string {
  let text = value === null || value === undefined ? '' : String(value);
  if (/^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

export const csvLine = (values: readonly unknown[]): string => `${values.map(csvField).join(',')}\r\n`;
