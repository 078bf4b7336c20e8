import { afterEach, describe, expect, it } from 'vitest';
import { afterPeopleWritten, onPeopleWritten } from '../../src/people/listeners';
import { fixedClock } from '../../src/lib/clock';
import { writeTransaction } from '../../src/db';
import { updatePerson } from '../../src/people/people';
import { createTestApp, createTestDb, seedCompany } from '../support/app';

describe('listeners to directory changes', () => {
  const opened: { cleanup: () => void }[] = [];
  afterEach(() => opened.splice(0).forEach((t) => t.cleanup()));
  const open = () => {
    const t = createTestDb();
    opened.push(t);
    return t.db;
  };

  it('are called for the database they were registered on, once each, and never for another database', () => {
    const first = open();
    const second = open();
    const heard: string[] = [];
    const listener = (_db: unknown, _clock: unknown, ids: readonly number[]) => heard.push(`first:${ids.join(',')}`);
    onPeopleWritten(first, listener);
    onPeopleWritten(first, listener);
    afterPeopleWritten(first, fixedClock('2026-03-02T09:00:00Z'), [1, 2]);
    afterPeopleWritten(second, fixedClock('2026-03-02T09:00:00Z'), [3]);
    expect(heard).toEqual(['first:1,2']);
  });

  it('reach a transaction of the database they were registered on', () => {
    const db = open();
    const heard: number[] = [];
    onPeopleWritten(db, (_db, _clock, ids) => heard.push(...ids));
    writeTransaction(db, (tx) => afterPeopleWritten(tx, fixedClock('2026-03-02T09:00:00Z'), [7]));
    expect(heard).toEqual([7]);
  });

  it('hear which fields an update changed, and everything for a new person', async () => {
    const t = createTestApp();
    opened.push({ cleanup: t.close });
    const company = await seedCompany(t.db);
    const heard: (string[] | null)[] = [];
    onPeopleWritten(t.db, (_db, _clock, _ids, changed) => heard.push(changed ? [...changed].sort() : null));
    const rep = company.people['rep@example.com']!;
    updatePerson(t.db, t.clock, { personId: null }, rep, { title: 'Senior rep', name: 'Rita Rep' });
    updatePerson(t.db, t.clock, { personId: null }, rep, { hireDate: '2026-01-05' });
    // Only the title changed in the first (the name was already that); the second moves due dates.
    expect(heard).toEqual([['title'], ['hireDate']]);
  });
});
