/*
 * Every page of every role on a phone (390 × 844, the width of a current iPhone): the page never
 * scrolls sideways, tables read as lists (no table wider than the screen; the rotation timeline
 * scrolls inside its own frame), and no form field or button sticks out of the screen.
 */
import { describe, expect, it } from 'vitest';
import { ROLES, usePageSweep } from './pages';

export const PHONE = { width: 390, height: 844 } as const;

const sweep = usePageSweep(['/?view=month&mode=calendar', '/?view=week&mode=calendar', '/?view=month']);

/** What sticks out on the page in the browser: the page's own width and every element wider than the screen. */
export const phoneLayoutProblems = () => {
  const width = document.documentElement.clientWidth;
  const problems: string[] = [];
  if (document.documentElement.scrollWidth > width) problems.push(`page scrolls sideways (${document.documentElement.scrollWidth}px)`);
  const describe = (el: Element) =>
    `${el.tagName.toLowerCase()}${el.id ? `#${el.id}` : ''}${el.className && typeof el.className === 'string' ? `.${el.className.trim().split(/\s+/).join('.')}` : ''}`;
  // Inside a frame of its own that scrolls (the rotation timeline), wide content is meant to be.
  const inScroller = (el: Element) => el.closest('.gantt-wrap, .timeline-wrap, pre');
  for (const el of document.querySelectorAll('table, input, select, textarea, button, .button')) {
    if (inScroller(el)) continue;
    const box = el.getBoundingClientRect();
    if (box.width === 0) continue;
    if (box.right > width + 0.5 || box.left < -0.5)
      problems.push(`${describe(el)} reaches past the screen (${Math.round(box.left)}–${Math.round(box.right)}px)`);
  }
  // A cell of links or buttons (Edit, Revoke) says what it does by itself.
  const isActionCell = (cell: Element) => cell.children.length > 0 && [...cell.children].every((child) => child.matches('a, form, button, .actions'));
  // A table of three columns or more reads as a list of cards, each value with its column's name.
  for (const table of document.querySelectorAll('table')) {
    if (inScroller(table) || table.getBoundingClientRect().width === 0) continue;
    const columns = Math.max(0, ...[...table.rows].map((r) => r.cells.length));
    if (columns < 3) continue;
    const row = table.tBodies[0]?.rows[0];
    if (!row) continue;
    if (getComputedStyle(row).display === 'table-row') problems.push(`${describe(table)} (${columns} columns) stays a table`);
    else if (
      [...row.cells].some(
        (cell) => cell.tagName === 'TD' && !cell.dataset.label && !cell.hasAttribute('aria-label') && cell.textContent!.trim() !== '' && !isActionCell(cell),
      )
    )
      problems.push(`${describe(table)} has values without their column's name`);
  }
  return [...new Set(problems)].slice(0, 8);
};

describe('every page on a 390 px phone', () => {
  for (const role of ROLES) {
    it(`nothing scrolls sideways for ${role.name}`, async () => {
      const found: string[] = [];
      const checked = await sweep.visitAs(role.email, { viewport: PHONE, isMobile: true, hasTouch: true }, async (page, path) => {
        for (const problem of await page.evaluate(phoneLayoutProblems)) found.push(`${path}: ${problem}`);
      });
      expect(checked).toBeGreaterThan(15);
      expect(found).toEqual([]);
    }, 600_000);
  }
});
