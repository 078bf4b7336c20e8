import rrulePackage from 'rrule';
import { z } from 'zod';
import { monthName } from '../lib/time';

// rrule ships CommonJS for Node: under Node's ESM loader its classes are on the default export only.
const { RRule } = rrulePackage;

/** The units a review rhythm is chosen in on the form. */
export const RHYTHM_UNITS = ['week', 'month', 'year'] as const;
type RhythmUnit = (typeof RHYTHM_UNITS)[number];

const FREQ: Record<RhythmUnit, string> = { week: 'WEEKLY', month: 'MONTHLY', year: 'YEARLY' };

/** The form's rhythm fields: "every [3] [months], on day [1]"; the day is optional (then the first cycle's day). */
const rhythmFieldsSchema = z.object({
  rhythmEvery: z.coerce.number({ message: 'Enter how often, e.g. 3.' }).int('Use a whole number.').min(1, 'At least 1.').max(60, 'At most 60.'),
  rhythmUnit: z.enum(RHYTHM_UNITS, { message: 'Choose weeks, months or years.' }),
  rhythmDay: z.preprocess(
    (v) => (v === '' || v === undefined || v === null ? undefined : v),
    z.coerce.number().int('Use a whole number.').min(1, 'Use a day from 1 to 31.').max(31, 'Use a day from 1 to 31.').optional(),
  ),
});
type RhythmFields = z.infer<typeof rhythmFieldsSchema>;

/** The recurrence rule a chosen rhythm stands for: every 3 months on the 1st is FREQ=MONTHLY;INTERVAL=3;BYMONTHDAY=1. */
export function rhythmToRule(fields: RhythmFields): string {
  const parts = [`FREQ=${FREQ[fields.rhythmUnit]}`];
  if (fields.rhythmEvery !== 1) parts.push(`INTERVAL=${fields.rhythmEvery}`);
  if (fields.rhythmDay !== undefined && fields.rhythmUnit !== 'week') parts.push(`BYMONTHDAY=${fields.rhythmDay}`);
  return parts.join(';');
}

/** The form fields for a stored rule, when the form can express it (otherwise null: the rule is kept as it is). */
export function ruleToRhythm(rule: string | null | undefined): RhythmFields | null {
  if (!rule) return null;
  const m = /^(?:RRULE:)?FREQ=(WEEKLY|MONTHLY|YEARLY)(?:;INTERVAL=(\d+))?(?:;BYMONTHDAY=(\d+))?$/i.exec(rule.trim());
  if (!m) return null;
  const unit = (Object.keys(FREQ) as RhythmUnit[]).find((u) => FREQ[u] === m[1]!.toUpperCase())!;
  if (unit === 'week' && m[3]) return null;
  return { rhythmEvery: m[2] ? Number(m[2]) : 1, rhythmUnit: unit, rhythmDay: m[3] ? Number(m[3]) : undefined };
}

const ORDINAL = (n: number) => `${n}${n % 10 === 1 && n !== 11 ? 'st' : n % 10 === 2 && n !== 12 ? 'nd' : n % 10 === 3 && n !== 13 ? 'rd' : 'th'}`;

/**
 * A review rhythm in words, as people say it: "every 3 months, on the 1st". The first cycle's date
 * names the day a rule leaves open. Rules the words cannot carry fall back to the rrule library's text.
 */
export function describeRhythm(rule: string | null | undefined, anchorDate?: string | null): string {
  if (!rule) return 'no rhythm';
  const fields = ruleToRhythm(rule);
  if (fields) {
    const every = fields.rhythmEvery === 1 ? `every ${fields.rhythmUnit}` : `every ${fields.rhythmEvery} ${fields.rhythmUnit}s`;
    if (fields.rhythmUnit === 'week') {
      if (!anchorDate) return every;
      const weekday = new Date(`${anchorDate}T00:00:00Z`).toLocaleDateString('en-GB', { weekday: 'long', timeZone: 'UTC' });
      return `${every}, on ${weekday}s`;
    }
    const day = fields.rhythmDay ?? (anchorDate ? Number(anchorDate.slice(8, 10)) : undefined);
    if (day === undefined) return every;
    if (fields.rhythmUnit === 'year' && anchorDate) return `${every}, on ${day} ${monthName(Number(anchorDate.slice(5, 7)))}`;
    return `${every}, on the ${ORDINAL(day)}`;
  }
  try {
    return RRule.fromString(rule.replace(/^RRULE:/i, '')).toText();
  } catch {
    return rule;
  }
}

/**
 * For the program form: when no rule was typed, the rule the chosen rhythm stands for. A rhythm the
 * form cannot read is left out, so the review check asks for one.
 */
export function withRhythmRule(value: unknown): unknown {
  if (!value || typeof value !== 'object') return value;
  const o = value as Record<string, unknown>;
  if (typeof o.rrule === 'string' && o.rrule.trim() !== '') return o;
  if (o.kind !== 'review') return o;
  const parsed = rhythmFieldsSchema.safeParse(o);
  return parsed.success ? { ...o, rrule: rhythmToRule(parsed.data) } : o;
}
