import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import { ROLES, usePageSweep } from './pages';

// axe-core is served from the project's own node_modules, never a CDN.
const AXE_PATH = createRequire(import.meta.url).resolve('axe-core/axe.min.js');

const sweep = usePageSweep();

describe('axe-core on every page for every role', () => {
  for (const role of ROLES) {
    it(`finds no serious or critical violations for ${role.name}`, async () => {
      const found: string[] = [];
      // The page's CSP forbids inline scripts; the test lifts it only to add axe itself.
      await sweep.visitAs(role.email, { bypassCSP: true }, async (page, path) => {
        await page.addScriptTag({ path: AXE_PATH });
        const violations = await page.evaluate(async () => {
          const axe = (
            window as unknown as {
              axe: {
                run: (context: Document, options: object) => Promise<{ violations: { id: string; impact: string | null; nodes: { target: unknown[] }[] }[] }>;
              };
            }
          ).axe;
          const result = await axe.run(document, { resultTypes: ['violations'] });
          return result.violations.map((v) => ({ id: v.id, impact: v.impact, targets: v.nodes.slice(0, 3).map((n) => String(n.target[0])) }));
        });
        for (const v of violations)
          if (v.impact === 'serious' || v.impact === 'critical') found.push(`${path}: ${v.id} (${v.impact}) at ${v.targets.join(', ')}`);
      });
      expect(found).toEqual([]);
    }, 600_000);
  }
});
