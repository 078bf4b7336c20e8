import { ButtonLink, ErrorSummary, Field, PageHeader, PostForm } from '../components';
import type { FieldErrors, FormValues } from '../components';
import { Layout, type LayoutProps } from '../layout';

const RATE_HINT =
  'A round, department or team gets a verdict only when at least this share of those asked answered (and the 95% interval lies wholly on one side of 75%).';
const GROUP_HINT =
  'No figure or answer of an anonymous round describes fewer respondents than this; at least 3. Raising it applies to every round at once; lowering it applies to rounds opened afterwards, since earlier ones were promised the higher number.';

export function SurveySettingsPage(props: { layout: LayoutProps; values: FormValues; errors?: FieldErrors }) {
  const form = { values: props.values, errors: props.errors };
  return (
    <Layout {...props.layout}>
      <PageHeader title="Survey settings">
        <ButtonLink href="/surveys">Back to surveys</ButtonLink>
      </PageHeader>
      <ErrorSummary errors={props.errors} labels={{ minResponseRatePercent: 'Minimum response rate', minGroupSize: 'Minimum group size' }} />
      <PostForm action="/surveys/settings" csrfToken={props.layout.csrfToken} class="stack card" novalidate>
        <Field
          name="minResponseRatePercent"
          label="Minimum response rate for a verdict (%)"
          type="number"
          min={1}
          max={100}
          required
          hint={RATE_HINT}
          {...form}
        />
        <Field name="minGroupSize" label="Minimum group size in anonymous rounds" type="number" min={3} max={50} required hint={GROUP_HINT} {...form} />
        <button type="submit">Save settings</button>
      </PostForm>
    </Layout>
  );
}
