// HR's audit log: who changed what, when, before and after. A page has a fixed number of entries, newest first, and goes
// on by "Older"/"Newer" links that keep the filters; each entry shows the first characters of long values and links to
// its own page, which shows the whole value in parts. However large the log or an entry, a page stays small.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { AUDIT_HEAD, AUDIT_PAGE_ROWS, AUDIT_PART, AUDIT_SCAN_ROWS, auditEntityTypes, recordAudit } from '../../src/audit/audit';
import { writeTransaction } from '../../src/db';
import { importPeople } from '../../src/people/import';
import { createTestApp, seedCompany, sessionAs, type SeededCompany, type TestClient, type TestContext } from '../support/app';

let t: TestContext;
let company: SeededCompany;
let hr: TestClient;
beforeEach(async () => {
  t = createTestApp();
  company = await seedCompany(t.db);
  hr = sessionAs(t, 'hr@example.com');
});
afterEach(() => t.close());

const START = Date.parse('2026-02-01T00:00:00Z');
const MINUTE = 60_000;

/** `n` entries a minute apart from START, each about the widget of its number. */
function record(n: number, entry: (i: number) => { action?: string; entityType?: string; actor?: number | null } = () => ({})) {
  writeTransaction(t.db, (tx) => {
    for (let i = 0; i < n; i++) {
      const e = entry(i);
      recordAudit(
        tx,
        new Date(START + i * MINUTE),
        { personId: e.actor ?? null },
        e.action ?? 'widget.update',
        e.entityType ?? 'widget',
        i,
        { n: i - 1 },
        { n: i },
      );
    }
  });
}

/** The widget numbers of a page's rows, top to bottom, and its paging links. */
async function page(path: string) {
  const res = await hr.get(path);
  const html = await res.text();
  const widgets = [...html.matchAll(/<td data-label="What">widget (\d+)<\/td>/g)].map((m) => Number(m[1]));
  const link = (rel: string) => html.match(new RegExp(`<a href="([^"]+)" rel="${rel}"`))?.[1]?.replaceAll('&amp;', '&');
  return { status: res.status, html, bytes: Buffer.byteLength(html), widgets, older: link('next'), newer: link('prev') };
}

const range = (from: number, to: number) => Array.from({ length: from - to + 1 }, (_, i) => from - i);

describe('paging the audit log', () => {
  it('shows a fixed number of entries newest first, and Older and Newer walk the log without gaps or repeats', async () => {
    record(60);
    const first = await page('/audit?entityType=widget');
    expect(first.status).toBe(200);
    expect(first.widgets).toEqual(range(59, 35));
    expect(first.newer).toBeUndefined();
    // The filters ride along in the links.
    expect(first.older).toMatch(/^\/audit\?entityType=widget&before=\d+-\d+$/);

    const second = await page(first.older!);
    expect(second.widgets).toEqual(range(34, 10));
    // Entries written meanwhile do not shift the pages.
    writeTransaction(t.db, (tx) => recordAudit(tx, new Date(START + 1000 * MINUTE), { personId: null }, 'widget.update', 'widget', 1000, null, null));
    const third = await page(second.older!);
    expect(third.widgets).toEqual(range(9, 0));
    expect(third.older).toBeUndefined();

    const back = await page(third.newer!);
    expect(back.widgets).toEqual(range(34, 10));
    const forward = await page(back.newer!);
    expect(forward.widgets).toEqual(range(59, 35));
    // Nothing newer than a page's worth: the newest page itself, full, the entry written meanwhile on top.
    const top = await page(forward.newer!);
    expect(top.widgets).toEqual([1000, ...range(59, 36)]);
    expect(top.newer).toBeUndefined();
  });

  it('pages a filter of an index of its own and a combination of filters alike', async () => {
    record(80, (i) => ({ action: i % 2 ? 'widget.odd' : 'widget.even', actor: i % 4 < 2 ? company.people['hr@example.com']! : null }));
    const odd = await page('/audit?action=widget.odd');
    expect(odd.widgets).toEqual(range(79, 31).filter((i) => i % 2));
    const oddByHr = await page(`/audit?action=widget.odd&actor=${company.people['hr@example.com']}`);
    expect(oddByHr.widgets).toEqual(range(77, 0).filter((i) => i % 4 === 1));
    expect(oddByHr.older).toBeUndefined();
    const lastDay = await page('/audit?entityType=widget&from=2026-02-01&to=2026-02-01');
    expect(lastDay.widgets).toHaveLength(AUDIT_PAGE_ROWS);
    expect(lastDay.older).toContain('from=2026-02-01&to=2026-02-01');
  });

  it('reads at most a bounded stretch of the log for a rare combination of filters, and Older searches on', async () => {
    // The newest entries are all widget.odd but about widgets; the one odd gadget lies further back than a page reads.
    const rare = 7;
    const recent = 500;
    record(AUDIT_SCAN_ROWS + recent, (i) =>
      i === rare ? { action: 'widget.odd', entityType: 'gadget' } : i >= recent ? { action: 'widget.odd' } : { entityType: 'gadget' },
    );
    const first = await page('/audit?entityType=gadget&action=widget.odd');
    expect(first.html).toContain('“Older” searches on');
    expect(first.html).not.toContain('gadget 7');
    const next = await page(first.older!);
    expect(next.html).toContain('gadget 7');
    expect(next.older).toBeUndefined();
  });

  it('refuses a malformed place or filter with a 400, and ignores a page size: the page has a fixed one', async () => {
    for (const path of [
      '/audit?before=abc',
      '/audit?before=1-2&after=3-4',
      '/audit?actor=abc',
      '/audit?from=2026-13-01',
      `/audit?entityType=${'x'.repeat(61)}`,
    ]) {
      expect((await hr.get(path)).status, path).toBe(400);
    }
    record(40);
    const huge = await page('/audit?entityType=widget&pageSize=1000000');
    expect(huge.status).toBe(200);
    expect(huge.widgets).toHaveLength(AUDIT_PAGE_ROWS);
  });

  it('offers the kinds of thing the log names', () => {
    record(3, (i) => ({ entityType: ['widget', 'gadget', 'widget'][i] }));
    const distinct = t.db.$client.prepare('SELECT DISTINCT entity_type FROM audit_log ORDER BY 1').pluck().all();
    expect(auditEntityTypes(t.db)).toEqual(distinct);
    expect(distinct).toContain('gadget');
  });
});

describe('a huge entry', () => {
  const ids = Array.from({ length: 60_000 }, (_, i) => 100_000 + i);
  const hugeAfter = { source: 'rule', personIds: ids };
  const hugeText = JSON.stringify(hugeAfter);

  it('shows its first characters on the list and the whole value in parts on its own page, every page small', async () => {
    record(30);
    writeTransaction(t.db, (tx) => recordAudit(tx, new Date(START + 100 * MINUTE), { personId: null }, 'enrollment.create', 'program', 1, null, hugeAfter));
    const id = t.db.$client.prepare("SELECT id FROM audit_log WHERE action = 'enrollment.create'").pluck().get() as number;

    const list = await page('/audit');
    expect(list.bytes).toBeLessThan(60_000);
    expect(list.html).toContain(`<a href="/audit/${id}">All ${hugeText.length.toLocaleString('en-US')} characters</a>`);
    expect(list.html).toContain(`${hugeText.slice(0, AUDIT_HEAD).replaceAll('"', '&quot;')}…`);

    const parts = Math.ceil(hugeText.length / AUDIT_PART);
    expect(parts).toBeGreaterThan(3);
    let whole = '';
    for (let part = 1; part <= parts; part++) {
      const res = await hr.get(`/audit/${id}${part > 1 ? `?afterPart=${part}` : ''}`);
      expect(res.status).toBe(200);
      const html = await res.text();
      expect(Buffer.byteLength(html)).toBeLessThan(150_000);
      expect(html).toContain(`(part ${part} of ${parts})`);
      const shown = html.match(/<section[^>]*aria-labelledby="after-heading"[\s\S]*?<pre class="json" tabindex="0">([\s\S]*?)<\/pre>/)![1]!;
      whole += shown.replaceAll('&quot;', '"');
    }
    expect(whole).toBe(hugeText);
    expect((await hr.get(`/audit/${id}?afterPart=${parts + 1}`)).status).toBe(404);
    expect((await hr.get('/audit/99999999')).status).toBe(404);
  });

  it('a short value shows whole, laid out, on the list and on its page', async () => {
    record(1);
    const id = t.db.$client.prepare('SELECT max(id) FROM audit_log').pluck().get() as number;
    const list = await page('/audit');
    expect(list.html).toContain('{\n &quot;n&quot;: 0\n}');
    expect(list.html).not.toContain(`href="/audit/${id}">All`);
    const entry = await (await hr.get(`/audit/${id}`)).text();
    expect(entry).toContain('{\n &quot;n&quot;: -1\n}');
    expect(entry).toContain('widget.update');
  });

  it('only HR sees the log and its entries', async () => {
    record(1);
    const id = t.db.$client.prepare('SELECT max(id) FROM audit_log').pluck().get() as number;
    expect((await sessionAs(t, 'rep@example.com').get('/audit')).status).toBe(403);
    expect((await sessionAs(t, 'sales.manager@example.com').get(`/audit/${id}`)).status).toBe(403);
  });
});

describe('the kept heads and lengths', () => {
  const kept = () =>
    t.db.$client.prepare('SELECT id, before_chars, after_chars, before_head, after_head FROM audit_log ORDER BY id').all() as Record<string, unknown>[];
  const recounted = () =>
    t.db.$client
      .prepare(
        `SELECT id, length(before) AS before_chars, length(after) AS after_chars, substr(before, 1, ${AUDIT_HEAD}) AS before_head,
                substr(after, 1, ${AUDIT_HEAD}) AS after_head FROM audit_log ORDER BY id`,
      )
      .all();

  it('equal the values after the app records, an import records, and a script inserts and rewrites values', () => {
    expect(kept()).toEqual(recounted());
    writeTransaction(t.db, (tx) => recordAudit(tx, new Date(START), { personId: null }, 'widget.update', 'widget', 1, { text: 'é'.repeat(500) }, null));
    expect(kept()).toEqual(recounted());
    const csv = [
      'email,name,department,title,team,manager_email,hire_date,time_zone,role',
      'new.rep@example.com,Nick Rep,sales,AE,Sales East,,2026-02-20,America/Chicago,employee',
    ].join('\n');
    expect(importPeople(t.db, t.clock, { personId: company.people['hr@example.com']! }, csv).errors).toEqual([]);
    expect(kept()).toEqual(recounted());
    // A script's own insert, without the heads.
    t.db.$client
      .prepare("INSERT INTO audit_log (at, action, entity_type, entity_id, before, after) VALUES (?, 'widget.update', 'widget', '2', ?, NULL)")
      .run(START, JSON.stringify({ text: 'x'.repeat(AUDIT_HEAD * 2) }));
    expect(kept()).toEqual(recounted());
    t.db.$client.prepare("UPDATE audit_log SET after = json_object('name', 'x' || id) WHERE after IS NOT NULL").run();
    t.db.$client.prepare('UPDATE audit_log SET before = NULL').run();
    expect(kept()).toEqual(recounted());
    t.db.$client.prepare("UPDATE audit_log SET after_head = 'forged'").run();
    expect(kept()).toEqual(recounted());
  });
});
