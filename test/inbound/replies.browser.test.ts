import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import nodemailer from 'nodemailer';
import ICAL from 'ical.js';
import { and, eq } from 'drizzle-orm';
import { invitations, outbox } from '../../db/schema';
import { startInboundSmtp, type InboundLogEntry } from '../../src/inbound/smtp';
import { queueChangeNotices } from '../../src/reminders/notices';
import { sessionAs } from '../support/app';
import { signInInBrowser, useBrowserApp, watchPageErrors } from '../support/browser';
import { outlookReply } from './fixtures';

const DOMAIN = 'reply.crosstrain.test';
const env = useBrowserApp({ now: '2026-03-02T12:00:00Z', settings: { replyDomain: DOMAIN } });
let smtp: { port: number; close: () => Promise<void> };
const logged: InboundLogEntry[] = [];
beforeAll(async () => {
  smtp = await startInboundSmtp(env.t.db, env.t.clock, { port: 0, host: '127.0.0.1', domain: DOMAIN, maxBytes: 100_000, log: (e) => logged.push(e) });
});
afterAll(() => smtp.close());

describe('an invitation answered from a mail program, seen in the browser', () => {
  it('an Outlook REPLY sent over SMTP on loopback shows the invitation as accepted to the guest and the host', async () => {
    const rep = sessionAs(env.t, 'rep@example.com');
    const created = await rep.json('POST', '/api/v1/events', {
      kind: 'sales_call',
      title: 'Globex discovery call',
      account: 'Globex',
      seats: 1,
      start: { dateTime: '2026-03-09T10:00', timeZone: 'America/New_York' },
      end: { dateTime: '2026-03-09T11:00', timeZone: 'America/New_York' },
    });
    const event = (await created.json()) as { id: number };
    const marketerId = env.company.people['marketer@example.com']!;
    expect((await rep.json('POST', `/api/v1/events/${event.id}/invitations`, { personIds: [marketerId] })).status).toBe(201);
    queueChangeNotices(env.t.db, env.t.clock, { baseUrl: env.server.url, replyDomain: DOMAIN });
    const mail = env.t.db.select().from(outbox).where(eq(outbox.toEmail, 'marketer@example.com')).get()!;
    const vevent = new ICAL.Component(ICAL.parse(mail.calendar!)).getFirstSubcomponent('vevent')!;
    const organizer = String(vevent.getFirstPropertyValue('organizer')).replace(/^mailto:/i, '');

    const page = await env.browser.newPage();
    const errors = watchPageErrors(page);
    await signInInBrowser(page, env.server.url, 'marketer@example.com');
    await page.goto(`${env.server.url}/invitations`);
    expect(await page.locator('main').textContent()).toContain('Globex discovery call');

    // Accept in Outlook: the mail program sends METHOD:REPLY to the organizer (our reply address).
    const transport = nodemailer.createTransport({ host: '127.0.0.1', port: smtp.port, secure: false, ignoreTLS: true });
    await transport.sendMail({
      from: 'Mark Marketer <marketer@example.com>',
      to: organizer,
      subject: 'Accepted: Globex discovery call',
      text: 'Accepted',
      icalEvent: {
        method: 'REPLY',
        content: outlookReply({
          uid: String(vevent.getFirstPropertyValue('uid')),
          sequence: Number(vevent.getFirstPropertyValue('sequence')),
          attendee: 'marketer@example.com',
          name: 'Mark Marketer',
          organizer,
          partstat: 'ACCEPTED',
        }),
      },
    });
    expect(logged.at(-1)!.outcome).toMatchObject({ applied: true, answer: 'accepted' });
    const invitation = env.t.db
      .select()
      .from(invitations)
      .where(and(eq(invitations.eventId, event.id), eq(invitations.personId, marketerId)))
      .get()!;
    expect(invitation.status).toBe('accepted');

    // The guest's pages show it accepted: no longer waiting on Invitations, on the event page, in My schedule.
    await page.goto(`${env.server.url}/events/${event.id}`);
    await expect.poll(() => page.locator('main').textContent()).toMatch(/Guests\s*Mark Marketer Marketing accepted/);
    await expect.poll(() => page.locator('main').textContent()).toMatch(/Sales call accepted/);
    await page.goto(`${env.server.url}/?view=month`);
    expect(await page.locator('main').textContent()).toContain('Globex discovery call');

    // The host sees the guest as accepted.
    const host = await env.browser.newPage();
    const hostErrors = watchPageErrors(host);
    await signInInBrowser(host, env.server.url, 'rep@example.com');
    await host.goto(`${env.server.url}/events/${event.id}`);
    const guestRow = host.locator('li, tr', { hasText: 'Mark Marketer' }).first();
    await expect.poll(() => guestRow.textContent()).toContain('accepted');
    expect([...errors, ...hostErrors]).toEqual([]);
  });
});
