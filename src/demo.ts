import type { Db } from './db';
import type { Clock } from './lib/clock';

/** What each feature's demo seeder (src/<feature>/demo.ts) receives. */
export type DemoContext = {
  clock: Clock;
  /** The hash of DEMO_PASSWORD, computed once. */
  passwordHash: string;
  /** Deterministic random numbers in [0, 1), so every demo looks the same. */
  random: () => number;
  log: (line: string) => void;
};

/** A feature's demo seeder: src/<feature>/demo.ts (or demo-<part>.ts) exports `order` (lower runs first) and `seedDemo`. */
export type DemoSeeder = { order: number; seedDemo: (db: Db, ctx: DemoContext) => void | Promise<void> };

export const DEMO_PASSWORD = 'crosstrain-demo';

export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export const pick = <T>(random: () => number, items: readonly T[]): T => items[Math.floor(random() * items.length)];
