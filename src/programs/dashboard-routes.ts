/**
 * The programs dashboard and HR's overview (HR and managers). Mounted at /programs.
 */
import { Hono } from 'hono';
import type { AppEnv } from '../context';
import { actorOf } from '../audit/audit';
import { requireRole, viewerOf } from '../guards';
import { html, isHtmx, layoutProps, queryValidator, readPage, redirectWithMessage } from '../web';
import { LISTED_TEAMS, teamFilter } from '../people/teams';
import { queryString } from '../../views/components';
import { CompletionChart } from '../../views/programs/charts';
import { TEAMS_COMPARED_PAGE, WEAKEST_TEAMS, type DashboardFilters } from '../../views/programs/components';
import { ChartPage, DashboardPage, DashboardResults, TeamsCompared, TeamsPage } from '../../views/programs/dashboard';
import { OverviewPage } from '../../views/programs/overview';
import { completionHistory } from './completion-history';
import { peopleProgress, requirementGrid } from './progress';
import { compareTeamsPage, completionOverview, completionSummary, programRequirements, stateTooBroad } from './reports';
import { remindOverdue } from './overdue-reminders';
import { narrowedByState, sumCounts, type Counts } from './report-queries';
import { topicsWithoutUpcomingSessions, upcomingSessions } from './sessions';
import { PAGE_SIZE, dashboardQuery, programOptions, reportScope, teamOptions, teamsQuery } from './route-helpers';

export function dashboardRoutes() {
  const app = new Hono<AppEnv>();

  app.get('/dashboard', requireRole('hr', 'manager'), queryValidator(dashboardQuery), (c) => {
    const query = c.req.valid('query');
    const viewer = viewerOf(c);
    const { db, clock } = c.var.deps;
    const now = clock.now();
    const shown = readPage(c, () => {
      const named = teamFilter(db, query);
      const q = { ...query, team: named.team };
      const scope = reportScope(c);
      const filters: DashboardFilters = { program: q.program, team: q.team, state: q.state, page: q.page };
      // A state filter's people are found once for the figures and the list (narrowedByState).
      const filter = narrowedByState(db, now, { programId: q.program, teamId: q.team, state: q.state, ...scope }).filter;
      const report = completionSummary(db, now, filter, WEAKEST_TEAMS);
      const people = peopleProgress(db, now, filter, PAGE_SIZE, (q.page - 1) * PAGE_SIZE);
      const requirements = q.program ? (report?.byRequirement.filter((r) => r.programId === q.program) ?? programRequirements(db, q.program)) : [];
      const cells = q.program
        ? requirementGrid(
            db,
            now,
            people.rows.map((p) => p.personId),
            { programId: q.program },
          )
        : [];
      const results = { filters, people: { ...people, pageSize: PAGE_SIZE }, requirements, cells };
      if (isHtmx(c)) return { named, filters, report, results, programs: [], teams: null };
      return { named, filters, report, results, programs: programOptions(c), teams: teamOptions(c, scope) };
    });
    if (isHtmx(c)) return html(c, DashboardResults(shown.results));
    return html(
      c,
      DashboardPage({
        layout: layoutProps(c, 'Team progress', undefined, shown.badges),
        title: viewer.person.role === 'hr' ? 'Progress of everyone' : 'My teams’ progress',
        filters: shown.filters,
        programs: shown.programs,
        teams: shown.teams,
        teamName: shown.named.teamName,
        errors: shown.named.errors,
        report: shown.report,
        results: shown.results,
      }),
      shown.named.errors ? 400 : 200,
    );
  });

  // Teams compared, all of them or the weakest few: the dashboard's "show all" control (htmx) and its page without scripts.
  app.get('/dashboard/teams', requireRole('hr', 'manager'), queryValidator(teamsQuery), (c) => {
    const q = c.req.valid('query');
    const { db, clock } = c.var.deps;
    const filter = { programId: q.program, teamId: q.team, state: q.state, ...reportScope(c) };
    // The weakest few (the dashboard's own list, back from "show all"), or every team a page at a time.
    if (q.show === 'weakest' && isHtmx(c)) {
      const summary = completionSummary(db, clock.now(), filter, WEAKEST_TEAMS);
      if (!summary) throw stateTooBroad();
      return html(c, TeamsCompared({ ...summary.teams, show: q.show, filters: { program: q.program, team: q.team, state: q.state, page: 1 } }));
    }
    const { page, ...compared } = compareTeamsPage(db, clock.now(), filter, q.page, TEAMS_COMPARED_PAGE);
    const filters: DashboardFilters = { program: q.program, team: q.team, state: q.state, page };
    if (isHtmx(c)) return html(c, TeamsCompared({ ...compared, show: q.show, filters }));
    return html(c, TeamsPage({ layout: layoutProps(c, 'Teams compared'), compared, filters }));
  });

  app.get('/dashboard/chart', requireRole('hr', 'manager'), queryValidator(dashboardQuery), (c) => {
    const q = c.req.valid('query');
    const { db, clock } = c.var.deps;
    const points = completionHistory(db, clock.now(), { programId: q.program, teamId: q.team, ...reportScope(c) });
    if (isHtmx(c)) return html(c, CompletionChart({ points }));
    return html(
      c,
      ChartPage({ layout: layoutProps(c, 'Completion over time'), points, back: `/programs/dashboard${queryString({ program: q.program, team: q.team })}` }),
    );
  });

  app.post('/dashboard/remind', requireRole('hr', 'manager'), queryValidator(dashboardQuery), async (c) => {
    const q = c.req.valid('query');
    const { db, clock } = c.var.deps;
    const result = await remindOverdue(
      db,
      clock,
      actorOf(c.var.viewer),
      { programId: q.program, teamId: q.team, ...reportScope(c) },
      new URL(c.req.url).origin,
    );
    const message =
      result.people === 0
        ? 'Nobody new to remind: everyone overdue was already reminded today.'
        : `Reminded ${result.people} ${result.people === 1 ? 'person' : 'people'} of ${result.requirements} overdue requirements.`;
    const back = new URLSearchParams();
    if (q.program) back.set('program', String(q.program));
    if (q.team) back.set('team', String(q.team));
    return redirectWithMessage(c, `/programs/dashboard${back.size ? `?${back}` : ''}`, message);
  });

  app.get('/overview', requireRole('hr'), (c) => {
    const { db, clock } = c.var.deps;
    const now = clock.now();
    const report = completionOverview(db, now, LISTED_TEAMS, WEAKEST_TEAMS);
    const byProgram = new Map<number, { programId: number; programName: string; counts: Counts }>();
    for (const r of report.byRequirement) {
      const entry = byProgram.get(r.programId) ?? { programId: r.programId, programName: r.programName, counts: sumCounts([]) };
      entry.counts = sumCounts([entry.counts, r]);
      byProgram.set(r.programId, entry);
    }
    const emptySeats = upcomingSessions(db, now, { days: 30 })
      .filter((s) => s.seatsFree > 0)
      .slice(0, 50)
      .map((s) => ({
        key: s.occurrence.key,
        eventId: s.event.id,
        title: s.event.title,
        topicName: s.topicName,
        start: s.occurrence.start,
        seats: s.event.seats,
        seatsFree: s.seatsFree,
        timeZone: s.event.timeZone,
      }));
    return html(
      c,
      OverviewPage({
        layout: layoutProps(c, 'Learning overview'),
        report,
        programs: [...byProgram.values()],
        emptySeats,
        uncoveredTopics: topicsWithoutUpcomingSessions(db, now),
      }),
    );
  });

  return app;
}
