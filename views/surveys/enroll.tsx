import { CsrfField, ErrorSummary } from '../components';
import type { FieldErrors, FormValues } from '../components';

export type ReviewProgramOption = { id: number; name: string };

/** What was sent to the enroll form when it comes back with errors: which form, the values, the messages. */
export type EnrollFormState = { scope: 'people' | 'team'; values: FormValues; errors: FieldErrors };

export const enrollLabels: Record<string, string> = { teamIds: 'Teams', programId: 'Review program', scope: 'Whom to enroll' };

export const listOf = (value: unknown): string[] =>
  value === undefined || value === null || value === '' ? [] : Array.isArray(value) ? value.map(String) : [String(value)];

export function ProgramSelect(props: { id: string; label: string; programs: ReviewProgramOption[]; selected?: unknown; error?: string; showLabel?: boolean }) {
  return (
    <>
      <label class={props.showLabel ? undefined : 'sr-only'} for={props.id}>
        {props.label}
      </label>
      <select name="programId" id={props.id} aria-invalid={props.error ? 'true' : undefined} aria-describedby={props.error ? `${props.id}-error` : undefined}>
        {props.programs.map((program) => (
          <option value={String(program.id)} selected={String(program.id) === String(props.selected ?? '')}>
            {program.name}
          </option>
        ))}
      </select>
    </>
  );
}

/** Everyone below the threshold in one review program (named rounds). */
export function EnrollPeopleForm(props: {
  roundId: number;
  csrfToken: string | null;
  programs: ReviewProgramOption[];
  label: string;
  disabled?: boolean;
  state?: EnrollFormState;
}) {
  if (props.programs.length === 0) {
    return (
      <>
        <ErrorSummary errors={props.state?.errors} labels={enrollLabels} />
        <span class="muted">No active review program</span>
      </>
    );
  }
  return (
    <form method="post" action={`/surveys/${props.roundId}/enroll`} class="inline enroll-form">
      <ErrorSummary errors={props.state?.errors} labels={enrollLabels} />
      <CsrfField token={props.csrfToken} />
      <input type="hidden" name="scope" value="people" />
      <ProgramSelect
        id="program-people"
        label="Review program for everyone below the threshold"
        programs={props.programs}
        selected={props.state?.values.programId}
      />{' '}
      <button type="submit" class="small" disabled={props.disabled}>
        {props.label}
      </button>
    </form>
  );
}
