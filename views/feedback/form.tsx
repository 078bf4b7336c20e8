import { feedbackOutcomes, lossReasons } from '../../db/schema';
import { LOSS_REASON_LABELS } from '../../src/feedback/feedback';
import type { FieldNameKind } from '../../db/schema';
import { ErrorSummary, Field, FormActions, formatDateTime, PageHeader, PostForm, queryString, Select, TextArea } from '../components';
import type { FieldErrors, FormValues, Option } from '../components';
import { Layout, type LayoutProps } from '../layout';
import { OUTCOME_LABELS } from './components';

export const MATERIAL_ROWS = 3;

type FeedbackFormRide = { occurrenceId: string; title: string; account: string | null; start: Date; hostName: string; role: 'guest' | 'host' };

/** The short form after a ride-along; sending it again replaces the earlier answers. */
export function FeedbackFormPage(props: {
  layout: LayoutProps;
  ride: FeedbackFormRide;
  values: FormValues;
  errors?: FieldErrors;
  editing: boolean;
  timeZone: string;
  offered: { competitor: string[]; material: string[] };
}) {
  const outcomeOptions: Option[] = feedbackOutcomes.map((o) => ({ value: o, label: OUTCOME_LABELS[o] }));
  const reasonOptions: Option[] = lossReasons.map((r) => ({ value: r, label: LOSS_REASON_LABELS[r] }));
  const ratingOptions: Option[] = [5, 4, 3, 2, 1].map((r) => ({ value: r, label: `${r} – ${['', 'useless', 'weak', 'fair', 'good', 'excellent'][r]}` }));
  const labels: Record<string, string> = {
    competitors: 'Competitors met',
    outcome: 'Outcome',
    lossReason: 'Why it was lost',
    lossDetail: 'Loss detail',
    suggestion: 'What marketing should change',
  };
  for (let i = 1; i <= MATERIAL_ROWS; i++) Object.assign(labels, { [`material${i}`]: `Material ${i}`, [`rating${i}`]: `Rating of material ${i}` });
  const form = { values: props.values, errors: props.errors };
  return (
    <Layout {...props.layout}>
      <PageHeader title={props.editing ? 'Change your feedback' : 'Ride-along feedback'} />
      <p class="card">
        <strong>{props.ride.title}</strong>
        {props.ride.account && <> · {props.ride.account}</>} · {formatDateTime(props.ride.start, props.timeZone)} · hosted by {props.ride.hostName} · you were
        the {props.ride.role}
      </p>
      <ErrorSummary errors={props.errors} labels={labels} />
      <PostForm action="/feedback" csrfToken={props.layout.csrfToken} class="stack card">
        <input type="hidden" name="occurrenceId" value={props.ride.occurrenceId} />
        <NameField
          kind="competitor"
          name="competitors"
          label="Competitors met"
          {...form}
          hint="Separate names with commas, e.g. Globex, Initech. Pick a known name where one fits; a new one is fine. Leave empty if none came up."
        />
        <Select name="outcome" label="Outcome" options={outcomeOptions} {...form} blank="Choose…" required />
        <Select name="lossReason" label="Why it was lost" options={reasonOptions} {...form} blank="—" hint="Only when the outcome is lost." />
        <Field name="lossDetail" label="Loss detail" {...form} hint="Optional: a sentence on what tipped it." />
        <fieldset class="materials">
          <legend>Sales material used</legend>
          <p class="hint">Deck, battlecard, case study… and how well it worked on this call.</p>
          {Array.from({ length: MATERIAL_ROWS }, (_, index) => index + 1).map((i) => (
            <div class="material-row">
              <NameField kind="material" name={`material${i}`} label={`Material ${i}`} {...form} />
              <Select name={`rating${i}`} label={`Rating of material ${i}`} options={ratingOptions} {...form} blank="—" />
            </div>
          ))}
        </fieldset>
        <datalist id="competitor-names">
          {props.offered.competitor.map((n) => (
            <option value={n} />
          ))}
        </datalist>
        <datalist id="material-names">
          {props.offered.material.map((n) => (
            <option value={n} />
          ))}
        </datalist>
        <TextArea name="suggestion" label="What marketing should change" {...form} rows={4} hint="Optional, but this is what marketing acts on." />
        <FormActions submit={props.editing ? 'Save my feedback' : 'Send feedback'} cancel="/feedback" />
      </PostForm>
    </Layout>
  );
}

/**
 * A competitor or material field: the browser offers the kept names from a <datalist> (no
 * JavaScript needed); with htmx, close matches of what is typed (typos, aliases) appear below it and
 * one click puts the kept name in.
 */
export function NameField(props: { kind: FieldNameKind; name: string; label: string; values: FormValues; errors?: FieldErrors; hint?: string }) {
  const suggest = `/feedback/names/suggest${queryString({ kind: props.kind, field: props.name })}`;
  return (
    <div id={`name-field-${props.name}`} class="name-field">
      <Field
        name={props.name}
        label={props.label}
        values={props.values}
        errors={props.errors}
        hint={props.hint}
        list={`${props.kind}-names`}
        attrs={{
          autocomplete: 'off',
          'hx-get': suggest,
          'hx-trigger': 'input changed delay:300ms',
          'hx-target': `#suggest-${props.name}`,
          'hx-swap': 'innerHTML',
          'hx-sync': 'this:replace',
        }}
      />
      <div id={`suggest-${props.name}`} class="name-suggestions" aria-live="polite"></div>
    </div>
  );
}

/** Close kept names of what was typed in one field; each button puts its name in the field. */
export function NameSuggestions(props: { kind: FieldNameKind; field: string; value: string; matches: { name: string; via: string }[] }) {
  if (props.matches.length === 0) return null;
  return (
    <p class="muted small">
      Known {props.kind === 'competitor' ? 'competitors' : 'material'}:{' '}
      {props.matches.map((m) => (
        <>
          <button
            type="button"
            class="small secondary"
            hx-get={`/feedback/names/complete${queryString({ kind: props.kind, field: props.field, pick: m.name })}`}
            hx-include={`#f-${props.field}`}
            hx-target={`#name-field-${props.field}`}
            hx-swap="outerHTML"
          >
            {m.name}
          </button>
          {m.via !== m.name && <span class="muted"> (also written “{m.via}”)</span>}{' '}
        </>
      ))}
    </p>
  );
}
