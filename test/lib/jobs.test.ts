import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { everyInterval } from '../../src/lib/jobs';

describe('everyInterval', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it('works at once and every interval, logs a failed turn and goes on, and stops when told', () => {
    const errors = vi.spyOn(console, 'error').mockImplementation(() => {});
    let turns = 0;
    const stop = everyInterval('Test job', 1_000, () => {
      turns++;
      if (turns === 2) throw new Error('second turn fails');
    });
    expect(turns).toBe(1);
    vi.advanceTimersByTime(1_000);
    expect(turns).toBe(2);
    expect(errors).toHaveBeenCalledWith('Test job failed:', expect.objectContaining({ message: 'second turn fails' }));
    vi.advanceTimersByTime(2_000);
    expect(turns).toBe(4);
    stop();
    vi.advanceTimersByTime(5_000);
    expect(turns).toBe(4);
    errors.mockRestore();
  });
});
