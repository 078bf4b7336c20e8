/**
 * The house drawn from the code's own imports, at the level of rooms: a folder under src/ is one
 * room, each src/*.ts file is one. File-level cycles are a lint error already; this keeps rooms from
 * importing each other both ways (or round a chain), and the low modules from naming any feature.
 * views/ imports its features' types and is left out: routes render views by design.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, normalize } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const root = join(dirname(fileURLToPath(import.meta.url)), '../..');
const src = join(root, 'src');

/** The modules below every feature: the shared HTTP module, the app's context and settings, the database, lib. */
const LOW = [
  'src/db.ts',
  'src/config.ts',
  'src/context.ts',
  'src/demo.ts',
  'src/session-messages.ts',
  'src/guards.ts',
  'src/nav.ts',
  'src/web.ts',
  'src/lib/',
  'src/matching/',
];
/** Assemble the app from the features: nothing but themselves imports these. */
const TOP = ['src/app.ts', 'src/wiring.ts', 'src/server.ts', 'src/page-cache.ts'];

const roomOf = (path: string) => {
  const parts = path.split('/');
  return parts.length > 2 ? `src/${parts[1]}/` : path;
};

const files = (readdirSync(src, { recursive: true }) as string[])
  .filter((name) => /\.tsx?$/.test(name))
  .map((name) => `src/${name.split('\\').join('/')}`)
  .sort();
const known = new Set(files);

function resolveImport(from: string, specifier: string): string | null {
  const base = normalize(join(dirname(from), specifier))
    .split('\\')
    .join('/')
    .replace(/\.(js|ts|tsx)$/, '');
  if (!base.startsWith('src/')) return null;
  return [`${base}.ts`, `${base}.tsx`, `${base}/index.ts`].find((candidate) => known.has(candidate)) ?? null;
}

/** Room → rooms it imports (static, re-exports and dynamic imports), with one file that does it. */
function roomImports(): Map<string, Map<string, string>> {
  const edges = new Map<string, Map<string, string>>();
  for (const file of files) {
    const text = readFileSync(join(root, file), 'utf8');
    for (const match of text.matchAll(/(?:from\s+|import\s*\(\s*)['"](\.[^'"]+)['"]/g)) {
      const target = resolveImport(file, match[1]!);
      if (!target) continue;
      const [a, b] = [roomOf(file), roomOf(target)];
      if (a === b) continue;
      if (!edges.has(a)) edges.set(a, new Map());
      if (!edges.get(a)!.has(b)) edges.get(a)!.set(b, `${file} → ${target}`);
    }
  }
  return edges;
}

describe('rooms of src/', () => {
  const edges = roomImports();

  it('finds the rooms it checks', () => {
    expect(edges.get('src/app.ts')?.has('src/events/')).toBe(true);
    expect(edges.size).toBeGreaterThan(20);
  });

  it('never import each other both ways', () => {
    const pairs: string[] = [];
    for (const [a, targets] of edges)
      for (const [b, example] of targets) if (a < b && edges.get(b)?.has(a)) pairs.push(`${a} ⇄ ${b}: ${example} and ${edges.get(b)!.get(a)}`);
    expect(pairs).toEqual([]);
  });

  it('never import each other round a chain', () => {
    // Depth-first search for a path that comes back to a room on it.
    const chains: string[] = [];
    const state = new Map<string, 'open' | 'done'>();
    const visit = (room: string, path: string[]) => {
      state.set(room, 'open');
      for (const next of edges.get(room)?.keys() ?? []) {
        if (state.get(next) === 'open') chains.push([...path.slice(path.indexOf(next)), room, next].join(' → '));
        else if (!state.has(next)) visit(next, [...path, room]);
      }
      state.set(room, 'done');
    };
    for (const room of [...edges.keys()].sort()) if (!state.has(room)) visit(room, []);
    expect(chains).toEqual([]);
  });

  it('keep the low modules below every feature and the app', () => {
    const upward: string[] = [];
    for (const low of LOW) for (const [target, example] of edges.get(low) ?? []) if (!LOW.includes(target)) upward.push(`${low} → ${target}: ${example}`);
    expect(upward).toEqual([]);
  });

  it('keep lib and the matching engine free of the app', () => {
    const named = [...(edges.get('src/lib/') ?? new Map()), ...(edges.get('src/matching/') ?? new Map())];
    expect(named).toEqual([]);
  });

  it('leave the app assembly to the top: no feature imports app, wiring or server', () => {
    const upward: string[] = [];
    for (const [room, targets] of edges) for (const [target, example] of targets) if (TOP.includes(target) && !TOP.includes(room)) upward.push(example);
    expect(upward).toEqual([]);
  });
});
