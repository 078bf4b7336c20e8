import type { SheetRow } from '../../src/programs/attendance';
import { ButtonLink, CsrfField, Field, formatDateTime, PageHeader, PostButton, PostForm } from '../components';
import { Layout, type LayoutProps } from '../layout';

type AttendanceSheetProps = {
  occurrenceId: string;
  rows: SheetRow[];
  csrf: string | null;
  started: boolean;
  cancelled: boolean;
  message?: string;
  /** The message says why nothing was saved. */
  error?: boolean;
  walkInValue?: string;
  walkInError?: string;
};

/** Where the person stood at the occurrence, in words. */
function placeText(r: SheetRow): string {
  if (r.walkIn) return 'walk-in';
  if (r.invitation) return r.invitation;
  return r.checkedInAt ? 'no place (checked in)' : 'no place';
}

/**
 * The host's sheet: everyone who held a place, checked in or was marked, with attended / no-show /
 * not marked, saved at once; "mark everyone present" and walk-ins. Works long after the occurrence.
 */
export function AttendanceSheet(props: AttendanceSheetProps) {
  const base = `/programs/attendance/${props.occurrenceId}`;
  const hx = (action: string) => ({ 'hx-post': action, 'hx-target': '#attendance-sheet', 'hx-swap': 'outerHTML' });
  return (
    <section class="card" id="attendance-sheet">
      <h2>Attendance</h2>
      {props.message && (
        <p class={props.error ? 'flash error' : 'flash'} role={props.error ? 'alert' : 'status'}>
          {props.message}
        </p>
      )}
      {props.cancelled ? (
        <p class="muted">This occurrence was cancelled, so there is no attendance to record.</p>
      ) : !props.started ? (
        <p class="muted">Attendance can be recorded once the session has started.</p>
      ) : (
        <>
          {props.rows.some((r) => r.invitation !== null) && (
            <PostButton
              action={`${base}/everyone-present`}
              csrfToken={props.csrf}
              hx={hx(`${base}/everyone-present`)}
              label="Mark everyone present"
              class="secondary"
            />
          )}
          {props.rows.length === 0 ? (
            <p class="muted">Nobody held a place or checked in. Add the people who came as walk-ins.</p>
          ) : (
            <PostForm action={base} csrfToken={props.csrf} {...hx(base)}>
              <table class="responsive">
                <thead>
                  <tr>
                    <th scope="col">Person</th>
                    <th scope="col">Place</th>
                    <th scope="col">Checked in</th>
                    <th scope="col">Attended</th>
                    <th scope="col">No-show</th>
                    <th scope="col">Not marked</th>
                  </tr>
                </thead>
                <tbody>
                  {props.rows.map((r) => {
                    // Someone who checked in is presumed present; the host confirms by saving.
                    const status = r.attendance ?? (r.checkedInAt ? 'attended' : null);
                    const noPlace = r.invitation === null;
                    return (
                      <tr>
                        <td data-label="Person">
                          {r.name}
                          <input type="hidden" name="personId" value={String(r.personId)} />
                          {/* Without a place, "attended" can only mean a walk-in: the sheet says so in the Place column. */}
                          {noPlace && <input type="hidden" name={`walkIn_${r.personId}`} value="yes" />}
                        </td>
                        <td data-label="Place">{r.walkIn || noPlace ? <span class="tag waitlisted">{placeText(r)}</span> : placeText(r)}</td>
                        <td data-label="Checked in">{r.checkedInAt ? (r.confirmedAt ? 'yes, confirmed' : 'yes') : '—'}</td>
                        <td data-label="Attended">
                          <input
                            type="radio"
                            name={`status_${r.personId}`}
                            value="attended"
                            checked={status === 'attended'}
                            aria-label={`${r.name} attended${noPlace ? ' (walk-in)' : ''}`}
                          />
                        </td>
                        <td data-label="No-show">
                          {noPlace ? (
                            <span class="muted">—</span>
                          ) : (
                            <input
                              type="radio"
                              name={`status_${r.personId}`}
                              value="no_show"
                              checked={status === 'no_show'}
                              aria-label={`${r.name} did not come`}
                            />
                          )}
                        </td>
                        <td data-label="Not marked">
                          <input type="radio" name={`status_${r.personId}`} value="none" checked={status === null} aria-label={`${r.name} not marked`} />
                        </td>
                      </tr>
                    );
                  })}
                </tbody>
              </table>
              <div class="actions">
                <button type="submit">Save attendance</button>
              </div>
            </PostForm>
          )}
          <form method="post" action={`${base}/walk-in`} {...hx(`${base}/walk-in`)} class="stack" novalidate>
            <h3>Add a walk-in</h3>
            <p class="muted">Someone who came without a place. They are kept as a walk-in, and their manager sees it.</p>
            <CsrfField token={props.csrf} />
            <Field
              name="person"
              label="Email address or full name"
              required
              value={props.walkInValue}
              errors={props.walkInError ? { person: props.walkInError } : undefined}
              autocomplete="off"
            />
            <button type="submit" class="secondary">
              Add as walk-in
            </button>
          </form>
        </>
      )}
    </section>
  );
}

export function AttendancePage(props: {
  layout: LayoutProps;
  occurrenceId: string;
  backHref: string;
  title: string;
  when: string;
  code: { code: string; expiresAt: Date } | null;
  canOpenCheckIn: boolean;
  sheet: AttendanceSheetProps;
}) {
  return (
    <Layout {...props.layout}>
      <PageHeader title={`${props.title}: attendance`}>
        <ButtonLink href={props.backHref}>All occurrences</ButtonLink>
      </PageHeader>
      <p>{props.when}</p>
      <section class="card">
        <h2>Self check-in</h2>
        {props.code ? (
          <>
            <p>Show this code in the room; attendees enter it under “My learning → Check in”.</p>
            <p class="check-in-code" role="img" aria-label={`Check-in code ${props.code.code.split('').join(' ')}`}>
              {props.code.code}
            </p>
            <p class="muted">Valid until {formatDateTime(props.code.expiresAt, 'UTC')} UTC. Refresh this page to see who checked in.</p>
          </>
        ) : props.canOpenCheckIn ? (
          <PostButton
            action={`/programs/attendance/${props.occurrenceId}/code`}
            csrfToken={props.layout.csrfToken}
            formClass={false}
            label="Show a check-in code"
            class="secondary"
          />
        ) : (
          <p class="muted">Check-in has closed.</p>
        )}
      </section>
      <AttendanceSheet {...props.sheet} />
    </Layout>
  );
}
