import { Field, FilterForm, PageHeader, Pager, Select, TeamFilter } from '../components';
import type { FieldErrors, Option } from '../components';
import { Layout, type LayoutProps } from '../layout';
import { OpenSeatsTable, kindOptions, type ConflictView, type OpenSeatItem } from './components';

type OpenSeatsFilters = { team?: number; kind?: string; from: string; to: string; account?: string };

/** Which page of open seats is shown, and the filters every page link keeps. */
type OpenSeatsPages = { page: number; pageSize: number; total: number; more: boolean; query: Record<string, string | number | undefined> };

function openSeatsHref(query: OpenSeatsPages['query'], page: number) {
  const params = new URLSearchParams();
  for (const [name, value] of Object.entries(query)) if (value !== undefined && value !== '') params.set(name, String(value));
  if (page > 1) params.set('page', String(page));
  const search = params.toString();
  return search ? `/open-seats?${search}` : '/open-seats';
}

export function OpenSeatsResults(props: { items: OpenSeatItem[]; conflicts: ConflictView[][]; csrfToken: string | null; next: string; pages: OpenSeatsPages }) {
  const { pages } = props;
  return (
    <div id="open-seats-results" aria-live="polite">
      <OpenSeatsTable
        items={props.items}
        conflicts={props.conflicts}
        csrfToken={props.csrfToken}
        next={props.next}
        empty="No open seats match these filters."
      />
      {pages.total > 0 && (
        <Pager
          page={pages.page}
          pageSize={pages.pageSize}
          total={pages.total}
          more={pages.more}
          href={(page) => openSeatsHref(pages.query, page)}
          target="#open-seats-results"
        />
      )}
    </div>
  );
}

export function OpenSeatsPage(props: {
  layout: LayoutProps;
  filters: OpenSeatsFilters;
  /** Teams to choose from, or null when there are too many to list (a name is typed instead). */
  teams: Option[] | null;
  teamName?: string;
  items: OpenSeatItem[];
  conflicts: ConflictView[][];
  next: string;
  pages: OpenSeatsPages;
  errors?: FieldErrors;
}) {
  const values = { ...props.filters };
  return (
    <Layout {...props.layout}>
      <PageHeader title="Open seats" />
      <p class="muted">Upcoming events of the other department with free seats. Claim one to join as a guest.</p>
      <FilterForm action="/open-seats" results="open-seats-results" trigger="change, submit" search>
        <TeamFilter teams={props.teams} team={props.filters.team} teamName={props.teamName} blank="All teams" errors={props.errors} />
        <Select name="kind" label="Kind" blank="All kinds" options={kindOptions} values={values} errors={props.errors} />
        <Field name="from" label="From" type="date" values={values} errors={props.errors} />
        <Field name="to" label="To" type="date" values={values} errors={props.errors} />
        <Field name="account" label="Account" type="search" values={values} errors={props.errors} />
      </FilterForm>
      <OpenSeatsResults items={props.items} conflicts={props.conflicts} csrfToken={props.layout.csrfToken} next={props.next} pages={props.pages} />
    </Layout>
  );
}
