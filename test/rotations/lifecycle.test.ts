import { describe, expect, it } from 'vitest';
import { asOf, statusOn } from '../../src/rotations/lifecycle';

const row = { id: 7, startDate: '2026-04-06', endDate: '2026-05-03', status: 'planned' as const };

describe('rotation status on a date', () => {
  it('is planned before the start, active through the last day, completed after it', () => {
    expect(statusOn('2026-04-05', row)).toBe('planned');
    expect(statusOn('2026-04-06', row)).toBe('active');
    expect(statusOn('2026-05-03', row)).toBe('active');
    expect(statusOn('2026-05-04', row)).toBe('completed');
    // A stored status that ran ahead of the calendar (a rotation moved later) follows the dates too.
    expect(statusOn('2026-04-01', { ...row, status: 'completed' })).toBe('planned');
  });

  it('keeps cancelled whatever the date', () => {
    expect(statusOn('2026-04-20', { ...row, status: 'cancelled' })).toBe('cancelled');
  });

  it('reads a row as it stands on a date without touching the row', () => {
    expect(asOf('2026-04-20', row)).toEqual({ ...row, status: 'active' });
    expect(row.status).toBe('planned');
    expect(asOf('2026-04-01', row)).toBe(row);
  });
});
