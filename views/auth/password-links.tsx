import { ErrorSummary, Field, PostForm } from '../components';
import type { FieldErrors, FormValues } from '../components';
import { Layout, type LayoutProps } from '../layout';

/** The new password, twice, as changing it and setting it from a link both ask. */
export function NewPasswordFields(props: { errors?: FieldErrors }) {
  return (
    <>
      <Field
        name="newPassword"
        label="New password"
        type="password"
        required
        autocomplete="new-password"
        errors={props.errors}
        hint="At least 12 characters."
        value=""
      />
      <Field name="confirmPassword" label="Repeat new password" type="password" required autocomplete="new-password" errors={props.errors} value="" />
    </>
  );
}

/** "Forgot your password?": one field; the answer after sending never says whether the address exists. */
export function ForgotPasswordPage(props: { layout: LayoutProps; values?: FormValues; errors?: FieldErrors; sentTo?: string; error?: string }) {
  return (
    <Layout {...props.layout}>
      <div class="card login">
        <h1>Forgot your password?</h1>
        {props.error && (
          <div class="error-summary" role="alert" tabindex={-1}>
            <p>{props.error}</p>
          </div>
        )}
        {props.sentTo !== undefined ? (
          <>
            <p class="notice" role="status">
              If {props.sentTo} belongs to a crosstrain account, a link to choose a new password is on its way. It works once, for 1 hour.
            </p>
            <p class="muted">No mail after a few minutes? Check the address and your spam folder, or ask HR.</p>
            <p>
              <a href="/login">Back to sign in</a>
            </p>
          </>
        ) : (
          <>
            <p class="muted">Enter the email you sign in with. We send a link to choose a new password.</p>
            <ErrorSummary errors={props.errors} labels={{ email: 'Email' }} />
            <PostForm action="/password/forgot" csrfToken={props.layout.csrfToken} class="stack">
              <Field name="email" label="Email" type="email" required autocomplete="username" values={props.values} errors={props.errors} />
              <button type="submit">Send me a link</button>
            </PostForm>
            <p>
              <a href="/login">Back to sign in</a>
            </p>
          </>
        )}
      </div>
    </Layout>
  );
}

type SetPasswordProblem = 'missing' | 'unknown' | 'used' | 'expired';

const PROBLEMS: Record<SetPasswordProblem, string> = {
  missing: 'Open the link from your email to choose a password.',
  unknown: 'This link is not valid. Use the latest link we sent you, or ask for a new one.',
  used: 'This link was already used or a newer one replaced it. Each link works once.',
  expired: 'This link has expired. Ask for a new one below, or ask HR to send a new welcome mail.',
};

/** Choosing a password with a welcome or reset link; the token travels in a cookie, not the address. */
export function SetPasswordPage(props: {
  layout: LayoutProps;
  person?: { name: string; email: string };
  purpose?: 'welcome' | 'reset';
  errors?: FieldErrors;
  problem?: SetPasswordProblem;
}) {
  return (
    <Layout {...props.layout}>
      <div class="card login">
        <h1>{props.purpose === 'welcome' ? 'Welcome to crosstrain' : 'Choose a new password'}</h1>
        {props.problem || !props.person ? (
          <>
            <div class="error-summary" role="alert" tabindex={-1}>
              <p>{PROBLEMS[props.problem ?? 'missing']}</p>
            </div>
            <p>
              <a href="/password/forgot">Send me a new link</a> · <a href="/login">Sign in</a>
            </p>
          </>
        ) : (
          <>
            <p>
              Choose the password for <strong>{props.person.email}</strong> ({props.person.name}). You are signed in as soon as it is set; other devices signed
              in to this account are signed out.
            </p>
            <ErrorSummary errors={props.errors} labels={{ newPassword: 'New password', confirmPassword: 'Repeat new password' }} />
            <PostForm action="/password/set" csrfToken={props.layout.csrfToken} class="stack">
              <input type="text" name="username" value={props.person.email} autocomplete="username" hidden readonly />
              <NewPasswordFields errors={props.errors} />
              <button type="submit">Set my password and sign in</button>
            </PostForm>
          </>
        )}
      </div>
    </Layout>
  );
}
