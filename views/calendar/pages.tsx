import { ButtonLink, Card, CsrfField, Detail, ErrorSummary, Field, formatDateTime, PageHeader, PostButton } from '../components';
import type { FieldErrors, FormValues } from '../components';
import { Layout, type LayoutProps } from '../layout';

/** One of the person's own outside calendars, as the page may show it (the address masked). */
type BusyCalendarItem = {
  id: number;
  label: string;
  maskedUrl: string;
  createdAt: Date;
  lastAttemptAt: Date | null;
  lastSuccessAt: Date | null;
  lastErrorMessage: string | null;
  intervalCount: number;
};

type CalendarFeedPageProps = {
  layout: LayoutProps;
  /** The private address, or null when the person revoked it (or never made one). */
  feedUrl: string | null;
  createdAt: Date | null;
  lastFetchedAt: Date | null;
  timeZone: string;
  reminderLeadMinutes: number;
  busyCalendars: BusyCalendarItem[];
  maxBusyCalendars: number;
  busyValues?: FormValues;
  busyErrors?: FieldErrors;
};

const BUSY_LABELS = { label: 'Name', url: 'Private address' };

/** The person's own Google or Outlook calendars whose busy times count as conflicts. */
function BusyCalendars(props: CalendarFeedPageProps) {
  const csrf = props.layout.csrfToken;
  const full = props.busyCalendars.length >= props.maxBusyCalendars;
  return (
    <Card name="busy" title="Your own calendars' busy times" id="busy-calendars">
      <p>
        Add the private address of your Google or Outlook calendar and crosstrain warns you before you accept or claim a time you are busy there. Only the busy
        times are kept — never titles, places or who else is invited — and they are read again every 15 minutes.
      </p>
      {props.busyCalendars.length === 0 ? (
        <p class="muted">No calendars of yours yet.</p>
      ) : (
        <ul class="busy-calendars">
          {props.busyCalendars.map((calendar) => (
            <li>
              <strong>{calendar.label}</strong> <span class="muted">{calendar.maskedUrl}</span>
              <dl class="details">
                <Detail term="Status">
                  {calendar.lastErrorMessage ? (
                    <span class="field-error" role="status">
                      Could not be read: {calendar.lastErrorMessage}
                    </span>
                  ) : calendar.lastSuccessAt ? (
                    `${calendar.intervalCount} busy time${calendar.intervalCount === 1 ? '' : 's'} ahead`
                  ) : (
                    'Waiting to be read (within a minute)'
                  )}
                </Detail>
                <Detail term="Last read successfully">{calendar.lastSuccessAt ? formatDateTime(calendar.lastSuccessAt, props.timeZone) : 'never'}</Detail>
                {calendar.lastErrorMessage && calendar.lastSuccessAt && <Detail term="In use meanwhile">the busy times read then</Detail>}
              </dl>
              <div class="actions">
                <PostButton action={`/account/calendar/busy/${calendar.id}/refresh`} csrfToken={csrf} label="Read again now" class="secondary" />
                <PostButton
                  action={`/account/calendar/busy/${calendar.id}/delete`}
                  csrfToken={csrf}
                  label="Remove"
                  class="danger"
                  confirm={`Remove ${calendar.label}? Its busy times stop counting.`}
                  buttonAttrs={{ 'aria-label': `Remove ${calendar.label}` }}
                />
              </div>
            </li>
          ))}
        </ul>
      )}
      {full && !props.busyErrors ? (
        <p class="muted">You read {props.maxBusyCalendars} calendars, the most there can be; remove one to add another.</p>
      ) : (
        <form method="post" action="/account/calendar/busy" novalidate>
          <h3>Add a calendar</h3>
          <ErrorSummary errors={props.busyErrors} labels={BUSY_LABELS} />
          <CsrfField token={csrf} />
          <Field
            name="label"
            label={BUSY_LABELS.label}
            values={props.busyValues}
            errors={props.busyErrors}
            required
            placeholder="Work Google"
            hint="Shown in conflict warnings to you only."
          />
          <Field
            name="url"
            label={BUSY_LABELS.url}
            type="url"
            values={props.busyValues}
            errors={props.busyErrors}
            required
            autocomplete="off"
            hint="Google Calendar: Settings → your calendar → Secret address in iCal format. Outlook: Settings → Calendar → Shared calendars → Publish a calendar → ICS link. https://, http:// and webcal:// addresses work."
          />
          <button type="submit">Add calendar</button>
        </form>
      )}
    </Card>
  );
}

const leadText = (minutes: number) =>
  minutes <= 0
    ? 'no reminder'
    : minutes % 1440 === 0
      ? `${minutes / 1440} day${minutes === 1440 ? '' : 's'} before`
      : minutes % 60 === 0
        ? `${minutes / 60} hour${minutes === 60 ? '' : 's'} before`
        : `${minutes} minutes before`;

/** The person's private calendar address with regenerate and revoke. */
export function CalendarFeedPage(props: CalendarFeedPageProps) {
  const csrf = props.layout.csrfToken;
  return (
    <Layout {...props.layout}>
      <PageHeader title="Calendar subscription">
        <ButtonLink href="/account">Back to my account</ButtonLink>
      </PageHeader>
      <div class="grid">
        <Card name="feed" title="Your private calendar address">
          {props.feedUrl ? (
            <>
              <p>
                Everything you host or accepted — ride-alongs, meetings, trainings and rotations — in Google Calendar, Outlook or Apple Calendar. Series stay
                series; moved and cancelled occurrences follow.
              </p>
              <div class="field">
                <label for="feed-url">Calendar address (keep it private: anyone with it can read your calendar)</label>
                <input id="feed-url" type="text" readonly value={props.feedUrl} class="feed-url" />
              </div>
              <p>
                <a href={props.feedUrl.replace(/^https?:/, 'webcal:')}>Open in my calendar app</a>
              </p>
              <dl class="details">
                <Detail term="Made">{formatDateTime(props.createdAt, props.timeZone)}</Detail>
                <Detail term="Last read by a calendar">{props.lastFetchedAt ? formatDateTime(props.lastFetchedAt, props.timeZone) : 'not yet'}</Detail>
                <Detail term="Reminder">
                  {leadText(props.reminderLeadMinutes)} (<a href="/account">change</a>)
                </Detail>
              </dl>
            </>
          ) : (
            <p>You have no calendar address. Make one to subscribe to your crosstrain events from your calendar app.</p>
          )}
          <div class="actions">
            <PostButton
              action="/account/calendar/regenerate"
              csrfToken={csrf}
              label={props.feedUrl ? 'Make a new address' : 'Make my calendar address'}
              confirm={props.feedUrl ? 'Make a new address? The current one stops working at once.' : undefined}
            />
            {props.feedUrl && (
              <PostButton
                action="/account/calendar/revoke"
                csrfToken={csrf}
                label="Turn off the address"
                class="danger"
                confirm="Turn off your calendar address? Subscribed calendars stop updating."
              />
            )}
          </div>
        </Card>
        <BusyCalendars {...props} />
        <Card name="howto" title="How to subscribe">
          <ul>
            <li>
              <strong>Google Calendar:</strong> Other calendars → “+” → From URL, paste the address.
            </li>
            <li>
              <strong>Outlook:</strong> Add calendar → Subscribe from web, paste the address.
            </li>
            <li>
              <strong>Apple Calendar:</strong> File → New Calendar Subscription, paste the address.
            </li>
          </ul>
          <p class="muted">
            Calendar apps refresh subscriptions on their own schedule (Google: every few hours). One event can also be downloaded on its own as an .ics file.
          </p>
        </Card>
      </div>
    </Layout>
  );
}
