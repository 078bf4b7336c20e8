import { afterEach, describe, expect, it } from 'vitest';
import ICAL from 'ical.js';
import { and, desc, eq } from 'drizzle-orm';
import { invitations, outbox } from '../../db/schema';
import { loadConfig } from '../../src/config';
import { replyDomainOf } from '../../src/lib/reply-domain';
import { queueChangeNotices } from '../../src/reminders/notices';
import { createTestApp, seedCompany, sessionAs, type SeededCompany, type TestContext } from '../support/app';
import { expandCalendar } from '../calendar/ical-reader';

const DOMAIN = 'reply.crosstrain.test';
const NOTICES = { baseUrl: 'https://crosstrain.example.com', replyDomain: DOMAIN };
let t: TestContext;
let company: SeededCompany;
afterEach(() => t.close());

async function setup(replyDomain: string | undefined = DOMAIN) {
  t = createTestApp({ now: '2026-03-02T12:00:00Z', settings: replyDomain ? { replyDomain } : {} });
  company = await seedCompany(t.db);
}

type Json = Record<string, any>;
const json = async (res: Response) => (await res.json()) as Json;

/** The rep's weekly call (09:00 New York on Mondays) or one-off call; the marketer invited to the whole of it and accepted. */
async function acceptedEvent(recurrence?: string[]) {
  const rep = sessionAs(t, 'rep@example.com');
  const event = await json(
    await rep.json('POST', '/api/v1/events', {
      kind: 'sales_call',
      title: 'Acme pipeline call',
      account: 'Acme',
      seats: 2,
      start: { dateTime: '2026-03-09T09:00', timeZone: 'America/New_York' },
      end: { dateTime: '2026-03-09T10:00', timeZone: 'America/New_York' },
      ...(recurrence ? { recurrence } : {}),
    }),
  );
  const marketerId = company.people['marketer@example.com']!;
  expect((await rep.json('POST', `/api/v1/events/${event.id}/invitations`, { personIds: [marketerId] })).status).toBe(201);
  queueChangeNotices(t.db, t.clock, NOTICES);
  const invitation = t.db
    .select()
    .from(invitations)
    .where(and(eq(invitations.eventId, event.id), eq(invitations.personId, marketerId)))
    .get()!;
  expect((await sessionAs(t, 'marketer@example.com').json('PATCH', `/api/v1/invitations/${invitation.id}`, { status: 'accepted' })).status).toBe(200);
  return { id: event.id as number, invitationId: invitation.id, request: lastMail() };
}

const mails = () => t.db.select().from(outbox).where(eq(outbox.toEmail, 'marketer@example.com')).orderBy(desc(outbox.id)).all();
const lastMail = () => mails()[0]!;
const vevents = (calendar: string) => new ICAL.Component(ICAL.parse(calendar)).getAllSubcomponents('vevent');
const prop = (v: ICAL.Component, name: string) => v.getFirstPropertyValue(name);
const iso = (value: unknown) => (value as ICAL.Time).toJSDate().toISOString();

describe('cancellations carry METHOD:CANCEL', () => {
  it('cancels the whole event with the UID of the invitation, a higher SEQUENCE and the same organizer', async () => {
    await setup();
    const event = await acceptedEvent();
    const [requested] = vevents(event.request.calendar!);
    expect((await sessionAs(t, 'rep@example.com').request(`/api/v1/events/${event.id}`, { method: 'DELETE' })).status).toBeLessThan(300);
    const mail = lastMail();
    expect(mail.subject).toBe('Cancelled: Acme pipeline call');
    expect(mail.calendarMethod).toBe('CANCEL');
    const root = new ICAL.Component(ICAL.parse(mail.calendar!));
    expect(root.getFirstPropertyValue('method')).toBe('CANCEL');
    const [cancelled] = vevents(mail.calendar!);
    expect(prop(cancelled!, 'uid')).toBe(`event-${event.id}@crosstrain`);
    expect(prop(cancelled!, 'uid')).toBe(prop(requested!, 'uid'));
    expect(prop(cancelled!, 'status')).toBe('CANCELLED');
    expect(Number(prop(cancelled!, 'sequence'))).toBeGreaterThanOrEqual(Number(prop(requested!, 'sequence')));
    expect(prop(cancelled!, 'organizer')).toBe(prop(requested!, 'organizer'));
    expect(String(prop(cancelled!, 'organizer'))).toMatch(new RegExp(`^mailto:reply\\+${event.invitationId}-[0-9a-f]{24}@${DOMAIN.replace(/\./g, '\\.')}$`));
    expect(String(prop(cancelled!, 'attendee'))).toBe('mailto:marketer@example.com');
  });

  it('calls off a series that had begun by ending it before the cancellation, so what took place stays in the calendar', async () => {
    await setup();
    const series = await acceptedEvent(['RRULE:FREQ=WEEKLY;BYDAY=MO;COUNT=4']);
    const [requested] = vevents(series.request.calendar!);
    t.clock.set('2026-03-17T12:00:00Z'); // 9 and 16 March took place
    expect((await sessionAs(t, 'rep@example.com').request(`/api/v1/events/${series.id}`, { method: 'DELETE' })).status).toBe(200);
    const mail = lastMail();
    expect(mail.subject).toBe('Cancelled: Acme pipeline call');
    expect(mail.body).toContain('every occurrence still to come; those that took place stay as they were');
    expect(mail.calendarMethod).toBe('REQUEST');
    const [master] = vevents(mail.calendar!);
    expect(prop(master!, 'uid')).toBe(prop(requested!, 'uid'));
    expect(prop(master!, 'status')).toBe('CONFIRMED');
    expect(Number(prop(master!, 'sequence'))).toBeGreaterThan(Number(prop(requested!, 'sequence')));
    expect(String(prop(master!, 'rrule'))).toMatch(/UNTIL=/);
    expect(expandCalendar(mail.calendar!, new Date('2026-06-01T00:00:00Z')).map((o) => o.start.toISOString())).toEqual([
      '2026-03-09T13:00:00.000Z',
      '2026-03-16T13:00:00.000Z',
    ]);
  });

  it('cancels one occurrence of a series as that instance only (RECURRENCE-ID), leaving the series', async () => {
    await setup();
    const series = await acceptedEvent(['RRULE:FREQ=WEEKLY;BYDAY=MO;COUNT=4']);
    const [requested] = vevents(series.request.calendar!);
    expect(String(prop(requested!, 'rrule'))).toContain('FREQ=WEEKLY');
    const res = await sessionAs(t, 'rep@example.com').json('PATCH', `/api/v1/events/${series.id}/occurrences/${series.id}_20260316T130000Z`, {
      status: 'cancelled',
    });
    expect(res.status).toBe(200);
    const mail = lastMail();
    expect(mail.calendarMethod).toBe('CANCEL');
    const all = vevents(mail.calendar!);
    expect(all).toHaveLength(1);
    const [instance] = all;
    expect(prop(instance!, 'uid')).toBe(`event-${series.id}@crosstrain`);
    expect(iso(prop(instance!, 'recurrence-id'))).toBe('2026-03-16T13:00:00.000Z');
    expect(prop(instance!, 'rrule')).toBeNull();
    expect(prop(instance!, 'status')).toBe('CANCELLED');
    expect(Number(prop(instance!, 'sequence'))).toBeGreaterThanOrEqual(Number(prop(requested!, 'sequence')));
    // What the mail program keeps: the series without that one occurrence.
    expect(mail.subject).toMatch(/^Cancelled: Acme pipeline call on 2026-03-16/);
  });
});

describe('"this and following" sends a REQUEST for each part', () => {
  it('ends the earlier series (same UID, UNTIL, higher SEQUENCE) and invites to the new one, so together they hold every occurrence once', async () => {
    await setup();
    const series = await acceptedEvent(['RRULE:FREQ=WEEKLY;BYDAY=MO;COUNT=6']);
    const [requested] = vevents(series.request.calendar!);
    const before = mails().length;
    const tail = await json(
      await sessionAs(t, 'rep@example.com').json('PATCH', `/api/v1/events/${series.id}`, {
        fromOccurrenceId: `${series.id}_20260323T130000Z`,
        start: { dateTime: '2026-03-24T14:00' },
        end: { dateTime: '2026-03-24T15:00' },
      }),
    );
    expect(tail.splitFromEventId).toBe(series.id);
    queueChangeNotices(t.db, t.clock, NOTICES);
    const sent = mails()
      .slice(0, mails().length - before)
      .reverse();
    expect(sent.map((m) => m.calendarMethod)).toEqual(['REQUEST', 'REQUEST']);
    const [headMail, tailMail] = sent;
    expect(headMail!.subject).toBe('Series ends before 2026-03-24: Acme pipeline call');
    const [head] = vevents(headMail!.calendar!);
    expect(prop(head!, 'uid')).toBe(`event-${series.id}@crosstrain`);
    expect(Number(prop(head!, 'sequence'))).toBeGreaterThan(Number(prop(requested!, 'sequence')));
    expect(String(prop(head!, 'rrule'))).toMatch(/UNTIL=/);
    const [next] = vevents(tailMail!.calendar!);
    expect(prop(next!, 'uid')).toBe(`event-${tail.id}@crosstrain`);
    // Each carries a reply address for the invitation it is about.
    expect(String(prop(head!, 'organizer'))).not.toBe(String(prop(next!, 'organizer')));

    const until = new Date('2026-06-01T00:00:00Z');
    const starts = [...expandCalendar(headMail!.calendar!, until), ...expandCalendar(tailMail!.calendar!, until)].map((o) => o.start.toISOString()).sort();
    expect(starts).toEqual([
      '2026-03-09T13:00:00.000Z',
      '2026-03-16T13:00:00.000Z',
      // From 23 March on: Tuesdays 14:00 New York.
      '2026-03-24T18:00:00.000Z',
      '2026-03-31T18:00:00.000Z',
      '2026-04-07T18:00:00.000Z',
      '2026-04-14T18:00:00.000Z',
    ]);
  });
});

describe('the reply address when no domain is configured', () => {
  it('derives the domain from INBOUND_DOMAIN or a public BASE_URL only', () => {
    expect(replyDomainOf({ replyDomain: 'reply.example.com', baseUrl: 'http://localhost:3000' })).toBe('reply.example.com');
    expect(replyDomainOf({ baseUrl: 'https://crosstrain.example.com' })).toBe('crosstrain.example.com');
    for (const baseUrl of [
      undefined,
      null,
      'http://localhost:3000',
      'http://127.0.0.1:3000',
      'http://[::1]:3000',
      'http://intranet:8080',
      'http://app.localhost',
      'not a url',
    ]) {
      expect(replyDomainOf({ baseUrl }), String(baseUrl)).toBeNull();
    }
  });

  it('names the host as ORGANIZER instead of an address nobody receives', async () => {
    await setup(undefined);
    const rep = sessionAs(t, 'rep@example.com');
    const event = await json(
      await rep.json('POST', '/api/v1/events', {
        kind: 'sales_call',
        title: 'No domain call',
        account: 'Acme',
        seats: 1,
        start: { dateTime: '2026-03-09T09:00', timeZone: 'UTC' },
        end: { dateTime: '2026-03-09T10:00', timeZone: 'UTC' },
      }),
    );
    await rep.json('POST', `/api/v1/events/${event.id}/invitations`, { personIds: [company.people['marketer@example.com']] });
    queueChangeNotices(t.db, t.clock, { baseUrl: 'http://localhost:3000', replyDomain: replyDomainOf({ baseUrl: 'http://localhost:3000' }) });
    const [vevent] = vevents(lastMail().calendar!);
    expect(String(prop(vevent!, 'organizer'))).toBe('mailto:rep@example.com');
    expect(lastMail().calendar).not.toContain('@localhost');
  });

  it('refuses to start the SMTP listener without a domain answers can reach', () => {
    expect(() => loadConfig({ INBOUND_SMTP_PORT: '2525' })).toThrow(/INBOUND_DOMAIN: INBOUND_SMTP_PORT needs the domain/);
    expect(() => loadConfig({ INBOUND_SMTP_PORT: '2525', BASE_URL: 'http://localhost:3000' })).toThrow(/INBOUND_DOMAIN/);
    expect(loadConfig({ INBOUND_SMTP_PORT: '2525', BASE_URL: 'https://crosstrain.example.com' }).INBOUND_SMTP_PORT).toBe(2525);
    expect(loadConfig({ INBOUND_SMTP_PORT: '2525', INBOUND_DOMAIN: 'reply.example.com' }).INBOUND_DOMAIN).toBe('reply.example.com');
    expect(loadConfig({}).INBOUND_SMTP_PORT).toBeUndefined();
  });
});
