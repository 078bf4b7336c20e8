// Liaisons link a team with the other department (a marketer for a sales team, or the reverse); each owns
// the field-insights backlog of that team and is the default host of its alignment meetings. The backlog
// is the one place a suggestion's state lives: feedback and rotation check-ins place their suggestions
// here when they are written, and field insights move them through `moveSuggestions` like this page does.
import { and, asc, desc, eq, inArray, isNull, sql } from 'drizzle-orm';
import { alias } from 'drizzle-orm/sqlite-core';
import { z } from 'zod';
import { liaisons, people, suggestions, teams, type SuggestionSource, type SuggestionStatus } from '../../db/schema';
import type { Viewer } from '../context';
import { plannedLimit, preparedQuery, writeTransaction, type Db } from '../db';
import type { Clock } from '../lib/clock';
import { badRequest, conflict, forbidden, notFound } from '../lib/errors';
import { blankToUndefined, isSingleLine, SINGLE_LINE_MESSAGE } from '../lib/validation';
import { actorOf, recordAudit, type Actor } from '../audit/audit';
import { onPage } from '../lib/paging';

export type LiaisonRow = typeof liaisons.$inferSelect;
export type SuggestionRow = typeof suggestions.$inferSelect;

/** Suggestions still to act on: in the owner's backlog and counted as open on pages. */
const OPEN_STATUSES = ['open', 'accepted'] as const satisfies readonly SuggestionStatus[];
const OPEN_SQL = sql.raw(`('open', 'accepted')`);

/** Whom to appoint to which team (the form resolves typed names to these ids). */
export type AppointInput = { personId: number; teamId: number };

const team = alias(teams, 'liaison_team');

export type LiaisonView = LiaisonRow & { personName: string; personDepartment: string; teamName: string; teamDepartment: string; openSuggestions: number };

const liaisonsQuery = (includeEnded: boolean) =>
  preparedQuery((db) =>
    db
      .select({
        liaison: liaisons,
        personName: people.name,
        personDepartment: people.department,
        teamName: team.name,
        teamDepartment: team.department,
        openSuggestions: sql<number>`(SELECT count(*) FROM suggestions s WHERE s.team_id = ${liaisons.teamId} AND s.status IN ${OPEN_SQL})`,
      })
      .from(liaisons)
      .innerJoin(people, eq(people.id, liaisons.personId))
      .innerJoin(team, eq(team.id, liaisons.teamId))
      .where(includeEnded ? undefined : isNull(liaisons.endedAt))
      .orderBy(asc(team.name), desc(liaisons.appointedAt))
      .prepare(),
  );
const liaisonsInOffice = liaisonsQuery(false);
const everyLiaison = liaisonsQuery(true);

/** Liaisons in office (or all, with ended ones), by team. */
export function listLiaisons(db: Db, options: { includeEnded?: boolean } = {}): LiaisonView[] {
  return (options.includeEnded ? everyLiaison : liaisonsInOffice)(db)
    .all()
    .map((row) => ({
      ...row.liaison,
      personName: row.personName,
      personDepartment: row.personDepartment,
      teamName: row.teamName,
      teamDepartment: row.teamDepartment,
      openSuggestions: Number(row.openSuggestions),
    }));
}

/** The liaison in office for a team at an instant (now by default), or null. */
export function liaisonOfTeam(db: Db, teamId: number, at?: Date): LiaisonRow | null {
  return (at ? liaisonAtQuery(db).get({ team: teamId, at: at.getTime() }) : liaisonNowQuery(db).get({ team: teamId })) ?? null;
}

const liaisonNowQuery = preparedQuery((db) =>
  db
    .select()
    .from(liaisons)
    .where(and(eq(liaisons.teamId, sql.placeholder('team')), isNull(liaisons.endedAt)))
    .orderBy(desc(liaisons.appointedAt))
    .limit(1)
    .prepare(),
);
const liaisonAtQuery = preparedQuery((db) =>
  db
    .select()
    .from(liaisons)
    .where(
      sql`${liaisons.teamId} = ${sql.placeholder('team')} AND ${liaisons.appointedAt} <= ${sql.placeholder('at')} AND (${liaisons.endedAt} IS NULL OR ${liaisons.endedAt} > ${sql.placeholder('at')})`,
    )
    .orderBy(desc(liaisons.appointedAt))
    .limit(1)
    .prepare(),
);

/** Who hosts a team's alignment meetings by default: its liaison, if one is in office. */
export function defaultAlignmentHost(db: Db, teamId: number): number | null {
  return liaisonOfTeam(db, teamId)?.personId ?? null;
}

/** Teams the person is liaison for now. */
export function teamsOfLiaison(db: Db, personId: number): number[] {
  return teamsOfLiaisonQuery(db)
    .all({ person: personId })
    .map((row) => row.teamId);
}

const teamsOfLiaisonQuery = preparedQuery((db) =>
  db
    .select({ teamId: liaisons.teamId })
    .from(liaisons)
    .where(and(eq(liaisons.personId, sql.placeholder('person')), isNull(liaisons.endedAt)))
    .prepare(),
);

/**
 * HR appoints a liaison: a marketer for a sales team or a sales person for a marketing team. A team has
 * one liaison at a time; appointing another ends the previous appointment. The team's open and accepted
 * suggestions (those that waited unassigned, or the previous liaison's) are theirs from now on:
 * `takenOver` counts them.
 */
export function appointLiaison(db: Db, clock: Clock, actor: Actor, input: AppointInput): LiaisonRow & { takenOver: number } {
  return writeTransaction(db, (tx) => {
    const person = tx.select().from(people).where(eq(people.id, input.personId)).get();
    if (!person?.active) throw notFound('No active person with this id.');
    const target = tx.select().from(teams).where(eq(teams.id, input.teamId)).get();
    if (!target) throw notFound('No team with this id.');
    const crossesOver =
      (person.department === 'marketing' && target.department === 'sales') || (person.department === 'sales' && target.department === 'marketing');
    if (!crossesOver)
      throw badRequest('A liaison links the other department with the team: a marketer for a sales team, or a sales person for a marketing team.');
    const now = clock.now();
    const current = liaisonOfTeam(tx, target.id);
    if (current && current.personId === person.id) throw conflict('already_liaison', `${person.name} is the liaison for ${target.name} already.`);
    if (current) {
      tx.update(liaisons).set({ endedAt: now, endedById: actor.personId }).where(eq(liaisons.id, current.id)).run();
    }
    const row = tx.insert(liaisons).values({ personId: person.id, teamId: target.id, appointedById: actor.personId, appointedAt: now }).returning().get();
    const takenOver = countOpenSuggestions(tx, target.id);
    recordAudit(tx, now, actor, 'liaison.appoint', 'liaison', row.id, current ?? null, { ...row, takenOver });
    return { ...row, takenOver };
  });
}

export function endLiaison(db: Db, clock: Clock, actor: Actor, liaisonId: number): LiaisonRow {
  return writeTransaction(db, (tx) => {
    const before = tx.select().from(liaisons).where(eq(liaisons.id, liaisonId)).get();
    if (!before) throw notFound('No such liaison.');
    if (before.endedAt) throw conflict('ended', 'This appointment has ended already.');
    const after = tx.update(liaisons).set({ endedAt: clock.now(), endedById: actor.personId }).where(eq(liaisons.id, liaisonId)).returning().get();
    recordAudit(tx, clock.now(), actor, 'liaison.end', 'liaison', liaisonId, before, after);
    return after;
  });
}

// ── the backlog ──

export const suggestionInputSchema = z.object({
  title: z.string().trim().refine(isSingleLine, SINGLE_LINE_MESSAGE).min(1, 'Say what is suggested.').max(200),
  detail: z.preprocess(blankToUndefined, z.string().trim().max(2000).optional()),
});

type NewSuggestion = {
  /** The team whose backlog it goes to; null when the source has no team (it waits unassigned for HR). */
  teamId: number | null;
  title: string;
  detail?: string;
  source: SuggestionSource;
  /** Where it came from ('feedback:12', 'check_in:7'): a source adds its suggestion once. */
  sourceRef?: string | null;
};

const MAX_TITLE = 200;
const MAX_DETAIL = 4000;

/** A backlog title from free text: its first line, cut at a word near 200 characters. */
export function suggestionTitleOf(text: string): string {
  const line = text.trim().split(/\r?\n/)[0]!.trim();
  if (line.length <= MAX_TITLE) return line;
  const cut = line.slice(0, MAX_TITLE - 1);
  const space = cut.lastIndexOf(' ');
  return `${(space > MAX_TITLE / 2 ? cut.slice(0, space) : cut).trimEnd()}…`;
}

function countOpenSuggestions(db: Db, teamId: number): number {
  return (
    db
      .select({ n: sql<number>`count(*)` })
      .from(suggestions)
      .where(and(eq(suggestions.teamId, teamId), inArray(suggestions.status, OPEN_STATUSES)))
      .get()?.n ?? 0
  );
}

/**
 * Puts a suggestion in a team's liaison backlog by hand or from a source. Returns null when a
 * suggestion from the same source exists already. Joins the caller's transaction.
 */
export function addSuggestion(db: Db, clock: Clock, actor: Actor, input: NewSuggestion): SuggestionRow | null {
  const title = input.title.trim().slice(0, MAX_TITLE);
  if (!title) throw badRequest('Say what is suggested.');
  const now = clock.now();
  const row = db
    .insert(suggestions)
    .values({
      teamId: input.teamId,
      title,
      detail: (input.detail ?? '').trim().slice(0, MAX_DETAIL),
      source: input.source,
      sourceRef: input.sourceRef ?? null,
      createdById: actor.personId,
      createdAt: now,
      updatedAt: now,
    })
    .onConflictDoNothing()
    .returning()
    .get();
  if (row) recordAudit(db, now, actor, 'suggestion.create', 'suggestion', row.id, null, row);
  return row ?? null;
}

type PlacedSuggestion = { row: SuggestionRow; change: 'created' | 'updated' | 'reopened' | 'unchanged' };

/**
 * Places the suggestion a source (a feedback report, a check-in) makes in the backlog of its team's
 * liaison — or, without one, in the unassigned backlog — inside the caller's write transaction, so the
 * report and its backlog item are written together. Writing the source again with other text changes
 * the item and makes it open again: the liaison's decision was about the old text.
 */
export function placeSuggestion(db: Db, clock: Clock, actor: Actor, input: NewSuggestion & { sourceRef: string }): PlacedSuggestion {
  const before = db.select().from(suggestions).where(eq(suggestions.sourceRef, input.sourceRef)).get();
  if (!before) return { row: addSuggestion(db, clock, actor, input)!, change: 'created' };
  const title = input.title.trim().slice(0, MAX_TITLE);
  const detail = (input.detail ?? '').trim().slice(0, MAX_DETAIL);
  if (before.title === title && before.detail === detail && before.teamId === input.teamId) return { row: before, change: 'unchanged' };
  const reopen = before.status !== 'open';
  const now = clock.now();
  const after = db
    .update(suggestions)
    .set({
      title,
      detail,
      teamId: input.teamId,
      updatedAt: now,
      ...(reopen ? { status: 'open' as const, acceptedAt: null, closedAt: null, rejectReason: null } : {}),
    })
    .where(eq(suggestions.id, before.id))
    .returning()
    .get();
  recordAudit(db, now, actor, reopen ? 'suggestion.reopen' : 'suggestion.update', 'suggestion', before.id, before, after);
  return { row: after, change: reopen ? 'reopened' : 'updated' };
}

/**
 * The source no longer suggests anything: an item nobody acted on yet leaves the backlog; one the
 * liaison accepted or closed stays as the record of that decision. Joins the caller's transaction.
 */
export function withdrawSuggestion(db: Db, clock: Clock, actor: Actor, sourceRef: string): 'removed' | 'kept' | 'none' {
  const before = db.select().from(suggestions).where(eq(suggestions.sourceRef, sourceRef)).get();
  if (!before) return 'none';
  if (before.status !== 'open') return 'kept';
  db.delete(suggestions).where(eq(suggestions.id, before.id)).run();
  recordAudit(db, clock.now(), actor, 'suggestion.withdraw', 'suggestion', before.id, before, null);
  return 'removed';
}

export const suggestionMoves = ['accept', 'done', 'reject', 'reopen'] as const;
type SuggestionMove = (typeof suggestionMoves)[number];

const NEXT_STATUS: Record<SuggestionMove, { from: SuggestionStatus[]; to: SuggestionStatus }> = {
  accept: { from: ['open'], to: 'accepted' },
  done: { from: ['accepted'], to: 'done' },
  reject: { from: ['open', 'accepted'], to: 'rejected' },
  reopen: { from: ['rejected', 'done'], to: 'open' },
};
const MOVE_VERB: Record<SuggestionMove, string> = { accept: 'accepted', done: 'marked done', reject: 'rejected', reopen: 'reopened' };

export const moveInputSchema = z
  .object({
    move: z.enum(suggestionMoves, { message: 'Choose what to do with the suggestion: accept, done, reject or reopen.' }),
    reason: z.preprocess(blankToUndefined, z.string().trim().max(500).optional()),
  })
  .refine((input) => input.move !== 'reject' || !!input.reason, { path: ['reason'], message: 'Say why it is rejected.' });

/** The most suggestions one move takes (a group on field insights is a handful). */
export const MAX_MOVED = 200;

/**
 * Moves backlog items along open -> accepted -> done, or rejected with a reason; a closed one can be
 * reopened. The liaison page moves one item, field insights a group of items with the same text: in one
 * transaction, every item must be one the viewer may change (HR, or the liaison of its team), and items
 * the move does not apply to (an accepted one on "accept") stay as they are. Nothing movable: 409.
 */
export function moveSuggestions(db: Db, clock: Clock, viewer: Viewer, ids: number[], move: SuggestionMove, reason?: string): SuggestionRow[] {
  const unique = [...new Set(ids)];
  if (unique.length === 0) throw badRequest('Choose a suggestion.');
  if (unique.length > MAX_MOVED) throw badRequest(`Move at most ${MAX_MOVED} suggestions at once.`);
  if (move === 'reject' && !reason?.trim()) throw badRequest('Say why it is rejected.');
  const actor = actorOf(viewer);
  return writeTransaction(db, (tx) => {
    const rows = tx.select().from(suggestions).where(inArray(suggestions.id, unique)).orderBy(asc(suggestions.id)).all();
    if (rows.length !== unique.length) throw notFound('No such suggestion.');
    const allowed = new Map<number | null, boolean>();
    for (const row of rows) {
      if (!allowed.has(row.teamId)) allowed.set(row.teamId, canChangeBacklog(tx, viewer, row.teamId));
      if (!allowed.get(row.teamId)) throw forbidden("Only HR and the team's liaison change its backlog.");
    }
    const rule = NEXT_STATUS[move];
    const movable = rows.filter((row) => rule.from.includes(row.status));
    if (movable.length === 0) {
      const statuses = [...new Set(rows.map((row) => row.status))].join(' or ');
      throw conflict('invalid_transition', `A ${statuses} suggestion cannot be ${MOVE_VERB[move]}.`);
    }
    const now = clock.now();
    return movable.map((before) => {
      const after = tx
        .update(suggestions)
        .set({
          status: rule.to,
          updatedAt: now,
          acceptedAt: move === 'accept' ? now : move === 'reopen' ? null : before.acceptedAt,
          closedAt: rule.to === 'done' || rule.to === 'rejected' ? now : null,
          rejectReason: move === 'reject' ? reason!.trim() : move === 'reopen' ? null : before.rejectReason,
        })
        .where(eq(suggestions.id, before.id))
        .returning()
        .get();
      recordAudit(tx, now, actor, `suggestion.${move}`, 'suggestion', before.id, before, after);
      return after;
    });
  });
}

/** One item through `moveSuggestions`. */
export function moveSuggestion(db: Db, clock: Clock, viewer: Viewer, suggestionId: number, move: SuggestionMove, reason?: string): SuggestionRow {
  return moveSuggestions(db, clock, viewer, [suggestionId], move, reason)[0]!;
}

export function getSuggestion(db: Db, id: number): SuggestionRow {
  const row = db.select().from(suggestions).where(eq(suggestions.id, id)).get();
  if (!row) throw notFound('No such suggestion.');
  return row;
}

const backlogOrder = [sql`CASE ${suggestions.status} WHEN 'open' THEN 0 WHEN 'accepted' THEN 1 ELSE 2 END`, desc(suggestions.updatedAt), desc(suggestions.id)];

export function backlogOf(db: Db, teamId: number): SuggestionRow[] {
  return db
    .select()
    .from(suggestions)
    .where(eq(suggestions.teamId, teamId))
    .orderBy(...backlogOrder)
    .all();
}

export type UnassignedSuggestion = SuggestionRow & { teamName: string | null };

/** Where suggestions wait while their team has no liaison in office (or they have no team): open and accepted ones. */
const unassignedWhere = sql`${suggestions.status} IN ${OPEN_SQL}
  AND (${suggestions.teamId} IS NULL OR NOT EXISTS (SELECT 1 FROM liaisons l WHERE l.team_id = ${suggestions.teamId} AND l.ended_at IS NULL))`;

/** The unassigned backlog HR sees, by team (no team last). */
export function unassignedBacklog(db: Db): UnassignedSuggestion[] {
  return db
    .select({ suggestion: suggestions, teamName: teams.name })
    .from(suggestions)
    .leftJoin(teams, eq(teams.id, suggestions.teamId))
    .where(unassignedWhere)
    .orderBy(sql`${teams.name} IS NULL`, asc(teams.name), ...backlogOrder)
    .all()
    .map((row) => ({ ...row.suggestion, teamName: row.teamName }));
}

const countUnassignedQuery = preparedQuery((db) => db.select({ n: sql<number>`count(*)` }).from(suggestions).where(unassignedWhere).prepare());

export function countUnassigned(db: Db): number {
  return countUnassignedQuery(db).get()?.n ?? 0;
}

/** Who HR may appoint as a liaison: active people of sales and marketing. */
const liaisonCandidatesQuery = preparedQuery((db) =>
  db
    .select({ id: people.id, name: people.name, department: people.department })
    .from(people)
    .where(and(eq(people.active, true), inArray(people.department, ['sales', 'marketing'])))
    .orderBy(asc(people.department), asc(people.name))
    .limit(plannedLimit('limit'))
    .prepare(),
);

/** Beyond this many people to choose from, the liaison is typed (a name or an address) instead of picked from a list. */
const LISTED_CANDIDATES = 300;

/** The people HR may appoint, for a list to pick from; null when there are more than LISTED_CANDIDATES (read no further). */
export function liaisonCandidates(db: Db) {
  const rows = liaisonCandidatesQuery(db).all({ limit: LISTED_CANDIDATES + 1 });
  return rows.length > LISTED_CANDIDATES ? null : rows;
}

const candidatesNamedQuery = preparedQuery((db) => ({
  byEmail: db.$client.prepare<[string], { id: number; name: string; email: string }>(
    "SELECT id, name, email FROM people WHERE lower(email) = lower(?) AND active = 1 AND department IN ('sales', 'marketing')",
  ),
  byName: db.$client.prepare<{ name: string; limit: number }, { id: number; name: string; email: string }>(
    "SELECT id, name, email FROM people WHERE name = @name COLLATE NOCASE AND active = 1 AND department IN ('sales', 'marketing') ORDER BY name COLLATE NOCASE, id LIMIT @limit",
  ),
  startingWith: db.$client.prepare<{ from: string; until: string; limit: number }, { id: number; name: string; email: string }>(
    "SELECT id, name, email FROM people WHERE name COLLATE NOCASE >= @from AND name COLLATE NOCASE < @until AND active = 1 AND department IN ('sales', 'marketing') ORDER BY name COLLATE NOCASE, id LIMIT @limit",
  ),
}));

/**
 * The person a liaison field's text means (the form of a company too large to list everyone): the active sales or
 * marketing person with that address, else the only one of that name (in any case), else the only one whose name
 * starts with it; otherwise what went wrong, naming a few candidates with their addresses.
 */
export function liaisonCandidateByText(db: Db, typed: string): { id: number } | { error: string } {
  const text = typed.trim().replace(/\s+/g, ' ');
  const queries = candidatesNamedQuery(db);
  const byEmail = queries.byEmail.get(text);
  if (byEmail) return byEmail;
  const several = (found: { name: string; email: string }[], what: string) =>
    `${what}: ${found
      .slice(0, 5)
      .map((p) => `${p.name} (${p.email})`)
      .join(', ')}${found.length > 5 ? ', …' : ''}. Type the address of the one you mean.`;
  const named = queries.byName.all({ name: text, limit: 6 });
  if (named.length === 1) return named[0]!;
  if (named.length > 1) return { error: several(named, `Several people in sales and marketing are called “${text}”`) };
  const from = text.toLowerCase();
  const starting = queries.startingWith.all({ from, until: `${from}\u{10FFFF}`, limit: 6 });
  if (starting.length === 1) return starting[0]!;
  if (starting.length === 0) return { error: `No active person in sales or marketing is called “${text}” or has this address.` };
  return { error: several(starting, `Several people’s names start with “${text}”`) };
}

/** HR and the team's liaison change its backlog; only HR the items without a team. */
export function canChangeBacklog(db: Db, viewer: Viewer, teamId: number | null): boolean {
  if (viewer.person.role === 'hr') return true;
  return teamId !== null && liaisonOfTeam(db, teamId)?.personId === viewer.person.id;
}

/** Managers may look at every backlog. */
export function canViewBacklog(db: Db, viewer: Viewer, teamId: number | null): boolean {
  return viewer.person.role === 'manager' || canChangeBacklog(db, viewer, teamId);
}

const closedSharesQuery = preparedQuery((db) =>
  db.$client.prepare<{ teams: string; ats: string }, { teamId: number; at: number; total: number; closed: number | null }>(
    `SELECT s.team_id AS teamId, j.key AS at, count(*) AS total,
            sum(s.closed_at IS NOT NULL AND s.closed_at <= j.value AND s.status IN ('done', 'rejected')) AS closed
       FROM json_each(@ats) j JOIN suggestions s ON s.team_id IN (SELECT value FROM json_each(@teams)) AND s.created_at <= j.value
      GROUP BY s.team_id, j.key`,
  ),
);

/**
 * Closed share of each team's suggestions as of each instant (one read for a page of teams): done or
 * rejected over all made by then; null when none. By team id, one share per instant in `ats` order.
 */
export function suggestionsClosedShares(db: Db, teamIds: number[], ats: Date[]): Map<number, (number | null)[]> {
  const shares = new Map(teamIds.map((teamId) => [teamId, ats.map((): number | null => null)]));
  if (teamIds.length === 0 || ats.length === 0) return shares;
  const rows = closedSharesQuery(db).all({ teams: JSON.stringify(teamIds), ats: JSON.stringify(ats.map((at) => at.getTime())) });
  for (const row of rows) {
    const list = shares.get(row.teamId);
    if (list && row.total) list[row.at] = (row.closed ?? 0) / row.total;
  }
  return shares;
}

/** Closed share of a team's suggestions as of an instant: done or rejected over all made by then; null when none. */
export function suggestionsClosedShare(db: Db, teamId: number, at: Date): number | null {
  return suggestionsClosedShares(db, [teamId], [at]).get(teamId)![0];
}

export type BacklogItem = SuggestionRow & { teamName: string | null; liaisonPersonId: number | null };
type SuggestionFilter = { teamId?: number; status?: SuggestionStatus; unassigned?: boolean; page: number; pageSize: number };

/**
 * Backlog items the viewer may see: one team's (HR, managers, its liaison), the unassigned backlog
 * (HR), or without a filter every backlog for HR and managers and their own teams' for a liaison.
 */
export function listSuggestions(db: Db, viewer: Viewer, filter: SuggestionFilter): { rows: BacklogItem[]; total: number } {
  const isHr = viewer.person.role === 'hr';
  let scope;
  if (filter.unassigned) {
    if (!isHr) throw forbidden('The unassigned backlog is for HR.');
    scope = unassignedWhere;
  } else if (filter.teamId !== undefined) {
    if (!canViewBacklog(db, viewer, filter.teamId)) throw forbidden("Only HR, managers and the team's liaison see its backlog.");
    scope = eq(suggestions.teamId, filter.teamId);
  } else if (!isHr && viewer.person.role !== 'manager') {
    const own = teamsOfLiaison(db, viewer.person.id);
    if (own.length === 0) return { rows: [], total: 0 };
    scope = inArray(suggestions.teamId, own);
  }
  const where = and(scope, filter.status ? eq(suggestions.status, filter.status) : undefined);
  const total = db.select({ n: sql<number>`count(*)` }).from(suggestions).where(where).get()?.n ?? 0;
  const rows = onPage(
    db
      .select({
        suggestion: suggestions,
        teamName: teams.name,
        liaisonPersonId: sql<
          number | null
        >`(SELECT l.person_id FROM liaisons l WHERE l.team_id = ${suggestions.teamId} AND l.ended_at IS NULL ORDER BY l.appointed_at DESC LIMIT 1)`,
      })
      .from(suggestions)
      .leftJoin(teams, eq(teams.id, suggestions.teamId))
      .where(where)
      .orderBy(...backlogOrder)
      .$dynamic(),
    filter,
  )
    .all()
    .map((row) => ({ ...row.suggestion, teamName: row.teamName, liaisonPersonId: row.liaisonPersonId }));
  return { rows, total };
}

/** One backlog item for a viewer who may see its backlog. */
export function getBacklogItem(db: Db, viewer: Viewer, id: number): BacklogItem {
  const row = getSuggestion(db, id);
  if (!canViewBacklog(db, viewer, row.teamId)) throw forbidden("Only HR, managers and the team's liaison see its backlog.");
  const teamName = row.teamId === null ? null : (db.select({ name: teams.name }).from(teams).where(eq(teams.id, row.teamId)).get()?.name ?? null);
  return { ...row, teamName, liaisonPersonId: row.teamId === null ? null : (liaisonOfTeam(db, row.teamId)?.personId ?? null) };
}
