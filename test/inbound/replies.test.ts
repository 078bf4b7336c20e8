import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import nodemailer from 'nodemailer';
import ICAL from 'ical.js';
import { eq } from 'drizzle-orm';
import { auditLog, invitations, outbox } from '../../db/schema';
import { queueChangeNotices } from '../../src/reminders/notices';
import { startInboundSmtp, type InboundLogEntry } from '../../src/inbound/smtp';
import { createTestApp, seedCompany, sessionAs, type SeededCompany, type TestContext } from '../support/app';
import { appleReply, gmailReply, outlookReply, type ReplyFields } from './fixtures';

const DOMAIN = 'reply.crosstrain.test';
let t: TestContext;
let company: SeededCompany;
let smtp: { port: number; close: () => Promise<void> };
let logged: InboundLogEntry[];

beforeEach(async () => {
  t = createTestApp({ now: '2026-03-02T12:00:00Z' });
  company = await seedCompany(t.db);
  logged = [];
  smtp = await startInboundSmtp(t.db, t.clock, { port: 0, host: '127.0.0.1', domain: DOMAIN, maxBytes: 50_000, log: (e) => logged.push(e) });
});
afterEach(async () => {
  await smtp.close();
  t.close();
});

/** The rep's one-off call with one seat; the marketer is invited and the invitation mail queued. */
async function invitedCall() {
  const rep = sessionAs(t, 'rep@example.com');
  const created = await rep.json('POST', '/api/v1/events', {
    kind: 'sales_call',
    title: 'Acme discovery call',
    account: 'Acme',
    seats: 1,
    start: { dateTime: '2026-03-09T10:00', timeZone: 'America/New_York' },
    end: { dateTime: '2026-03-09T11:00', timeZone: 'America/New_York' },
  });
  const event = (await created.json()) as { id: number };
  const marketerId = company.people['marketer@example.com']!;
  expect((await rep.json('POST', `/api/v1/events/${event.id}/invitations`, { personIds: [marketerId] })).status).toBe(201);
  expect(queueChangeNotices(t.db, t.clock, { baseUrl: 'http://localhost', replyDomain: DOMAIN })).toBe(1);
  const mail = t.db.select().from(outbox).where(eq(outbox.toEmail, 'marketer@example.com')).get()!;
  expect(mail.calendarMethod).toBe('REQUEST');
  const vevent = new ICAL.Component(ICAL.parse(mail.calendar!)).getFirstSubcomponent('vevent')!;
  const invitation = t.db.select().from(invitations).where(eq(invitations.eventId, event.id)).get()!;
  return {
    eventId: event.id,
    invitationId: invitation.id,
    uid: String(vevent.getFirstPropertyValue('uid')),
    sequence: Number(vevent.getFirstPropertyValue('sequence')),
    organizer: String(vevent.getFirstPropertyValue('organizer')).replace(/^mailto:/i, ''),
    attendee: String(vevent.getFirstPropertyValue('attendee')).replace(/^mailto:/i, ''),
  };
}

const client = () => nodemailer.createTransport({ host: '127.0.0.1', port: smtp.port, secure: false, ignoreTLS: true });
const statusOf = (id: number) => t.db.select().from(invitations).where(eq(invitations.id, id)).get()!;

function fields(call: Awaited<ReturnType<typeof invitedCall>>, overrides: Partial<ReplyFields> = {}): ReplyFields {
  return {
    uid: call.uid,
    sequence: call.sequence,
    attendee: 'marketer@example.com',
    name: 'Mia Marketer',
    organizer: call.organizer,
    partstat: 'ACCEPTED',
    ...overrides,
  };
}

describe('answers from mail programs over SMTP', () => {
  it("sends the invitation with an iMIP REQUEST whose UID and SEQUENCE are the feed's and whose organizer is a signed reply address", async () => {
    const call = await invitedCall();
    expect(call.uid).toBe(`event-${call.eventId}@crosstrain`);
    expect(call.organizer).toMatch(new RegExp(`^reply\\+${call.invitationId}-[0-9a-f]{24}@${DOMAIN.replace(/\./g, '\\.')}$`));
    expect(call.attendee).toBe('marketer@example.com');
    const mail = t.db.select().from(outbox).where(eq(outbox.toEmail, 'marketer@example.com')).get()!;
    expect(mail.calendar).toContain('METHOD:REQUEST');
    expect(mail.calendar!.replace(/\r\n /g, '')).toMatch(/ATTENDEE;CN=[^;]+;ROLE=REQ-PARTICIPANT;PARTSTAT=NEEDS-ACTION;RSVP=TRUE:mailto:marketer@example\.com/);
  });

  it('applies an Outlook acceptance as the browser would, with an audit entry saying it came by email', async () => {
    const call = await invitedCall();
    await client().sendMail({
      from: 'marketer@example.com',
      to: call.organizer,
      subject: 'Accepted: Acme discovery call',
      text: 'Accepted',
      icalEvent: { method: 'REPLY', content: outlookReply(fields(call)) },
    });
    expect(logged.at(-1)!.outcome).toMatchObject({ applied: true, answer: 'accepted' });
    expect(statusOf(call.invitationId)).toMatchObject({ status: 'accepted', holdsSeat: true });
    const audit = t.db.select().from(auditLog).where(eq(auditLog.action, 'invitation.accept')).all().at(-1)!;
    expect(audit.after).toMatchObject({ via: 'email', status: 'accepted' });
    // The app shows the answer: the event's invitations through the API.
    const list = (await (await sessionAs(t, 'rep@example.com').get(`/api/v1/events/${call.eventId}/invitations`)).json()) as {
      data: { personId: number; status: string }[];
    };
    expect(list.data.find((i) => i.personId === company.people['marketer@example.com'])!.status).toBe('accepted');
  });

  it('applies a Gmail decline with its comment as the reason, and an Apple Calendar tentative answer', async () => {
    const call = await invitedCall();
    await client().sendMail({
      from: 'marketer@example.com',
      to: call.organizer,
      subject: 'Declined: Acme discovery call',
      text: 'Mia has declined',
      icalEvent: { method: 'REPLY', content: gmailReply(fields(call, { partstat: 'DECLINED', comment: 'Customer visit that day' })) },
      attachments: [
        {
          filename: 'invite.ics',
          contentType: 'application/ics',
          content: gmailReply(fields(call, { partstat: 'DECLINED', comment: 'Customer visit that day' })),
        },
      ],
    });
    expect(statusOf(call.invitationId)).toMatchObject({ status: 'declined', declineReason: 'Customer visit that day' });
    await client().sendMail({
      envelope: { from: 'marketer@example.com', to: [call.organizer] },
      raw: [
        'From: Mia Marketer <marketer@example.com>',
        `To: ${call.organizer}`,
        'Subject: Tentative: Acme discovery call',
        'MIME-Version: 1.0',
        'Content-Type: text/calendar; method=REPLY; charset=utf-8',
        'Content-Transfer-Encoding: 7bit',
        '',
        appleReply(fields(call, { partstat: 'TENTATIVE' })),
      ].join('\r\n'),
    });
    expect(statusOf(call.invitationId).status).toBe('tentative');
  });

  it('changes nothing for forged, unknown, stale, mismatched or oversized answers and tells the sender nothing', async () => {
    const call = await invitedCall();
    const before = statusOf(call.invitationId);
    const forged = call.organizer.replace(/-([0-9a-f])/, (_m, c: string) => `-${c === 'a' ? 'b' : 'a'}`);
    await client().sendMail({
      from: 'x@example.com',
      to: forged,
      subject: 'Accepted',
      text: 'x',
      icalEvent: { method: 'REPLY', content: outlookReply(fields(call)) },
    });
    expect(logged.at(-1)!.outcome).toMatchObject({ applied: false, reason: 'forged' });
    // Another person answering with this invitation's address.
    await client().sendMail({
      from: 'marketer2@example.com',
      to: call.organizer,
      subject: 'Accepted',
      text: 'x',
      icalEvent: { method: 'REPLY', content: outlookReply(fields(call, { attendee: 'marketer2@example.com' })) },
    });
    expect(logged.at(-1)!.outcome).toMatchObject({ applied: false, reason: 'attendee_mismatch' });
    await client().sendMail({
      from: 'marketer@example.com',
      to: call.organizer,
      subject: 'Accepted',
      text: 'x',
      icalEvent: { method: 'REPLY', content: outlookReply(fields(call, { uid: 'event-999999@crosstrain' })) },
    });
    expect(logged.at(-1)!.outcome).toMatchObject({ applied: false, reason: 'unknown_event' });
    // The host changes the event: SEQUENCE goes up, so an answer to the older version is stale.
    expect((await sessionAs(t, 'rep@example.com').json('PATCH', `/api/v1/events/${call.eventId}`, { title: 'Acme discovery call (moved room)' })).status).toBe(
      200,
    );
    await client().sendMail({
      from: 'marketer@example.com',
      to: call.organizer,
      subject: 'Accepted',
      text: 'x',
      icalEvent: { method: 'REPLY', content: outlookReply(fields(call)) },
    });
    expect(logged.at(-1)!.outcome).toMatchObject({ applied: false, reason: 'stale' });
    await expect(
      client().sendMail({
        from: 'marketer@example.com',
        to: call.organizer,
        subject: 'Big',
        text: 'x'.repeat(80_000),
        icalEvent: { method: 'REPLY', content: outlookReply(fields(call, { sequence: call.sequence + 1 })) },
      }),
    ).rejects.toThrow(/552/);
    await expect(client().sendMail({ from: 'marketer@example.com', to: 'someone@elsewhere.test', subject: 'x', text: 'x' })).rejects.toThrow(/550/);
    expect(statusOf(call.invitationId)).toMatchObject({ status: before.status, holdsSeat: before.holdsSeat });
    // The current SEQUENCE is accepted.
    await client().sendMail({
      from: 'marketer@example.com',
      to: call.organizer,
      subject: 'Accepted',
      text: 'x',
      icalEvent: { method: 'REPLY', content: outlookReply(fields(call, { sequence: call.sequence + 1 })) },
    });
    expect(statusOf(call.invitationId).status).toBe('accepted');
  });
});
