/**
 * Rotation programs (HR): list, create, edit. Mounted at /rotations/programs.
 */
import { Hono } from 'hono';
import { asc, inArray } from 'drizzle-orm';
import { teams } from '../../db/schema';
import type { AppContext, AppEnv } from '../context';
import { AppError } from '../lib/errors';
import { actorOf } from '../audit/audit';
import { requireRole } from '../guards';
import { fieldErrors, findOnForm, html, layoutProps, paramValidator, redirectWithMessage } from '../web';
import { countTeams, LISTED_TEAMS, teamByName, teamsByIds } from '../people/teams';
import type { FieldErrors, FormValues } from '../../views/components';
import { ProgramFormPage, ProgramsPage } from '../../views/rotations/programs';
import {
  createRotationProgram,
  getRotationProgram,
  listRotationPrograms,
  rotationProgramInputSchema,
  updateRotationProgram,
  type RotationProgramDetails,
} from './programs';
import { idParam } from './route-helpers';

/** The program form's fields → the program input (host teams from capacity_<teamId>, checklist lines). */
function programFromForm(body: Record<string, unknown>) {
  const hostTeams: { teamId: number; capacity: number }[] = [];
  for (const [key, value] of Object.entries(body)) {
    const match = /^capacity_(\d+)$/.exec(key);
    if (match && typeof value === 'string' && value.trim() !== '' && Number(value) !== 0) hostTeams.push({ teamId: Number(match[1]), capacity: Number(value) });
  }
  const checklist = String(body.checklist ?? '')
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter(Boolean);
  return {
    name: body.name,
    direction: body.direction,
    lengthWeeks: body.lengthWeeks,
    coveragePercent: body.coveragePercent,
    learningGoals: body.learningGoals ?? '',
    hostTeams,
    checklist,
    active: body.active === 'true',
  };
}

function programFormValues(program: RotationProgramDetails): FormValues {
  const values: FormValues = {
    name: program.name,
    direction: program.direction,
    lengthWeeks: program.lengthWeeks,
    coveragePercent: program.coveragePercent,
    learningGoals: program.learningGoals,
    checklist: program.checklist.map((c) => c.title).join('\n'),
    active: program.active,
  };
  for (const h of program.hostTeams) values[`capacity_${h.teamId}`] = h.capacity;
  return values;
}

export function programRoutes() {
  const app = new Hono<AppEnv>();
  app.use(requireRole('hr'));

  /**
   * The teams the form lists: every sales and marketing team of a company of LISTED_TEAMS or fewer; else only those
   * with a number in the form (the program's host teams), another added by name, so the form keeps its size.
   */
  const formTeams = (c: AppContext, values: FormValues) => {
    const db = c.var.deps.db;
    const addByName = countTeams(db) > LISTED_TEAMS;
    const hostIds = Object.keys(values)
      .map((key) => /^capacity_(\d+)$/.exec(key))
      .filter((m): m is RegExpExecArray => m !== null && String(values[m[0]] ?? '').trim() !== '')
      .map((m) => Number(m[1]));
    const rows = addByName
      ? teamsByIds(db, hostIds).filter((t) => t.department !== 'other')
      : db
          .select({ id: teams.id, name: teams.name, department: teams.department })
          .from(teams)
          .where(inArray(teams.department, ['sales', 'marketing']))
          .orderBy(asc(teams.department), asc(teams.name))
          .all();
    return { teams: rows, addByName };
  };
  const renderProgramForm = (c: AppContext, values: FormValues, errors?: FieldErrors, programId?: number, status: 200 | 400 | 409 = 200) =>
    html(
      c,
      ProgramFormPage({ layout: layoutProps(c, programId ? 'Edit program' : 'New program'), programId, values, errors, ...formTeams(c, values) }),
      status,
    );
  /** "Add a host team": the form again with the team of that name listed (taking one guest unless already set); nothing is saved. */
  const addHostTeam = (c: AppContext, values: FormValues, programId?: number) => {
    const found = teamByName(c.var.deps.db, String(values.hostTeamName ?? ''));
    if ('error' in found) return renderProgramForm(c, values, { hostTeamName: found.error }, programId, 400);
    if (teamsByIds(c.var.deps.db, [found.id])[0]?.department === 'other')
      return renderProgramForm(c, values, { hostTeamName: `${found.name} is not a sales or marketing team.` }, programId, 400);
    const key = `capacity_${found.id}`;
    return renderProgramForm(c, { ...values, [key]: String(values[key] ?? '').trim() || '1', hostTeamName: '' }, undefined, programId);
  };

  app.get('/', (c) => html(c, ProgramsPage({ layout: layoutProps(c, 'Rotation programs'), programs: listRotationPrograms(c.var.deps.db) })));
  app.get('/new', (c) => renderProgramForm(c, { direction: 'marketing_to_sales', lengthWeeks: 4, coveragePercent: 25, active: true }));

  const saveProgram = async (c: AppContext, programId?: number) => {
    const body = (await c.req.parseBody()) as Record<string, unknown>;
    const parsed = rotationProgramInputSchema.safeParse(programFromForm(body));
    const values = { ...body } as FormValues;
    if (!parsed.success) return renderProgramForm(c, values, fieldErrors(parsed.error), programId, 400);
    const { db, clock } = c.var.deps;
    try {
      const program = programId
        ? updateRotationProgram(db, clock, actorOf(c.var.viewer), programId, parsed.data)
        : createRotationProgram(db, clock, actorOf(c.var.viewer), parsed.data);
      return redirectWithMessage(c, `/rotations/programs`, `${program.name} saved.`);
    } catch (err) {
      if (err instanceof AppError && (err.status === 400 || err.status === 409)) {
        const field = err.code === 'program_name_taken' ? 'name' : (err.issues?.[0]?.path ?? '_form');
        return renderProgramForm(c, values, { [field]: err.message }, programId, err.status as 400 | 409);
      }
      throw err;
    }
  };
  app.post(
    '/',
    findOnForm({ addHostTeam: 'hostTeamName' }, (c, values) => addHostTeam(c, values)),
    (c) => saveProgram(c),
  );
  app.get('/:id', paramValidator(idParam), (c) => {
    const program = getRotationProgram(c.var.deps.db, c.req.valid('param').id);
    return renderProgramForm(c, programFormValues(program), undefined, program.id);
  });
  app.post(
    '/:id',
    paramValidator(idParam),
    findOnForm({ addHostTeam: 'hostTeamName' }, (c, values) => {
      const program = getRotationProgram(c.var.deps.db, Number(c.req.param('id')));
      return addHostTeam(c, values, program.id);
    }),
    (c) => {
      const { id } = c.req.valid('param');
      getRotationProgram(c.var.deps.db, id);
      return saveProgram(c, id);
    },
  );

  return app;
}
