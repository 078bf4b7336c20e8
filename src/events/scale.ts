/**
 * The events part of the scale company (scripts/seed-scale.ts): 50,000 events and 1,000,000
 * invitations at scale 1, written with raw prepared statements. Sales reps host sales calls,
 * marketers host marketing meetings; one event in ten is a weekly series (some ended, most open).
 * Seats are never overbooked: at most `seats` accepted guests hold a seat per event.
 */
import type { Db } from '../db';
import { addDaysToLocalDate, formatLocalDate, weekdayOfLocalDate, zonedLocalToUtc } from '../lib/time';
import { lastOccurrenceEnd } from './recurrence';

type Company = { salesIds: number[]; marketingIds: number[] };
type FillContext = { now: Date; random: () => number; scale: number; log: (line: string) => void };

const ACCOUNTS = ['Acme Corp', 'Globex', 'Initech', 'Umbrella Health', 'Stark Logistics', 'Wayne Retail', 'Hooli', 'Vandelay Imports', 'Soylent Foods', 'Tyrell Systems'];
const WEEKDAY_CODES = ['SU', 'MO', 'TU', 'WE', 'TH', 'FR', 'SA'];

export const eventsScaleFiller = {
  name: 'events',
  tables: ['events', 'invitations', 'event_exceptions'],
  fill(db: Db, company: Company, ctx: FillContext): Record<string, number> {
    const client = db.$client;
    const random = ctx.random;
    const eventTotal = Math.round(50_000 * ctx.scale);
    const invitationTotal = Math.round(1_000_000 * ctx.scale);
    const perEvent = Math.max(1, Math.round(invitationTotal / Math.max(1, eventTotal)));
    const zoneOf = new Map(
      (client.prepare('SELECT id, time_zone AS zone, team_id AS teamId FROM people').all() as { id: number; zone: string; teamId: number | null }[]).map((p) => [p.id, p]),
    );
    const insertEvent = client.prepare(
      `INSERT INTO events (kind, title, description, host_id, team_id, guest_department, time_zone, start_local, duration_minutes, rrule, span_start, span_end, seats, account, opportunity_stage, topic, status, sequence, updated_at)
       VALUES (?, ?, '', ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'scheduled', 0, ?)`,
    );
    const insertInvitation = client.prepare(
      `INSERT INTO invitations (event_id, person_id, occurrence_start, status, holds_seat, source, invited_by_id, responded_at, updated_at)
       VALUES (?, ?, NULL, ?, ?, ?, ?, ?, ?)`,
    );
    const now = ctx.now.getTime();
    let events = 0;
    let invitations = 0;
    const write = client.transaction((from: number, to: number) => {
      for (let n = from; n < to; n++) {
        const sales = random() < 0.6;
        const hosts = sales ? company.salesIds : company.marketingIds;
        const guests = sales ? company.marketingIds : company.salesIds;
        if (hosts.length === 0 || guests.length === 0) continue;
        const hostId = hosts[Math.floor(random() * hosts.length)]!;
        const host = zoneOf.get(hostId)!;
        const series = random() < 0.1;
        const offset = Math.floor(random() * 360) - 180;
        let date = addDaysToLocalDate(formatLocalDate(ctx.now, host.zone), series ? -Math.floor(random() * 700) : offset);
        while ([0, 6].includes(weekdayOfLocalDate(date))) date = addDaysToLocalDate(date, 1);
        const startLocal = `${date}T${String(9 + Math.floor(random() * 8)).padStart(2, '0')}:${random() < 0.5 ? '00' : '30'}`;
        const duration = [30, 45, 60][Math.floor(random() * 3)]!;
        const rrule = series ? `FREQ=WEEKLY;BYDAY=${WEEKDAY_CODES[weekdayOfLocalDate(date)]}${random() < 0.3 ? ';COUNT=' + (5 + Math.floor(random() * 40)) : ''}` : null;
        const start = zonedLocalToUtc(startLocal, host.zone).getTime();
        const end = rrule ? (lastOccurrenceEnd({ rrule, firstStartLocal: startLocal, timeZone: host.zone, durationMinutes: duration })?.getTime() ?? null) : start + duration * 60_000;
        const seats = 2 + Math.floor(random() * 10);
        const account = sales ? ACCOUNTS[Math.floor(random() * ACCOUNTS.length)]! : null;
        const eventId = Number(
          insertEvent.run(
            sales ? 'sales_call' : 'marketing_meeting',
            sales ? `Call with ${account}` : 'Campaign review',
            hostId,
            host.teamId,
            sales ? 'marketing' : 'sales',
            host.zone,
            startLocal,
            duration,
            rrule,
            start,
            end,
            seats,
            account,
            sales ? 'discovery' : null,
            sales ? null : 'Campaign results',
            now,
          ).lastInsertRowid,
        );
        events++;
        const chosen = new Set<number>();
        const wanted = Math.min(guests.length, perEvent);
        while (chosen.size < wanted) chosen.add(guests[Math.floor(random() * guests.length)]!);
        let holders = 0;
        for (const personId of chosen) {
          const roll = random();
          let status = roll < 0.4 ? 'accepted' : roll < 0.55 ? 'declined' : roll < 0.65 ? 'tentative' : 'invited';
          if (status === 'accepted' && holders >= seats) status = 'tentative';
          const holds = status === 'accepted' ? 1 : 0;
          holders += holds;
          insertInvitation.run(eventId, personId, status, holds, random() < 0.2 ? 'claim' : 'invitation', hostId, status === 'invited' ? null : start - 86_400_000, now);
          invitations++;
        }
      }
    });
    const batch = 2000;
    for (let from = 0; from < eventTotal; from += batch) write(from, Math.min(eventTotal, from + batch));
    return { events, invitations };
  },
};
