import { CsrfField, PageHeader, formatDateTime } from '../components';
import { Layout, type LayoutProps } from '../layout';

export type CalendarFeedPageProps = {
  layout: LayoutProps;
  /** The private address, or null when the person revoked it (or never made one). */
  feedUrl: string | null;
  createdAt: Date | null;
  lastFetchedAt: Date | null;
  timeZone: string;
  reminderLeadMinutes: number;
};

const leadText = (minutes: number) =>
  minutes <= 0 ? 'no reminder' : minutes % 1440 === 0 ? `${minutes / 1440} day${minutes === 1440 ? '' : 's'} before` : minutes % 60 === 0 ? `${minutes / 60} hour${minutes === 60 ? '' : 's'} before` : `${minutes} minutes before`;

/** The person's private calendar address with regenerate and revoke. */
export function CalendarFeedPage(props: CalendarFeedPageProps) {
  const csrf = props.layout.csrfToken;
  return (
    <Layout {...props.layout}>
      <PageHeader title="Calendar subscription">
        <a class="button secondary" href="/account">
          Back to my account
        </a>
      </PageHeader>
      <div class="grid">
        <section class="card" aria-labelledby="feed-heading">
          <h2 id="feed-heading">Your private calendar address</h2>
          {props.feedUrl ? (
            <>
              <p>Everything you host or accepted — ride-alongs, meetings, trainings and rotations — in Google Calendar, Outlook or Apple Calendar. Series stay series; moved and cancelled occurrences follow.</p>
              <div class="field">
                <label for="feed-url">Calendar address (keep it private: anyone with it can read your calendar)</label>
                <input id="feed-url" type="text" readonly value={props.feedUrl} class="feed-url" />
              </div>
              <p>
                <a href={props.feedUrl.replace(/^https?:/, 'webcal:')}>Open in my calendar app</a>
              </p>
              <dl class="details">
                <dt>Made</dt>
                <dd>{formatDateTime(props.createdAt, props.timeZone)}</dd>
                <dt>Last read by a calendar</dt>
                <dd>{props.lastFetchedAt ? formatDateTime(props.lastFetchedAt, props.timeZone) : 'not yet'}</dd>
                <dt>Reminder</dt>
                <dd>
                  {leadText(props.reminderLeadMinutes)} (<a href="/account">change</a>)
                </dd>
              </dl>
            </>
          ) : (
            <p>You have no calendar address. Make one to subscribe to your crosstrain events from your calendar app.</p>
          )}
          <div class="actions">
            <form method="post" action="/account/calendar/regenerate" class="inline" data-confirm={props.feedUrl ? 'Make a new address? The current one stops working at once.' : undefined}>
              <CsrfField token={csrf} />
              <button type="submit">{props.feedUrl ? 'Make a new address' : 'Make my calendar address'}</button>
            </form>
            {props.feedUrl && (
              <form method="post" action="/account/calendar/revoke" class="inline" data-confirm="Turn off your calendar address? Subscribed calendars stop updating.">
                <CsrfField token={csrf} />
                <button type="submit" class="danger">
                  Turn off the address
                </button>
              </form>
            )}
          </div>
        </section>
        <section class="card" aria-labelledby="howto-heading">
          <h2 id="howto-heading">How to subscribe</h2>
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
          <p class="muted">Calendar apps refresh subscriptions on their own schedule (Google: every few hours). One event can also be downloaded on its own as an .ics file.</p>
        </section>
      </div>
    </Layout>
  );
}
