export interface Clock {
  now(): Date;
}

export const systemClock: Clock = { now: () => new Date() };

/** A clock tests can set and advance. */
export function fixedClock(start: Date | string): Clock & { set(d: Date | string): void; advance(ms: number): void } {
  const toMs = (d: Date | string) => {
    const ms = new Date(d).getTime();
    if (Number.isNaN(ms)) throw new RangeError(`Invalid clock time: ${String(d)}`);
    return ms;
  };
  let current = toMs(start);
  return {
    now: () => new Date(current),
    set: (d) => {
      current = toMs(d);
    },
    advance: (ms) => {
      current += ms;
    },
  };
}
