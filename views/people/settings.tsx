import { ErrorSummary, PostForm, ZoneField } from '../components';
import type { FieldErrors, FormValues } from '../components';
import { Layout, type LayoutProps } from '../layout';

/** Company settings HR keeps; the default time zone is asked until it is set. */
export function CompanySettingsPage(props: { layout: LayoutProps; values: FormValues; errors?: FieldErrors; isSet: boolean }) {
  return (
    <Layout {...props.layout}>
      <h1>Company settings</h1>
      {!props.isSet && (
        <p class="notice" role="status">
          The company has no default time zone yet. Choose it now: people added or imported without a time zone get it.
        </p>
      )}
      <ErrorSummary errors={props.errors} labels={{ defaultTimeZone: 'Default time zone' }} />
      <PostForm action="/settings" csrfToken={props.layout.csrfToken} class="stack card">
        <ZoneField
          name="defaultTimeZone"
          label="Default time zone"
          required
          values={props.values}
          errors={props.errors}
          hint="Type a city and pick the zone from the list. Changing it affects only people added later."
        />
        <button type="submit">Save settings</button>
      </PostForm>
    </Layout>
  );
}
