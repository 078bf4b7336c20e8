import { z } from 'zod';
import { canonicalZoneName } from './zones';

// Building an Intl.DateTimeFormat costs about a tenth of a millisecond (far more on a busy machine):
// a 10,000-row import checks the same few zones thousands of times.
const zoneNames = new Map<string, string | null>();

/** The listed spelling of an IANA zone name (see lib/zones), or null when it names no zone of the list. */
const zoneNameOf = (zone: string): string | null => {
  let name = zoneNames.get(zone);
  if (name === undefined) {
    name = canonicalZoneName(zone);
    // Bounded, so hostile input cannot grow it without limit.
    if (zoneNames.size < 2000) zoneNames.set(zone, name);
  }
  return name;
};

export const isValidTimeZoneName = (zone: string) => zoneNameOf(zone) !== null;

const isRealDate = (value: string) => {
  const [y, m, d] = value.split('-').map(Number);
  const date = new Date(Date.UTC(y, m - 1, d));
  return date.getUTCFullYear() === y && date.getUTCMonth() === m - 1 && date.getUTCDate() === d;
};

/**
 * Dates the service works with: far enough back for any hire date, far enough ahead for any plan.
 * Outside them arithmetic on dates (a week on, the end of a month, a zone's offset) would reach
 * years JavaScript dates and time zone data cannot represent, so such input is refused up front.
 */
const MIN_DATE = '1900-01-01';
const MAX_DATE = '2199-12-31';

export const dateSchema = z
  .string()
  .trim()
  .regex(/^\d{4}-\d{2}-\d{2}$/, 'Use a date like 2026-03-31.')
  .refine(isRealDate, 'This date does not exist.')
  .refine((v) => v >= MIN_DATE && v <= MAX_DATE, `Use a date between ${MIN_DATE} and ${MAX_DATE}.`);

/** An ISO 8601 instant with an offset, inside the same years as dateSchema. */
export const instantSchema = z.iso.datetime({ offset: true }).refine((v) => {
  const ms = Date.parse(v);
  return !Number.isNaN(ms) && ms >= Date.parse(`${MIN_DATE}T00:00:00Z`) && ms <= Date.parse(`${MAX_DATE}T23:59:59Z`);
}, `Use an instant between ${MIN_DATE} and ${MAX_DATE}.`);

// C0 controls (CR, LF, tab, NUL …), DEL and the C1 range have no place in a one-line value: they
// split mail headers, iCalendar lines and CSV rows, and hide text on screen.
const CONTROL_CHARACTERS = /[\u0000-\u001f\u007f-\u009f]/;

/** True for text on one line: no control characters. */
export const isSingleLine = (v: string) => !CONTROL_CHARACTERS.test(v);
export const SINGLE_LINE_MESSAGE = 'Keep this to one line, without control characters such as line breaks or tabs.';

const ZONE_MESSAGE = 'Use an IANA time zone from the list, such as Europe/Berlin or America/New_York.';

/** A time zone of the list people pick from, stored in the list's spelling. */
export const zoneSchema = z
  .string()
  .trim()
  .refine(isValidTimeZoneName, ZONE_MESSAGE)
  .transform((zone) => zoneNameOf(zone) ?? zone);

export const emailSchema = z.string().trim().toLowerCase().max(254).pipe(z.email('Enter a valid email address.'));

export const idSchema = z.coerce.number().int().positive().max(Number.MAX_SAFE_INTEGER);

/**
 * An id in an address: digits only, as the links we make write it. `1e3`, `0x10` or ` 7` would
 * coerce to a number, but no link of ours looks like that, so they name nothing (404).
 */
export const pathIdSchema = z
  .string()
  .regex(/^[1-9]\d{0,15}$/)
  .transform(Number)
  .pipe(z.number().int().positive().max(Number.MAX_SAFE_INTEGER));

/** HTML forms send '' for an empty field; treat it as absent. */
export const blankToUndefined = (v: unknown) => (typeof v === 'string' && v.trim() === '' ? undefined : v);

/** Paging of API lists: `page` from 1, `pageSize` up to 500 (100 by default); answers carry page, pageSize and total. */
export const apiPageQuery = {
  page: z.coerce.number().int().min(1).max(100_000).default(1).describe('Page number, from 1'),
  pageSize: z.coerce.number().int().min(1).max(500).default(100).describe('Rows per page, at most 500'),
};

export const pageQuery = {
  page: z.preprocess(blankToUndefined, z.coerce.number().int().min(1).max(100_000).default(1)),
  pageSize: z.preprocess(blankToUndefined, z.coerce.number().int().min(1).max(200).default(50)),
};
