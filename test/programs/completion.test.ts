import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { evaluateRequirement, summariseCompletion, type EvaluateRequirementInput, type EventEvidence, type Requirement } from '../../src/programs/completion';
import { cycleWindow, dueInstant, onboardingDueDate, onboardingWindow } from '../../src/programs/schedule';

// A new hire in Los Angeles, hired Monday 4 March 2024 (PST, UTC-8); DST starts 10 March (PDT, UTC-7).
const ZONE = 'America/Los_Angeles';
const HIRE_DATE = '2024-03-04';
const WINDOW = onboardingWindow(HIRE_DATE, ZONE); // 2024-03-04T08:00Z
// "Competitive advantages 101 within 14 days": due 18 March, i.e. before 19 March 00:00 PDT.
const DUE_AT = dueInstant(onboardingDueDate(HIRE_DATE, 14), ZONE);

const training: Requirement = { id: 1, kind: 'training', topic: 'competitive-advantages-101' };
const twoSalesCalls: Requirement = { id: 2, kind: 'events', eventKind: 'sales_call', count: 2 };
const signOff: Requirement = { id: 3, kind: 'sign_off' };
const survey: Requirement = { id: 4, kind: 'survey' };

function evaluate(overrides: Partial<EvaluateRequirementInput>) {
  return evaluateRequirement({
    requirement: training,
    evidence: {},
    window: WINDOW,
    dueAt: DUE_AT,
    now: new Date('2024-03-05T00:00:00Z'),
    ...overrides,
  });
}

function salesCall(eventId: number, at: string, overrides: Partial<EventEvidence> = {}): EventEvidence {
  return { eventId, kind: 'sales_call', at: new Date(at), answer: 'accepted', attendance: 'attended', ...overrides };
}

for (const tz of ['UTC', 'America/New_York']) {
  describe(`requirement completion with process TZ=${tz}`, () => {
    const previousTz = process.env.TZ;
    beforeAll(() => {
      process.env.TZ = tz;
    });
    afterAll(() => {
      process.env.TZ = previousTz;
    });

    it('uses the hand-computed window and due instant', () => {
      expect(WINDOW.from.toISOString()).toBe('2024-03-04T08:00:00.000Z');
      expect(DUE_AT.toISOString()).toBe('2024-03-19T07:00:00.000Z');
    });

    describe('due, due soon and overdue', () => {
      it('is due while more than 7 days remain', () => {
        expect(evaluate({})).toEqual({ state: 'due', evidence: [], progress: { have: 0, need: 1 } });
        expect(evaluate({ now: new Date('2024-03-12T06:59:59.999Z') }).state).toBe('due');
      });

      it('is due soon from exactly 7 days before the due instant', () => {
        expect(evaluate({ now: new Date('2024-03-12T07:00:00.000Z') }).state).toBe('due_soon');
        expect(evaluate({ now: new Date('2024-03-19T06:59:59.999Z') }).state).toBe('due_soon');
      });

      it('is overdue from the due instant on (the end of the local due day)', () => {
        expect(evaluate({ now: new Date('2024-03-19T07:00:00.000Z') }).state).toBe('overdue');
        expect(evaluate({ now: new Date('2024-06-01T00:00:00.000Z') }).state).toBe('overdue');
      });

      it('takes the due-soon horizon as a parameter', () => {
        const now = new Date('2024-03-12T07:00:00.000Z'); // 7 days before
        expect(evaluate({ now, dueSoonDays: 3 }).state).toBe('due');
        expect(evaluate({ now: new Date('2024-03-16T07:00:00.000Z'), dueSoonDays: 3 }).state).toBe('due_soon');
        expect(evaluate({ now, dueSoonDays: 0 }).state).toBe('due');
      });
    });

    describe('training requirements', () => {
      const attended = {
        eventId: 10,
        topic: 'competitive-advantages-101',
        at: new Date('2024-03-10T17:00:00Z'),
        attendance: 'attended' as const,
        title: 'CA 101, March',
      };

      it('is done by attending a session of the topic', () => {
        expect(evaluate({ evidence: { trainings: [attended] }, now: new Date('2024-03-11T00:00:00Z') })).toEqual({
          state: 'done',
          completedAt: attended.at,
          late: false,
          evidence: [{ type: 'training', eventId: 10, topic: 'competitive-advantages-101', at: attended.at, title: 'CA 101, March' }],
          progress: { have: 1, need: 1 },
        });
      });

      it('ignores other topics, no-shows, unmarked attendance and sessions before the hire date', () => {
        const result = evaluate({
          now: new Date('2024-03-20T00:00:00Z'),
          evidence: {
            trainings: [
              { ...attended, topic: 'pricing-basics' },
              { ...attended, attendance: 'no_show' },
              { ...attended, attendance: null },
              { ...attended, at: new Date('2024-03-04T07:59:59Z') }, // 3 March, 23:59:59 in LA
            ],
          },
        });
        expect(result.state).toBe('overdue');
        expect(result.evidence).toEqual([]);
      });

      it('counts a session at the first moment of the hire date', () => {
        const result = evaluate({ evidence: { trainings: [{ ...attended, at: new Date('2024-03-04T08:00:00Z') }] } });
        expect(result.state).toBe('done');
      });

      it('is still completed by a late session, marked late', () => {
        const lateAt = new Date('2024-03-20T17:00:00Z');
        const result = evaluate({ evidence: { trainings: [{ ...attended, at: lateAt }] }, now: new Date('2024-03-21T00:00:00Z') });
        expect(result).toMatchObject({ state: 'done', completedAt: lateAt, late: true });
      });

      it('counts as late when attended exactly at the due instant', () => {
        const result = evaluate({ evidence: { trainings: [{ ...attended, at: DUE_AT }] }, now: new Date('2024-03-21T00:00:00Z') });
        expect(result).toMatchObject({ state: 'done', late: true });
      });

      it('completes at the earliest qualifying session', () => {
        const earlier = { ...attended, eventId: 11, at: new Date('2024-03-06T17:00:00Z') };
        const result = evaluate({ evidence: { trainings: [attended, earlier] }, now: new Date('2024-03-30T00:00:00Z') });
        expect(result.completedAt).toEqual(earlier.at);
        expect(result.evidence.map((item) => item.at)).toEqual([earlier.at, attended.at]);
        expect(result.progress).toEqual({ have: 1, need: 1 });
      });

      it('ignores evidence after now, so past states can be replayed', () => {
        const result = evaluate({ evidence: { trainings: [attended] }, now: new Date('2024-03-09T00:00:00Z') });
        expect(result.state).toBe('due');
        expect(result.evidence).toEqual([]);
      });
    });

    describe('events requirements', () => {
      const now = new Date('2024-04-01T00:00:00Z');
      const dueAt = dueInstant(onboardingDueDate(HIRE_DATE, 60), ZONE); // 3 May 2024, 07:00Z

      it('needs N accepted-and-attended events of the kind', () => {
        const result = evaluate({
          requirement: twoSalesCalls,
          dueAt,
          now,
          evidence: { events: [salesCall(20, '2024-03-12T18:00:00Z')] },
        });
        expect(result).toMatchObject({ state: 'due', progress: { have: 1, need: 2 } });
        expect(result.completedAt).toBeUndefined();
      });

      it('completes at the Nth event, counting each occurrence once', () => {
        const first = salesCall(20, '2024-03-12T18:00:00Z');
        const second = salesCall(20, '2024-03-19T18:00:00Z'); // next occurrence of the same series
        const result = evaluate({
          requirement: twoSalesCalls,
          dueAt,
          now,
          evidence: { events: [second, first, { ...first }, salesCall(21, '2024-03-25T18:00:00Z')] },
        });
        expect(result).toMatchObject({ state: 'done', completedAt: second.at, late: false, progress: { have: 2, need: 2 } });
        expect(result.evidence).toHaveLength(3);
      });

      it('does not count other kinds, unaccepted invitations or no-shows', () => {
        const result = evaluate({
          requirement: twoSalesCalls,
          dueAt,
          now,
          evidence: {
            events: [
              salesCall(30, '2024-03-12T18:00:00Z', { kind: 'marketing_meeting' }),
              salesCall(31, '2024-03-13T18:00:00Z', { answer: 'tentative' }),
              salesCall(32, '2024-03-14T18:00:00Z', { answer: 'waitlisted' }),
              salesCall(33, '2024-03-15T18:00:00Z', { attendance: 'no_show' }),
              salesCall(34, '2024-03-16T18:00:00Z', { attendance: null }),
              salesCall(35, '2024-03-17T18:00:00Z'),
            ],
          },
        });
        expect(result.progress).toEqual({ have: 1, need: 2 });
        expect(result.evidence).toEqual([{ type: 'event', eventId: 35, kind: 'sales_call', at: new Date('2024-03-17T18:00:00Z'), title: undefined }]);
      });

      it('counts only events inside a review cycle', () => {
        // Cycle 1 Apr - 30 Jun 2024 in LA: [1 Apr 07:00Z, 1 Jul 07:00Z).
        const window = cycleWindow({ start: '2024-04-01', end: '2024-06-30' }, ZONE);
        const result = evaluate({
          requirement: twoSalesCalls,
          window,
          dueAt: dueInstant('2024-05-01', ZONE),
          now: new Date('2024-08-01T00:00:00Z'),
          evidence: {
            events: [
              salesCall(40, '2024-04-01T06:59:59Z'), // 31 Mar in LA: previous cycle
              salesCall(41, '2024-04-01T07:00:00Z'),
              salesCall(42, '2024-07-01T07:00:00Z'), // 1 Jul in LA: next cycle
            ],
          },
        });
        expect(result).toMatchObject({ state: 'overdue', progress: { have: 1, need: 2 } });
        const done = evaluate({
          requirement: twoSalesCalls,
          window,
          dueAt: dueInstant('2024-05-01', ZONE),
          now: new Date('2024-08-01T00:00:00Z'),
          evidence: { events: [salesCall(41, '2024-04-01T07:00:00Z'), salesCall(43, '2024-07-01T06:59:59Z')] },
        });
        expect(done).toMatchObject({ state: 'done', late: true, completedAt: new Date('2024-07-01T06:59:59Z') });
      });
    });

    describe('sign-off requirements', () => {
      it('is done by a sign-off for this requirement, and shows who signed', () => {
        const at = new Date('2024-03-15T20:00:00Z');
        const result = evaluate({
          requirement: signOff,
          now: new Date('2024-03-16T00:00:00Z'),
          evidence: {
            signOffs: [
              { requirementId: 99, byPersonId: 7, at },
              { requirementId: '3', byPersonId: 7, byName: 'Maria Manager', at, note: 'Pitched the story well' },
            ],
          },
        });
        expect(result).toEqual({
          state: 'done',
          completedAt: at,
          late: false,
          evidence: [{ type: 'sign_off', byPersonId: 7, byName: 'Maria Manager', at, note: 'Pitched the story well' }],
          progress: { have: 1, need: 1 },
        });
      });

      it('stays open with only sign-offs of other requirements', () => {
        const result = evaluate({
          requirement: signOff,
          now: new Date('2024-03-16T00:00:00Z'),
          evidence: { signOffs: [{ requirementId: 99, byPersonId: 7, at: new Date('2024-03-15T20:00:00Z') }] },
        });
        expect(result.state).toBe('due_soon');
      });
    });

    describe('survey requirements', () => {
      it('is done by a response inside the window only', () => {
        const before = { roundId: 1, at: new Date('2024-02-01T00:00:00Z') };
        const inside = { roundId: 2, at: new Date('2024-03-08T00:00:00Z') };
        expect(evaluate({ requirement: survey, evidence: { surveyResponses: [before] }, now: new Date('2024-03-09T00:00:00Z') }).state).toBe('due');
        expect(evaluate({ requirement: survey, evidence: { surveyResponses: [before, inside] }, now: new Date('2024-03-09T00:00:00Z') })).toMatchObject({
          state: 'done',
          completedAt: inside.at,
          evidence: [{ type: 'survey', roundId: 2, at: inside.at }],
        });
      });
    });

    describe('summariseCompletion', () => {
      it('counts states and the share done for progress bars', () => {
        expect(summariseCompletion(['done', 'done', 'due_soon', 'overdue', { state: 'done', late: true }, { state: 'due', late: undefined }])).toEqual({
          total: 6,
          done: 3,
          due: 1,
          due_soon: 1,
          overdue: 1,
          late: 1,
          percentDone: 50,
        });
      });

      it('rounds down so that 100% means everything is done', () => {
        expect(summariseCompletion(['done', 'done', 'overdue']).percentDone).toBe(66);
        const almost = [...Array<'done'>(199).fill('done'), 'due' as const];
        expect(summariseCompletion(almost).percentDone).toBe(99);
        expect(summariseCompletion(['done']).percentDone).toBe(100);
      });

      it('has no percentage when nothing is required', () => {
        expect(summariseCompletion([])).toEqual({ total: 0, done: 0, due: 0, due_soon: 0, overdue: 0, late: 0, percentDone: null });
      });
    });
  });
}
