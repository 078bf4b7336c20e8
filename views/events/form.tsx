import type { EventKind } from '../../db/schema';
import { ErrorSummary, Field, FindField, optionsOf, PageHeader, PostForm, Select, TextArea, ZoneField } from '../components';
import type { FieldErrors, FormValues, Option } from '../components';
import { Layout, type LayoutProps } from '../layout';
import { KIND_LABELS } from '../../src/events/event-rules';
import { KIND_FIELDS } from '../../src/events/forms';
import { KindTag, kindOptions } from './components';
import { PEOPLE_FOUND } from '../../src/people/choices';

const WEEKDAY_OPTIONS = [
  ['MO', 'Mon'],
  ['TU', 'Tue'],
  ['WE', 'Wed'],
  ['TH', 'Thu'],
  ['FR', 'Fri'],
  ['SA', 'Sat'],
  ['SU', 'Sun'],
] as const;

const WEEK_OF_MONTH_OPTIONS = [
  ['1', 'first'],
  ['2', 'second'],
  ['3', 'third'],
  ['4', 'fourth'],
  ['-1', 'last'],
] as const;

const FIELD_LABELS: Record<string, string> = {
  kind: 'Kind',
  title: 'Title',
  hostId: 'Host',
  date: 'Date',
  startTime: 'Start time',
  endTime: 'End time',
  timeZone: 'Time zone',
  seats: 'Guest seats',
  account: 'Account',
  opportunityStage: 'Opportunity stage',
  location: 'Location',
  meetingUrl: 'Meeting link',
  topic: 'Topic',
  repeat: 'Repeat',
  interval: 'Every',
  byWeekday: 'Days',
  monthlyBy: 'Monthly on',
  weeksOfMonth: 'Weeks of the month',
  rrule: 'Custom rule',
  until: 'Until',
  count: 'Occurrences',
};

const REPEAT_OPTIONS: Option[] = [
  { value: 'none', label: 'Does not repeat' },
  { value: 'daily', label: 'Daily' },
  { value: 'weekly', label: 'Weekly' },
  { value: 'monthly', label: 'Monthly' },
  { value: 'yearly', label: 'Yearly (on the same date)' },
  { value: 'custom', label: 'Custom rule (RRULE)' },
];

const MONTHLY_BY_OPTIONS: Option[] = [
  { value: 'date', label: 'the same day of the month' },
  { value: 'weekday', label: 'the same weekday (e.g. second Tuesday, last Friday)' },
  { value: 'weeks', label: 'the same weekday in the weeks chosen below (e.g. first and third Tuesday)' },
  { value: 'lastDay', label: 'the last day of the month' },
  { value: 'lastWeekday', label: 'the last weekday (Monday to Friday) of the month' },
];

/** A group of checkboxes under one legend (several values of one field), with its field error. */
function CheckboxGroup(props: { name: string; legend: string; options: readonly (readonly [string, string])[]; values: FormValues; errors?: FieldErrors }) {
  const value = props.values[props.name];
  const checked = new Set(Array.isArray(value) ? value.map(String) : value ? [String(value)] : []);
  const error = props.errors?.[props.name];
  const errorId = `f-${props.name}-error`;
  return (
    <fieldset class={error ? 'field has-error weekdays' : 'field weekdays'} aria-describedby={error ? errorId : undefined}>
      <legend>{props.legend}</legend>
      {props.options.map(([code, label]) => (
        <label class="checkbox">
          <input type="checkbox" name={props.name} value={code} checked={checked.has(code)} /> {label}
        </label>
      ))}
      {error && (
        <p class="field-error" id={errorId}>
          {error}
        </p>
      )}
    </fieldset>
  );
}

export type EventFormProps = {
  layout: LayoutProps;
  heading: string;
  action: string;
  submitLabel: string;
  values: FormValues;
  errors?: FieldErrors;
  kindFixed: EventKind | null;
  hostOptions: Option[] | null;
  stageOptions: Option[];
  fromOccurrence?: string | null;
  note?: string | null;
  /** An event of the same title, host and start exists: warn, and submitting again creates it anyway. */
  duplicate?: { href: string; title: string; you: boolean } | null;
};

const kindOf = (value: unknown): EventKind => (typeof value === 'string' && value in KIND_FIELDS ? (value as EventKind) : 'sales_call');

/**
 * The fields of one kind of event, in their own fieldset. The page shows it for the kind chosen;
 * with htmx, choosing another kind swaps in this same partial (GET /events/kind-fields).
 */
export function KindFields(props: { kind: EventKind; values: FormValues; errors?: FieldErrors; stageOptions: Option[] }) {
  const fields: readonly string[] = KIND_FIELDS[props.kind];
  const v = props.values;
  return (
    <fieldset id="kind-fields" aria-live="polite">
      <legend>{KIND_LABELS[props.kind]}</legend>
      {fields.includes('account') && <Field name="account" label="Account" required values={v} errors={props.errors} hint="The customer the call is with." />}
      {fields.includes('opportunityStage') && (
        <Select name="opportunityStage" label="Opportunity stage" blank="—" options={props.stageOptions} values={v} errors={props.errors} />
      )}
      {fields.includes('topic') && (
        <Field name="topic" label="Topic" required={props.kind === 'marketing_meeting'} values={v} errors={props.errors} hint="What it is about." />
      )}
      {fields.includes('location') && <Field name="location" label="Location" values={v} errors={props.errors} />}
      {fields.includes('meetingUrl') && <Field name="meetingUrl" label="Meeting link" type="url" values={v} errors={props.errors} />}
    </fieldset>
  );
}

const SEATS_HINT = 'How many people from the other department may join each occurrence.';
const INTERVAL_HINT = '1 = every day/week/month, 2 = every other …';

export function EventFormPage(props: EventFormProps) {
  const v = props.values;
  const form = { values: v, errors: props.errors };
  return (
    <Layout {...props.layout}>
      <PageHeader title={props.heading} />
      {props.note && <p class="notice">{props.note}</p>}
      {props.duplicate && (
        <div class="notice duplicate" role="alert" tabindex={-1} data-focus-result="">
          <strong>This looks like a duplicate.</strong> {props.duplicate.you ? 'You already host' : 'This host already has'}{' '}
          <a href={props.duplicate.href}>{props.duplicate.title}</a> at the same start. Check it first; to create another one anyway, press "{props.submitLabel}
          " below.
        </div>
      )}
      <ErrorSummary errors={props.errors} labels={FIELD_LABELS} />
      <PostForm action={props.action} csrfToken={props.layout.csrfToken} class="stack card" novalidate>
        {props.duplicate && <input type="hidden" name="confirmDuplicate" value="1" />}
        {props.fromOccurrence && <input type="hidden" name="fromOccurrence" value={props.fromOccurrence} />}
        {props.kindFixed ? (
          <>
            <input type="hidden" name="kind" value={props.kindFixed} />
            <p>
              Kind: <KindTag kind={props.kindFixed} />
            </p>
          </>
        ) : (
          <div class="kind-choice">
            <Select
              name="kind"
              label="Kind"
              required
              options={kindOptions}
              values={v}
              errors={props.errors}
              hint="The form shows the fields of the kind chosen."
              attrs={{
                'hx-get': '/events/kind-fields',
                'hx-trigger': 'change',
                'hx-target': '#kind-fields',
                'hx-swap': 'outerHTML',
                'hx-include': '#kind-fields',
              }}
            />
            {/* Without JavaScript this button shows the fields of the kind chosen; what was typed stays. */}
            <button type="submit" name="changeKind" value="1" class="secondary small no-js-only" formnovalidate>
              Show the fields of this kind
            </button>
          </div>
        )}
        <Field name="title" label="Title" required values={v} errors={props.errors} />
        {props.hostOptions && (
          <>
            <Select name="hostId" label="Host" options={props.hostOptions} values={v} errors={props.errors} />
            <FindField
              name="hostSearch"
              label="Find a host"
              button="findHost"
              value={v.hostSearch}
              hint={`By name, address or title: the host list then shows the first ${PEOPLE_FOUND} people found.`}
            />
          </>
        )}
        <div class="grid">
          <Field name="date" label="Date" type="date" required values={v} errors={props.errors} />
          <Field name="startTime" label="Start time" type="time" required values={v} errors={props.errors} />
          <Field name="endTime" label="End time" type="time" required values={v} errors={props.errors} />
          <ZoneField
            name="timeZone"
            label="Time zone"
            required
            values={v}
            errors={props.errors}
            hint="Type a city and pick the zone from the list. The event keeps its wall-clock time in this zone."
          />
        </div>
        <Field name="seats" label="Guest seats" type="number" min={0} max={500} {...form} hint={SEATS_HINT} />
        <KindFields kind={kindOf(props.kindFixed ?? v.kind)} values={v} errors={props.errors} stageOptions={props.stageOptions} />
        <TextArea name="description" label="Description" values={v} errors={props.errors} />
        <fieldset>
          <legend>Repeat</legend>
          <Select name="repeat" label="Repeat" options={REPEAT_OPTIONS} values={v} errors={props.errors} />
          <Field name="interval" label="Every" type="number" min={1} max={99} {...form} hint={INTERVAL_HINT} />
          <CheckboxGroup name="byWeekday" legend="Days (weekly)" options={WEEKDAY_OPTIONS} values={v} errors={props.errors} />
          <Select name="monthlyBy" label="Monthly on" options={MONTHLY_BY_OPTIONS} values={v} errors={props.errors} />
          <CheckboxGroup
            name="weeksOfMonth"
            legend="Weeks of the month (monthly on the same weekday in chosen weeks)"
            options={WEEK_OF_MONTH_OPTIONS}
            values={v}
            errors={props.errors}
          />
          <Field
            name="rrule"
            label="Custom rule"
            values={v}
            errors={props.errors}
            hint="Any RFC 5545 RRULE at daily frequency or coarser, e.g. FREQ=MONTHLY;BYDAY=MO,TU,WE,TH,FR;BYSETPOS=-1 (it carries its own end)."
          />
          <Select
            name="ends"
            label="Ends"
            options={optionsOf({ never: 'Never', until: 'On a date', count: 'After a number of occurrences' })}
            values={v}
            errors={props.errors}
          />
          <Field name="until" label="Until" type="date" values={v} errors={props.errors} />
          <Field name="count" label="Occurrences" type="number" min={1} max={500} values={v} errors={props.errors} />
        </fieldset>
        <button type="submit">{props.submitLabel}</button>
      </PostForm>
    </Layout>
  );
}
