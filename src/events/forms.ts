/** Form schemas of the event pages and their translation into domain input. */
import { z } from 'zod';
import { eventKinds, opportunityStages } from '../../db/schema';
import type { FieldErrors, FormValues } from '../../views/components';
import { AppError } from '../lib/errors';
import { blankToUndefined, dateSchema, idSchema, zoneSchema, isSingleLine, SINGLE_LINE_MESSAGE } from '../lib/validation';
import { formatLocal, zonedLocalToUtc } from '../lib/time';
import type { EventDetails, EventRow } from './event-rules';
import { MAX_RRULE_LENGTH, MONTHLY_BY, RecurrenceError, WEEKDAY_CODES, normalizeSeries, simpleRecurrence, toRRuleString, type Recurrence } from './recurrence';

const timeOfDay = (message: string) =>
  z
    .string()
    .trim()
    .regex(/^([01]\d|2[0-3]):[0-5]\d$/, message);
const optionalText = (max: number) =>
  z.preprocess(blankToUndefined, z.string().trim().max(max, `At most ${max} characters.`).refine(isSingleLine, SINGLE_LINE_MESSAGE).optional());
const toList = (v: unknown) => (v === undefined || v === '' ? undefined : Array.isArray(v) ? v : [v]);

export const eventFormSchema = z
  .object({
    kind: z.enum(eventKinds, { error: 'Choose the kind of event.' }),
    title: z.string({ error: 'Enter a title.' }).trim().refine(isSingleLine, SINGLE_LINE_MESSAGE).min(1, 'Enter a title.').max(200, 'At most 200 characters.'),
    description: z.preprocess((v) => v ?? '', z.string().max(5000, 'At most 5000 characters.')),
    hostId: z.preprocess(blankToUndefined, idSchema.optional()),
    date: dateSchema,
    startTime: timeOfDay('Enter a start time like 09:00.'),
    endTime: timeOfDay('Enter an end time like 10:00.'),
    timeZone: zoneSchema,
    seats: z.preprocess(
      (v) => (v === '' || v === undefined ? 0 : v),
      z.coerce.number().int('Seats must be a whole number.').min(0, 'Seats cannot be negative.').max(500, 'At most 500 seats.'),
    ),
    account: optionalText(200),
    opportunityStage: z.preprocess(blankToUndefined, z.enum(opportunityStages).optional()),
    location: optionalText(300),
    meetingUrl: z.preprocess(
      blankToUndefined,
      z
        .url({ protocol: /^https?$/, error: 'Enter a link starting with https://' })
        .max(500)
        .optional(),
    ),
    topic: optionalText(200),
    repeat: z.preprocess(blankToUndefined, z.enum(['none', 'daily', 'weekly', 'monthly', 'yearly', 'custom']).default('none')),
    interval: z.preprocess(blankToUndefined, z.coerce.number().int('Use a whole number.').min(1, 'At least 1.').max(99, 'At most 99.').default(1)),
    byWeekday: z.preprocess(toList, z.array(z.enum(WEEKDAY_CODES)).optional()),
    monthlyBy: z.preprocess(blankToUndefined, z.enum(MONTHLY_BY).optional()),
    weeksOfMonth: z.preprocess(toList, z.array(z.coerce.number().refine((n) => [1, 2, 3, 4, -1].includes(n), 'Choose first to fourth or last.')).optional()),
    rrule: optionalText(MAX_RRULE_LENGTH),
    ends: z.preprocess(blankToUndefined, z.enum(['never', 'until', 'count']).default('never')),
    until: z.preprocess(blankToUndefined, dateSchema.optional()),
    count: z.preprocess(blankToUndefined, z.coerce.number().int('Use a whole number.').min(1, 'At least 1.').max(500, 'At most 500 occurrences.').optional()),
    fromOccurrence: z.preprocess(blankToUndefined, z.string().max(100).optional()),
    /** The person saw the duplicate warning and creates the event anyway. */
    confirmDuplicate: z.preprocess(blankToUndefined, z.literal('1').optional()),
  })
  .superRefine((v, ctx) => {
    if (v.endTime <= v.startTime) ctx.addIssue({ code: 'custom', path: ['endTime'], message: 'The end time must be after the start time.' });
    if (v.repeat === 'custom' && !v.rrule)
      ctx.addIssue({ code: 'custom', path: ['rrule'], message: 'Enter the rule, e.g. FREQ=MONTHLY;BYDAY=MO,TU,WE,TH,FR;BYSETPOS=-1.' });
    if (v.repeat === 'monthly' && v.monthlyBy === 'weeks' && !v.weeksOfMonth?.length) {
      ctx.addIssue({ code: 'custom', path: ['weeksOfMonth'], message: 'Choose the weeks of the month, e.g. first and third.' });
    }
    if (v.repeat !== 'none' && v.repeat !== 'custom' && v.ends === 'until' && !v.until)
      ctx.addIssue({ code: 'custom', path: ['until'], message: 'Choose the last date.' });
    if (v.repeat !== 'none' && v.repeat !== 'custom' && v.ends === 'count' && !v.count)
      ctx.addIssue({ code: 'custom', path: ['count'], message: 'Enter how many times.' });
  });
type EventForm = z.infer<typeof eventFormSchema>;

/**
 * The fields each kind of event has: a sales call is with an account at an opportunity stage, a
 * marketing meeting has a topic; every kind has a place or a link. The form shows only these, and
 * fields of another kind that still arrive (a stale form) are dropped, never stored.
 */
export const KIND_FIELDS = {
  sales_call: ['account', 'opportunityStage', 'location', 'meetingUrl'],
  marketing_meeting: ['topic', 'location', 'meetingUrl'],
  alignment_meeting: ['location', 'meetingUrl'],
  training: ['topic', 'location', 'meetingUrl'],
} as const satisfies Record<(typeof eventKinds)[number], readonly string[]>;
type KindField = (typeof KIND_FIELDS)[keyof typeof KIND_FIELDS][number];

const hasField = (kind: keyof typeof KIND_FIELDS, field: KindField) => (KIND_FIELDS[kind] as readonly string[]).includes(field);

/** The kind a page asks for (?kind=), or null when it names none. */
export const kindParam = (value: unknown): keyof typeof KIND_FIELDS | null =>
  typeof value === 'string' && value in KIND_FIELDS ? (value as keyof typeof KIND_FIELDS) : null;

const minutesOf = (time: string) => Number(time.slice(0, 2)) * 60 + Number(time.slice(3, 5));

/** The structured rule the form describes, or null for "does not repeat" and for a custom RRULE. */
function recurrenceFromForm(form: EventForm): Recurrence | null {
  if (form.repeat === 'none' || form.repeat === 'custom') return null;
  const rule: Recurrence = { freq: form.repeat, interval: form.interval };
  if (form.repeat === 'weekly' && form.byWeekday?.length) rule.byWeekday = form.byWeekday;
  if (form.repeat === 'monthly') rule.monthlyBy = form.monthlyBy ?? 'date';
  if (form.repeat === 'monthly' && rule.monthlyBy === 'weeks') rule.weeksOfMonth = form.weeksOfMonth;
  if (form.ends === 'until' && form.until) rule.until = form.until;
  if (form.ends === 'count' && form.count) rule.count = form.count;
  return rule;
}

/** Domain input from the form; a rule that does not fit is a field error on the rule's fields. */
export function detailsFromForm(form: EventForm, defaultHostId: number): EventDetails {
  const startLocal = `${form.date}T${form.startTime}`;
  const rule = recurrenceFromForm(form);
  let rrule: string | null = null;
  if (form.repeat === 'custom' && form.rrule) {
    try {
      rrule = normalizeSeries(form.rrule, startLocal, form.timeZone).rrule;
    } catch (err) {
      if (!(err instanceof RecurrenceError)) throw err;
      throw new AppError(400, 'invalid', err.message, [{ path: 'rrule', message: err.message }]);
    }
  }
  if (rule) {
    try {
      rrule = toRRuleString(rule, startLocal);
    } catch (err) {
      if (!(err instanceof RecurrenceError)) throw err;
      const path = /repeats on/.test(err.message)
        ? 'byWeekday'
        : /end date/.test(err.message)
          ? 'until'
          : /weeks of the month/i.test(err.message)
            ? 'weeksOfMonth'
            : 'repeat';
      throw new AppError(400, 'invalid', err.message, [{ path, message: err.message }]);
    }
  }
  return {
    kind: form.kind,
    title: form.title,
    description: form.description,
    hostId: form.hostId ?? defaultHostId,
    startLocal,
    timeZone: form.timeZone,
    durationMinutes: minutesOf(form.endTime) - minutesOf(form.startTime),
    seats: form.seats,
    rrule,
    account: hasField(form.kind, 'account') ? (form.account ?? null) : null,
    opportunityStage: hasField(form.kind, 'opportunityStage') ? (form.opportunityStage ?? null) : null,
    location: hasField(form.kind, 'location') ? (form.location ?? null) : null,
    meetingUrl: hasField(form.kind, 'meetingUrl') ? (form.meetingUrl ?? null) : null,
    topic: hasField(form.kind, 'topic') ? (form.topic ?? null) : null,
  };
}

const DOMAIN_TO_FORM_FIELD: Record<string, string> = { start: 'startTime', end: 'endTime', recurrence: 'repeat', personIds: 'personIds' };

/** Field errors for a domain error raised from form input, or null when it is not about input. */
export function formErrorsOf(err: unknown): FieldErrors | null {
  if (!(err instanceof AppError) || err.status !== 400) return null;
  const errors: FieldErrors = {};
  for (const issue of err.issues ?? [{ path: '_form', message: err.message }]) {
    const field = DOMAIN_TO_FORM_FIELD[issue.path] ?? (issue.path || '_form');
    errors[field] ??= issue.message;
  }
  return errors;
}

/** Form values showing an event (or, with `startLocal`/`rrule`, the part of a series from an occurrence). */
export function formValuesOf(event: EventRow, startLocal = event.startLocal, rrule = event.rrule): FormValues {
  const start = zonedLocalToUtc(startLocal, event.timeZone);
  const endLocal = formatLocal(new Date(start.getTime() + event.durationMinutes * 60_000), event.timeZone);
  const rule = rrule ? simpleRecurrence(rrule, { firstStartLocal: startLocal, timeZone: event.timeZone }) : null;
  return {
    kind: event.kind,
    title: event.title,
    description: event.description,
    hostId: event.hostId,
    date: startLocal.slice(0, 10),
    startTime: startLocal.slice(11, 16),
    endTime: endLocal.slice(11, 16),
    timeZone: event.timeZone,
    seats: event.seats,
    account: event.account,
    opportunityStage: event.opportunityStage,
    location: event.location,
    meetingUrl: event.meetingUrl,
    topic: event.topic,
    repeat: rule?.freq ?? (rrule ? 'custom' : 'none'),
    rrule: rrule ?? undefined,
    weeksOfMonth: (rule?.weeksOfMonth ?? []).map(String),
    interval: rule?.interval ?? 1,
    byWeekday: rule?.byWeekday ?? [],
    monthlyBy: rule?.monthlyBy ?? 'date',
    ends: rule?.until ? 'until' : rule?.count ? 'count' : 'never',
    until: rule?.until,
    count: rule?.count,
  };
}
