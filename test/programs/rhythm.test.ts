import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import { programs } from '../../db/schema';
import { describeRhythm, rhythmToRule, ruleToRhythm } from '../../src/programs/rhythm';
import { createTestApp, seedCompany, sessionAs, type TestContext } from '../support/app';

describe('review rhythm in words', () => {
  it('turns the form’s choice into a rule and back', () => {
    expect(rhythmToRule({ rhythmEvery: 3, rhythmUnit: 'month', rhythmDay: 1 })).toBe('FREQ=MONTHLY;INTERVAL=3;BYMONTHDAY=1');
    expect(rhythmToRule({ rhythmEvery: 1, rhythmUnit: 'year', rhythmDay: undefined })).toBe('FREQ=YEARLY');
    expect(rhythmToRule({ rhythmEvery: 2, rhythmUnit: 'week', rhythmDay: 5 })).toBe('FREQ=WEEKLY;INTERVAL=2');
    expect(ruleToRhythm('FREQ=MONTHLY;INTERVAL=3;BYMONTHDAY=1')).toEqual({ rhythmEvery: 3, rhythmUnit: 'month', rhythmDay: 1 });
    expect(ruleToRhythm('FREQ=MONTHLY;BYDAY=1MO')).toBeNull();
  });

  it('says the rhythm as people do', () => {
    expect(describeRhythm('FREQ=MONTHLY;INTERVAL=3;BYMONTHDAY=1', '2027-01-01')).toBe('every 3 months, on the 1st');
    expect(describeRhythm('FREQ=MONTHLY;INTERVAL=6', '2027-01-22')).toBe('every 6 months, on the 22nd');
    expect(describeRhythm('FREQ=YEARLY', '2027-03-15')).toBe('every year, on 15 March');
    expect(describeRhythm('FREQ=WEEKLY;INTERVAL=2', '2027-03-15')).toBe('every 2 weeks, on Mondays');
    expect(describeRhythm('FREQ=MONTHLY;BYDAY=1MO', '2027-03-01')).toBe('every month on the 1st Monday');
  });
});

describe('the program form', () => {
  let t: TestContext;
  beforeEach(async () => {
    t = createTestApp();
    await seedCompany(t.db);
  });
  afterEach(() => t.close());

  it('chooses the rhythm in words and shows it in words; the API still takes and gives the rule', async () => {
    const hr = sessionAs(t, 'hr@example.com');
    const form = await (await hr.get('/programs/new')).text();
    expect(form).toContain('name="rhythmEvery"');
    expect(form).not.toContain('placeholder="FREQ=');
    const created = await hr.form('/programs', {
      name: 'Quarterly refresh',
      kind: 'review',
      description: '',
      rhythmEvery: '3',
      rhythmUnit: 'month',
      rhythmDay: '1',
      anchorDate: '2026-04-01',
      dueSoonDays: '7',
    });
    expect(created.status).toBe(303);
    const program = t.db.select().from(programs).where(eq(programs.name, 'Quarterly refresh')).get()!;
    expect(program.rrule).toBe('FREQ=MONTHLY;INTERVAL=3;BYMONTHDAY=1');
    const page = await (await hr.get(`/programs/${program.id}`)).text();
    expect(page).toContain('every 3 months, on the 1st');
    expect(page).not.toContain('FREQ=MONTHLY');
    const list = await (await hr.get('/programs')).text();
    expect(list).toContain('every 3 months, on the 1st');
    const api = (await (await hr.get(`/api/v1/programs/${program.id}`)).json()) as { rrule: string; rhythm: string };
    expect(api).toMatchObject({ rrule: 'FREQ=MONTHLY;INTERVAL=3;BYMONTHDAY=1', rhythm: 'every 3 months, on the 1st' });

    const bad = await hr.form('/programs', {
      name: 'Broken',
      kind: 'review',
      description: '',
      rhythmEvery: '0',
      rhythmUnit: 'month',
      rhythmDay: '',
      anchorDate: '2026-04-01',
      dueSoonDays: '7',
    });
    expect(bad.status).toBe(400);
    expect(await bad.text()).toContain('needs a rhythm');
  });
});
