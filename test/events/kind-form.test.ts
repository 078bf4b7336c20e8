/*
 * The event form shows only the fields of the chosen kind (issue 13): chosen first (?kind=, or
 * "Show the fields of this kind" without JavaScript, or htmx swapping the same partial), and the
 * server stores only the fields of the kind.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import { events } from '../../db/schema';
import { createTestApp, seedCompany, sessionAs, type TestContext } from '../support/app';

let t: TestContext;
beforeEach(async () => {
  t = createTestApp({ now: '2026-03-02T12:00:00Z' });
  await seedCompany(t.db);
});
afterEach(() => t.close());

const fieldsOf = (html: string) => {
  const set = html.slice(html.indexOf('<fieldset id="kind-fields"'), html.indexOf('</fieldset>', html.indexOf('<fieldset id="kind-fields"')));
  return [...set.matchAll(/name="(\w+)"/g)].map((m) => m[1]);
};

const base = { title: 'Kind test', date: '2026-03-09', startTime: '09:00', endTime: '10:00', timeZone: 'UTC', seats: '1', repeat: 'none' };

describe('the event form per kind', () => {
  it('shows the fields of the kind asked for, and of the person’s usual kind by default', async () => {
    const rep = sessionAs(t, 'rep@example.com');
    expect(fieldsOf(await (await rep.get('/events/new')).text())).toEqual(['account', 'opportunityStage', 'location', 'meetingUrl']);
    const marketer = sessionAs(t, 'marketer@example.com');
    expect(fieldsOf(await (await marketer.get('/events/new')).text())).toEqual(['topic', 'location', 'meetingUrl']);
    expect(fieldsOf(await (await rep.get('/events/new?kind=alignment_meeting')).text())).toEqual(['location', 'meetingUrl']);
    // An unknown kind falls back to the usual one.
    expect(fieldsOf(await (await rep.get('/events/new?kind=party')).text())).toEqual(['account', 'opportunityStage', 'location', 'meetingUrl']);
  });

  it('without JavaScript, "Show the fields of this kind" gives the form of that kind with what was typed', async () => {
    const hr = sessionAs(t, 'hr@example.com');
    const res = await hr.form('/events', { kind: 'marketing_meeting', title: 'Typed title', account: 'Acme', changeKind: '1' });
    expect(res.status).toBe(200);
    const html = await res.text();
    expect(fieldsOf(html)).toEqual(['topic', 'location', 'meetingUrl']);
    expect(html).toContain('value="Typed title"');
    expect(html).not.toContain('error-summary');
    expect(t.db.select().from(events).all()).toEqual([]);
  });

  it('answers the fields of a kind as the partial htmx swaps in, keeping shared values', async () => {
    const rep = sessionAs(t, 'rep@example.com');
    const res = await rep.get('/events/kind-fields?kind=marketing_meeting&location=Room%201&account=Acme', { 'hx-request': 'true' });
    expect(res.status).toBe(200);
    const html = await res.text();
    expect(html.startsWith('<fieldset id="kind-fields"')).toBe(true);
    expect(fieldsOf(html)).toEqual(['topic', 'location', 'meetingUrl']);
    expect(html).toContain('value="Room 1"');
    expect((await rep.get('/events/kind-fields?kind=party')).status).toBe(400);
  });

  it('validates per kind and never stores the fields of another kind', async () => {
    const marketer = sessionAs(t, 'marketer@example.com');
    const missing = await marketer.form('/events', { ...base, kind: 'marketing_meeting', account: 'Acme' });
    expect(missing.status).toBe(400);
    expect(await missing.text()).toContain('Enter the topic of the marketing meeting.');
    const ok = await marketer.form('/events', {
      ...base,
      kind: 'marketing_meeting',
      topic: 'Launch plan',
      account: 'Acme',
      opportunityStage: 'discovery',
      location: 'Room 1',
    });
    expect(ok.status).toBe(303);
    const stored = t.db.select().from(events).where(eq(events.title, 'Kind test')).get()!;
    expect([stored.topic, stored.account, stored.opportunityStage, stored.location]).toEqual(['Launch plan', null, null, 'Room 1']);

    const rep = sessionAs(t, 'rep@example.com');
    const call = await rep.form('/events', { ...base, title: 'Kind call', kind: 'sales_call', account: 'Acme', topic: 'Sneaked in' });
    expect(call.status).toBe(303);
    expect(t.db.select().from(events).where(eq(events.title, 'Kind call')).get()!.topic).toBeNull();
  });
});
