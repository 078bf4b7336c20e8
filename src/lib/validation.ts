import { z } from 'zod';

// Building an Intl.DateTimeFormat costs about a tenth of a millisecond (far more on a busy machine):
// a 10,000-row import checks the same few zones thousands of times.
const zoneValidity = new Map<string, boolean>();

export const isValidTimeZoneName = (zone: string) => {
  let valid = zoneValidity.get(zone);
  if (valid === undefined) {
    try {
      new Intl.DateTimeFormat('en-US', { timeZone: zone });
      valid = zone.length > 0 && zone.length < 64;
    } catch {
      valid = false;
    }
    // Bounded, so hostile input cannot grow it without limit.
    if (zoneValidity.size < 2000) zoneValidity.set(zone, valid);
  }
  return valid;
};

const isRealDate = (value: string) => {
  const [y, m, d] = value.split('-').map(Number);
  const date = new Date(Date.UTC(y, m - 1, d));
  return date.getUTCFullYear() === y && date.getUTCMonth() === m - 1 && date.getUTCDate() === d;
};

export const dateSchema = z
  .string()
  .trim()
  .regex(/^\d{4}-\d{2}-\d{2}$/, 'Use a date like 2026-03-31.')
  .refine(isRealDate, 'This date does not exist.');

export const zoneSchema = z.string().trim().refine(isValidTimeZoneName, 'Use an IANA time zone such as Europe/Berlin.');

export const emailSchema = z.string().trim().toLowerCase().max(254).pipe(z.email('Enter a valid email address.'));

export const idSchema = z.coerce.number().int().positive();

/** HTML forms send '' for an empty field; treat it as absent. */
export const blankToUndefined = (v: unknown) => (typeof v === 'string' && v.trim() === '' ? undefined : v);

export const pageQuery = {
  page: z.preprocess(blankToUndefined, z.coerce.number().int().min(1).max(100_000).default(1)),
  pageSize: z.preprocess(blankToUndefined, z.coerce.number().int().min(1).max(200).default(50)),
};
