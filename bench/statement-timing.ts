// Time and count per SQL statement of one database, for the profiling scripts (sqlprof, writes-profile).
import type Database from 'better-sqlite3';
import type { Db } from '../src/db';

export type StatementTimes = { stats: Map<string, { n: number; ms: number }>; measure: (on: boolean) => void };

/** Wraps the running methods of the database's statements; only what runs while `measure(true)` is counted. */
export function timeStatements(db: Db): StatementTimes {
  const stats = new Map<string, { n: number; ms: number }>();
  let on = false;
  const proto = Object.getPrototypeOf(db.$client.prepare('SELECT 1'));
  for (const m of ['all', 'get', 'run', 'iterate']) {
    const orig = proto[m];
    proto[m] = function (this: Database.Statement, ...a: unknown[]) {
      if (!on) return orig.apply(this, a);
      const t = performance.now();
      try {
        return orig.apply(this, a);
      } finally {
        const s = stats.get(this.source) ?? { n: 0, ms: 0 };
        s.n++;
        s.ms += performance.now() - t;
        stats.set(this.source, s);
      }
    };
  }
  return {
    stats,
    measure: (value) => {
      on = value;
    },
  };
}
