import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { departments, roles } from '../../db/schema';
import { canSeeInsights } from '../../src/feedback/insights';
import { badgeCounts, navFor, navGroupsFor } from '../../src/nav';
import { createTestApp, seedCompany, sessionAs, type TestContext } from '../support/app';

describe('navigation per role', () => {
  it('groups HR’s pages into five menus', () => {
    const groups = navGroupsFor({ role: 'hr', department: 'other' }, {});
    expect(groups.map((g) => g.label)).toEqual(['Schedule', 'People', 'Programs', 'Alignment', 'Administration']);
    expect(groups.flatMap((g) => g.items).length).toBe(navFor({ role: 'hr', department: 'other' }).length);
    expect(groups.find((g) => g.label === 'Administration')!.items.map((i) => i.label)).toEqual(['Audit log', 'Outbox', 'API tokens']);
  });

  it('gives an employee a short navigation without HR or manager pages', () => {
    const groups = navGroupsFor({ role: 'employee', department: 'sales' }, { invitations: 2 });
    expect(groups.map((g) => g.label)).toEqual(['Schedule', 'People', 'Programs', 'Alignment']);
    const labels = groups.flatMap((g) => g.items.map((i) => i.label));
    for (const hidden of ['People', 'Teams', 'Programs', 'Scorecard', 'Audit log', 'Approvals', 'Field insights']) expect(labels).not.toContain(hidden);
    expect(groups[0]!.items.find((i) => i.label === 'Invitations')!.badge).toBe('2');
    // Marketers also see field insights.
    expect(navGroupsFor({ role: 'employee', department: 'marketing' }, {}).flatMap((g) => g.items.map((i) => i.label))).toContain('Field insights');
  });

  it('offers field insights to exactly the people the insights page lets in', () => {
    for (const role of roles)
      for (const department of departments) {
        const person = { role, department };
        expect(
          navFor(person).some((e) => e.href === '/insights'),
          `${role} in ${department}`,
        ).toBe(canSeeInsights(person));
      }
  });
});

describe('navigation pages', () => {
  let t: TestContext;
  beforeAll(async () => {
    t = createTestApp();
    await seedCompany(t.db);
  });
  afterAll(() => t.close());

  it('renders disclosure menus that work without JavaScript and marks the current page', async () => {
    const html = await (await sessionAs(t, 'hr@example.com').get('/people')).text();
    const nav = html.slice(html.indexOf('<nav aria-label="Main"'), html.indexOf('</nav>'));
    expect(nav.match(/<details class="nav-menu/g)?.length).toBe(5);
    expect(nav).toContain('<details class="nav-menu current"><summary>People');
    expect(nav).toMatch(/<a href="\/people" aria-current="page">People<\/a>/);
    expect(nav).not.toMatch(/<a href="\/teams" aria-current/);
  });

  it('shows an employee single-entry groups as plain links', async () => {
    const html = await (await sessionAs(t, 'rep@example.com').get('/')).text();
    const nav = html.slice(html.indexOf('<nav aria-label="Main"'), html.indexOf('</nav>'));
    expect(nav).toContain('<li><a href="/rotations">Rotations</a></li>');
    expect(nav).toContain('<li><a href="/learning">My learning</a></li>');
    expect(nav).not.toContain('/audit');
  });

  it('reads every count of the navigation in one query', () => {
    const proto = Object.getPrototypeOf(t.db.$client.prepare('SELECT 1')) as {
      all: (...a: unknown[]) => unknown;
      get: (...a: unknown[]) => unknown;
      raw: (...a: unknown[]) => unknown;
    };
    const hr = t.db.$client.prepare("SELECT id FROM people WHERE email = 'hr@example.com'").get() as { id: number };
    badgeCounts(t.db, hr, t.clock.now());
    let statements = 0;
    const get = proto.get;
    const all = proto.all;
    proto.get = function (this: unknown, ...a: unknown[]) {
      statements++;
      return get.apply(this, a);
    };
    proto.all = function (this: unknown, ...a: unknown[]) {
      statements++;
      return all.apply(this, a);
    };
    try {
      const counts = badgeCounts(t.db, hr, t.clock.now());
      expect(Object.keys(counts).sort()).toEqual(['approvals', 'feedback', 'invitations', 'surveys']);
    } finally {
      proto.get = get;
      proto.all = all;
    }
    expect(statements).toBe(1);
  });
});
