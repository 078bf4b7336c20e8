// Liaisons link a team with the other department (a marketer for a sales team, or the reverse); each owns
// the field-insights backlog of that team and is the default host of its alignment meetings.
import { and, asc, desc, eq, isNull, sql } from 'drizzle-orm';
import { alias } from 'drizzle-orm/sqlite-core';
import { z } from 'zod';
import { liaisons, people, suggestions, teams, type SuggestionSource, type SuggestionStatus } from '../../db/schema';
import type { Viewer } from '../context';
import { writeTransaction, type Db } from '../db';
import type { Clock } from '../lib/clock';
import { badRequest, conflict, forbidden, notFound } from '../lib/errors';
import { blankToUndefined, idSchema } from '../lib/validation';
import { recordAudit, type Actor } from '../audit/audit';

export type LiaisonRow = typeof liaisons.$inferSelect;
export type SuggestionRow = typeof suggestions.$inferSelect;

export const appointInputSchema = z.object({ personId: idSchema, teamId: idSchema });
export type AppointInput = z.output<typeof appointInputSchema>;

const team = alias(teams, 'liaison_team');

export type LiaisonView = LiaisonRow & { personName: string; personDepartment: string; teamName: string; teamDepartment: string; openSuggestions: number };

/** Liaisons in office (or all, with ended ones), by team. */
export function listLiaisons(db: Db, options: { includeEnded?: boolean } = {}): LiaisonView[] {
  return db
    .select({
      liaison: liaisons,
      personName: people.name,
      personDepartment: people.department,
      teamName: team.name,
      teamDepartment: team.department,
      openSuggestions: sql<number>`(SELECT count(*) FROM suggestions s WHERE s.team_id = ${liaisons.teamId} AND s.status IN ('open', 'accepted'))`,
    })
    .from(liaisons)
    .innerJoin(people, eq(people.id, liaisons.personId))
    .innerJoin(team, eq(team.id, liaisons.teamId))
    .where(options.includeEnded ? undefined : isNull(liaisons.endedAt))
    .orderBy(asc(team.name), desc(liaisons.appointedAt))
    .all()
    .map((row) => ({ ...row.liaison, personName: row.personName, personDepartment: row.personDepartment, teamName: row.teamName, teamDepartment: row.teamDepartment, openSuggestions: Number(row.openSuggestions) }));
}

/** The liaison in office for a team at an instant (now by default), or null. */
export function liaisonOfTeam(db: Db, teamId: number, at?: Date): LiaisonRow | null {
  const conditions = [eq(liaisons.teamId, teamId)];
  if (at) {
    conditions.push(sql`${liaisons.appointedAt} <= ${at.getTime()}`, sql`(${liaisons.endedAt} IS NULL OR ${liaisons.endedAt} > ${at.getTime()})`);
  } else {
    conditions.push(isNull(liaisons.endedAt));
  }
  return db.select().from(liaisons).where(and(...conditions)).orderBy(desc(liaisons.appointedAt)).limit(1).get() ?? null;
}

/** Who hosts a team's alignment meetings by default: its liaison, if one is in office. */
export function defaultAlignmentHost(db: Db, teamId: number): number | null {
  return liaisonOfTeam(db, teamId)?.personId ?? null;
}

/** Teams the person is liaison for now. */
export function teamsOfLiaison(db: Db, personId: number): number[] {
  return db
    .select({ teamId: liaisons.teamId })
    .from(liaisons)
    .where(and(eq(liaisons.personId, personId), isNull(liaisons.endedAt)))
    .all()
    .map((row) => row.teamId);
}

/**
 * HR appoints a liaison: a marketer for a sales team or a sales person for a marketing team. A team has
 * one liaison at a time; appointing another ends the previous appointment.
 */
export function appointLiaison(db: Db, clock: Clock, actor: Actor, input: AppointInput): LiaisonRow {
  return writeTransaction(db, (tx) => {
    const person = tx.select().from(people).where(eq(people.id, input.personId)).get();
    if (!person || !person.active) throw notFound('No active person with this id.');
    const target = tx.select().from(teams).where(eq(teams.id, input.teamId)).get();
    if (!target) throw notFound('No team with this id.');
    const crossesOver =
      (person.department === 'marketing' && target.department === 'sales') || (person.department === 'sales' && target.department === 'marketing');
    if (!crossesOver) throw badRequest('A liaison links the other department with the team: a marketer for a sales team, or a sales person for a marketing team.');
    const now = clock.now();
    const current = liaisonOfTeam(tx, target.id);
    if (current && current.personId === person.id) throw conflict('already_liaison', `${person.name} is the liaison for ${target.name} already.`);
    if (current) {
      tx.update(liaisons).set({ endedAt: now, endedById: actor.personId }).where(eq(liaisons.id, current.id)).run();
    }
    const row = tx.insert(liaisons).values({ personId: person.id, teamId: target.id, appointedById: actor.personId, appointedAt: now }).returning().get();
    recordAudit(tx, now, actor, 'liaison.appoint', 'liaison', row.id, current ?? null, row);
    return row;
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
  title: z.string().trim().min(1, 'Say what is suggested.').max(200),
  detail: z.preprocess(blankToUndefined, z.string().trim().max(2000).optional()),
});

export type NewSuggestion = {
  teamId: number;
  title: string;
  detail?: string;
  source: SuggestionSource;
  /** Where it came from ('feedback:12', 'check_in:7'): a source adds its suggestion once. */
  sourceRef?: string | null;
};

/**
 * Puts a suggestion in a team's liaison backlog (from feedback, a rotation check-in, or by hand).
 * Returns null when a suggestion from the same source exists already. Joins the caller's transaction.
 */
export function addSuggestion(db: Db, clock: Clock, actor: Actor, input: NewSuggestion): SuggestionRow | null {
  const title = input.title.trim().slice(0, 200);
  if (!title) throw badRequest('Say what is suggested.');
  const now = clock.now();
  const row = db
    .insert(suggestions)
    .values({ teamId: input.teamId, title, detail: (input.detail ?? '').trim().slice(0, 2000), source: input.source, sourceRef: input.sourceRef ?? null, createdById: actor.personId, createdAt: now, updatedAt: now })
    .onConflictDoNothing()
    .returning()
    .get();
  if (row) recordAudit(db, now, actor, 'suggestion.create', 'suggestion', row.id, null, row);
  return row ?? null;
}

export const suggestionMoves = ['accept', 'done', 'reject', 'reopen'] as const;
export type SuggestionMove = (typeof suggestionMoves)[number];

const NEXT_STATUS: Record<SuggestionMove, { from: SuggestionStatus[]; to: SuggestionStatus }> = {
  accept: { from: ['open'], to: 'accepted' },
  done: { from: ['accepted'], to: 'done' },
  reject: { from: ['open', 'accepted'], to: 'rejected' },
  reopen: { from: ['rejected', 'done'], to: 'open' },
};

export const moveInputSchema = z
  .object({ move: z.enum(suggestionMoves), reason: z.preprocess(blankToUndefined, z.string().trim().max(500).optional()) })
  .refine((input) => input.move !== 'reject' || !!input.reason, { path: ['reason'], message: 'Say why it is rejected.' });

/** open -> accepted -> done, or rejected with a reason; a closed one can be reopened. */
export function moveSuggestion(db: Db, clock: Clock, actor: Actor, suggestionId: number, move: SuggestionMove, reason?: string): SuggestionRow {
  return writeTransaction(db, (tx) => {
    const before = tx.select().from(suggestions).where(eq(suggestions.id, suggestionId)).get();
    if (!before) throw notFound('No such suggestion.');
    const rule = NEXT_STATUS[move];
    if (!rule.from.includes(before.status)) throw conflict('invalid_transition', `A ${before.status} suggestion cannot be ${move === 'done' ? 'marked done' : `${move}ed`}.`);
    if (move === 'reject' && !reason?.trim()) throw badRequest('Say why it is rejected.');
    const now = clock.now();
    const after = tx
      .update(suggestions)
      .set({
        status: rule.to,
        updatedAt: now,
        acceptedAt: move === 'accept' ? now : move === 'reopen' ? null : before.acceptedAt,
        closedAt: rule.to === 'done' || rule.to === 'rejected' ? now : null,
        rejectReason: move === 'reject' ? reason!.trim() : move === 'reopen' ? null : before.rejectReason,
      })
      .where(eq(suggestions.id, suggestionId))
      .returning()
      .get();
    recordAudit(tx, now, actor, `suggestion.${move}`, 'suggestion', suggestionId, before, after);
    return after;
  });
}

export function getSuggestion(db: Db, id: number): SuggestionRow {
  const row = db.select().from(suggestions).where(eq(suggestions.id, id)).get();
  if (!row) throw notFound('No such suggestion.');
  return row;
}

export function backlogOf(db: Db, teamId: number): SuggestionRow[] {
  return db
    .select()
    .from(suggestions)
    .where(eq(suggestions.teamId, teamId))
    .orderBy(sql`CASE ${suggestions.status} WHEN 'open' THEN 0 WHEN 'accepted' THEN 1 ELSE 2 END`, desc(suggestions.updatedAt), desc(suggestions.id))
    .all();
}

/** HR and the team's liaison change its backlog; managers may look. */
export function canChangeBacklog(db: Db, viewer: Viewer, teamId: number): boolean {
  if (viewer.person.role === 'hr') return true;
  return liaisonOfTeam(db, teamId)?.personId === viewer.person.id;
}

export function canViewBacklog(db: Db, viewer: Viewer, teamId: number): boolean {
  return canChangeBacklog(db, viewer, teamId) || viewer.person.role === 'manager';
}

export function requireBacklogChange(db: Db, viewer: Viewer, teamId: number) {
  if (!canChangeBacklog(db, viewer, teamId)) throw forbidden("Only HR and the team's liaison change its backlog.");
}

/** Closed share of a team's suggestions as of an instant: done or rejected over all made by then; null when none. */
export function suggestionsClosedShare(db: Db, teamId: number, at: Date): number | null {
  const row = db.$client
    .prepare(
      `SELECT count(*) AS total, sum(closed_at IS NOT NULL AND closed_at <= ? AND status IN ('done', 'rejected')) AS closed
         FROM suggestions WHERE team_id = ? AND created_at <= ?`,
    )
    .get(at.getTime(), teamId, at.getTime()) as { total: number; closed: number | null };
  return row.total ? (row.closed ?? 0) / row.total : null;
}

/**
 * Copies suggestions from ride-along feedback and rotation check-ins into the backlog of the team they
 * are about (once per source). Idempotent; returns how many were added. Feedback and check-ins belong to
 * other features, so a table that is not there yet simply contributes nothing.
 */
export function importFieldSuggestions(db: Db, clock: Clock): number {
  const now = clock.now().getTime();
  const statements = [
    // A suggestion the feedback feature already marked done arrives done.
    `INSERT INTO suggestions (team_id, title, detail, source, source_ref, status, created_at, updated_at, closed_at)
     SELECT f.host_team_id, substr(f.suggestion, 1, 200), f.suggestion, 'feedback', 'feedback:' || f.id,
            CASE WHEN f.suggestion_done_at IS NULL THEN 'open' ELSE 'done' END, coalesce(f.submitted_at, ?), coalesce(f.submitted_at, ?), f.suggestion_done_at
       FROM feedback f JOIN teams t ON t.id = f.host_team_id
      WHERE trim(f.suggestion) <> '' AND NOT EXISTS (SELECT 1 FROM suggestions s WHERE s.source_ref = 'feedback:' || f.id)`,
    `INSERT INTO suggestions (team_id, title, detail, source, source_ref, status, created_at, updated_at)
     SELECT c.suggestion_team_id, substr(c.other_department_should_change, 1, 200), c.other_department_should_change, 'check_in', 'check_in:' || c.id, 'open',
            coalesce(c.submitted_at, ?), coalesce(c.submitted_at, ?)
       FROM rotation_check_ins c JOIN teams t ON t.id = c.suggestion_team_id
      WHERE trim(c.other_department_should_change) <> '' AND NOT EXISTS (SELECT 1 FROM suggestions s WHERE s.source_ref = 'check_in:' || c.id)`,
  ];
  let added = 0;
  for (const statement of statements) {
    try {
      added += db.$client.prepare(statement).run(now, now).changes;
    } catch (err) {
      if (!(err instanceof Error && /no such (table|column)/.test(err.message))) throw err;
    }
  }
  return added;
}
