import { ErrorSummary, Field, PostForm, ZoneField } from '../components';
import type { FieldErrors, FormValues } from '../components';
import { Layout, type LayoutProps } from '../layout';
import { NewPasswordFields } from './password-links';

export function LoginPage(props: { layout: LayoutProps; next?: string; email?: string; error?: string }) {
  return (
    <Layout {...props.layout}>
      <div class="card login">
        <h1>Sign in to crosstrain</h1>
        {props.error && (
          <div class="error-summary" role="alert" tabindex={-1}>
            <p>{props.error}</p>
          </div>
        )}
        <form method="post" action="/login" class="stack">
          <input type="hidden" name="next" value={props.next ?? '/'} />
          <Field name="email" label="Email" type="email" required autocomplete="username" value={props.email ?? ''} />
          <Field name="password" label="Password" type="password" required autocomplete="current-password" value="" />
          <button type="submit">Sign in</button>
        </form>
        <p>
          <a href="/password/forgot">Forgot your password?</a>
        </p>
      </div>
    </Layout>
  );
}

export function AccountPage(props: {
  layout: LayoutProps;
  person: { name: string; email: string; timeZone: string; reminderLeadMinutes: number; workdayStartMinute: number; workdayEndMinute: number };
  sections?: unknown;
  errors?: FieldErrors;
  values?: FormValues;
}) {
  const hhmm = (m: number) => `${String(Math.floor(m / 60)).padStart(2, '0')}:${String(m % 60).padStart(2, '0')}`;
  const values = props.values ?? {
    timeZone: props.person.timeZone,
    reminderLeadHours: props.person.reminderLeadMinutes / 60,
    workdayStart: hhmm(props.person.workdayStartMinute),
    workdayEnd: hhmm(props.person.workdayEndMinute),
  };
  return (
    <Layout {...props.layout}>
      <h1>My account</h1>
      <div class="grid">
        <section class="card">
          <h2>Preferences</h2>
          <p class="muted">
            {props.person.name} · {props.person.email}
          </p>
          <ErrorSummary errors={props.errors} />
          <PostForm action="/account" csrfToken={props.layout.csrfToken} class="stack">
            <ZoneField name="timeZone" label="Time zone" values={values} errors={props.errors} required />
            <Field name="workdayStart" label="Working hours start" type="time" values={values} errors={props.errors} required />
            <Field name="workdayEnd" label="Working hours end" type="time" values={values} errors={props.errors} required />
            <Field
              name="reminderLeadHours"
              label="Remind me before events (hours)"
              type="number"
              min={0}
              max={336}
              step={1}
              values={values}
              errors={props.errors}
              required
            />
            <button type="submit">Save preferences</button>
          </PostForm>
        </section>
        <section class="card">
          <h2>Password</h2>
          <p>
            <a href="/account/password">Change my password</a>
          </p>
        </section>
        <section class="card">
          <h2>Calendar</h2>
          <p>
            <a href="/account/calendar">Subscribe to my events in my calendar app</a>
          </p>
        </section>
      </div>
    </Layout>
  );
}

export function PasswordPage(props: { layout: LayoutProps; mustChange: boolean; errors?: FieldErrors }) {
  return (
    <Layout {...props.layout}>
      <h1>Change password</h1>
      {props.mustChange && <p class="notice">Choose your own password before you continue.</p>}
      <ErrorSummary errors={props.errors} />
      <PostForm action="/account/password" csrfToken={props.layout.csrfToken} class="stack card">
        <Field name="currentPassword" label="Current password" type="password" required autocomplete="current-password" errors={props.errors} value="" />
        <NewPasswordFields errors={props.errors} />
        <button type="submit">Change password</button>
      </PostForm>
    </Layout>
  );
}
