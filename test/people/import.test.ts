import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { count, eq, sql } from 'drizzle-orm';
import { auditLog, people, teams } from '../../db/schema';
import { parseCsv, decodeCsvBytes, detectDelimiter } from '../../src/people/csv';
import { csvField } from '../../src/lib/csv';
import { IMPORT_COLUMNS, importPeople, importTemplateCsv } from '../../src/people/import';
import { createTestApp, seedCompany, sessionAs, type TestContext } from '../support/app';

let t: TestContext;
beforeEach(async () => {
  t = createTestApp();
  await seedCompany(t.db);
});
afterEach(() => t.close());

const HEADER = 'email,name,department,title,team,manager_email,hire_date,time_zone,role';
const peopleCount = () => t.db.select({ n: count() }).from(people).get()!.n;
const actor = { personId: 1 };

describe('parseCsv', () => {
  it('handles quotes, embedded commas, quotes and line breaks, CRLF and a BOM', () => {
    const { records } = parseCsv('\uFEFFa,b\r\n"x, y","he said ""hi"""\r\n"multi\nline",z\n\n');
    expect(records).toEqual([
      { line: 1, fields: ['a', 'b'] },
      { line: 2, fields: ['x, y', 'he said "hi"'] },
      { line: 3, fields: ['multi\nline', 'z'] },
    ]);
  });

  it('reports an unclosed quote with its line', () => {
    expect(parseCsv('a,b\n"open,x\n').error).toEqual({ line: 2, message: 'A quoted field is not closed.' });
  });

  it('detects semicolon- and tab-separated files from the header, ignoring quoted separators', () => {
    expect(detectDelimiter('email;name;department\na;b;c')).toBe(';');
    expect(detectDelimiter('email\tname\n')).toBe('\t');
    expect(detectDelimiter('"a;b;c",d\n')).toBe(',');
    expect(detectDelimiter('a,b;c\n')).toBe(',');
    expect(parseCsv('a;"b;c"\n1;2', ';').records).toEqual([
      { line: 1, fields: ['a', 'b;c'] },
      { line: 2, fields: ['1', '2'] },
    ]);
  });

  it('reads Windows-1252 bytes when the file is not UTF-8', () => {
    expect(decodeCsvBytes(new Uint8Array([0x4a, 0xfc, 0x72, 0x67, 0x65, 0x6e]))).toBe('Jürgen');
    expect(decodeCsvBytes(new TextEncoder().encode('Jürgen'))).toBe('Jürgen');
  });

  it('defuses spreadsheet formulas on output', () => {
    expect(csvField('=HYPERLINK("x")')).toBe(`"'=HYPERLINK(""x"")"`);
  });
});

describe('importPeople', () => {
  it('creates and updates by email (case-insensitive), creates teams and resolves managers in the same file', () => {
    const csv = [
      HEADER,
      'new.lead@example.com,Nora Lead,sales,Team lead,Sales North,,2025-05-01,America/Chicago,manager',
      'new.rep@example.com,Nick Rep,sales,AE,Sales North,NEW.LEAD@example.com,2026-02-20,America/Chicago,employee',
      'REP@example.com,Rita Rep,sales,Senior AE,Sales East,sales.manager@example.com,2024-01-15,America/New_York,employee',
    ].join('\n');
    const report = importPeople(t.db, t.clock, actor, csv);
    expect(report).toEqual({ created: 2, updated: 1, unchanged: 0, errors: [] });
    const nick = t.db.select().from(people).where(eq(people.email, 'new.rep@example.com')).get()!;
    const nora = t.db.select().from(people).where(eq(people.email, 'new.lead@example.com')).get()!;
    expect(nick.managerId).toBe(nora.id);
    const north = t.db.select().from(teams).where(eq(teams.name, 'Sales North')).get()!;
    expect(north.department).toBe('sales');
    expect(nick.teamId).toBe(north.id);
    expect(t.db.select().from(people).where(eq(people.email, 'rep@example.com')).get()!.title).toBe('Senior AE');
    // Importing the same file again changes nothing.
    expect(importPeople(t.db, t.clock, actor, csv)).toEqual({ created: 0, updated: 0, unchanged: 3, errors: [] });
  });

  it('reports every bad row by line and column and writes nothing', () => {
    const before = peopleCount();
    const auditBefore = t.db.select({ n: count() }).from(auditLog).get()!.n;
    const csv = [
      HEADER,
      'ok@example.com,Okay Person,sales,,Sales East,,2025-01-01,UTC,employee',
      'bad.dept@example.com,Bad Dept,finance,,,,2025-01-01,UTC,employee',
      'bad.date@example.com,Bad Date,sales,,,,2025-02-30,UTC,employee',
      'bad.zone@example.com,Bad Zone,sales,,,,2025-01-01,Mars/Olympus,employee',
      'ok@example.com,Twice,sales,,,,2025-01-01,UTC,employee',
      'orphan@example.com,Orphan,sales,,,ghost@example.com,2025-01-01,UTC,employee',
    ].join('\n');
    const report = importPeople(t.db, t.clock, actor, csv);
    expect(report.created).toBe(0);
    expect(report.errors).toEqual([
      { line: 3, column: 'department', message: expect.stringContaining('finance') },
      { line: 4, column: 'hire_date', message: expect.stringContaining('2025-02-30') },
      { line: 5, column: 'time_zone', message: expect.stringContaining('Mars/Olympus') },
      { line: 6, column: 'email', message: expect.stringContaining('first on line 2') },
      { line: 7, column: 'manager_email', message: expect.stringContaining('ghost@example.com') },
    ]);
    expect(peopleCount()).toBe(before);
    expect(t.db.select({ n: count() }).from(auditLog).get()!.n).toBe(auditBefore);
    expect(t.db.get<{ n: number }>(sql`SELECT count(*) AS n FROM teams WHERE name = 'Sales North'`)!.n).toBe(0);
  });

  it('reads a file Excel saved with semicolons and European dates', () => {
    const csv = [
      HEADER.replaceAll(',', ';'),
      'jurgen@example.com;"Jürgen Müller";sales;"AE; EMEA";Sales East;sales.manager@example.com;01.04.2026;Europe/Berlin;employee',
    ].join('\r\n');
    expect(importPeople(t.db, t.clock, actor, csv)).toEqual({ created: 1, updated: 0, unchanged: 0, errors: [], separator: 'semicolons' });
    const jurgen = t.db.select().from(people).where(eq(people.email, 'jurgen@example.com')).get()!;
    expect(jurgen).toMatchObject({ name: 'Jürgen Müller', title: 'AE; EMEA', hireDate: '2026-04-01', timeZone: 'Europe/Berlin' });
  });

  it('names the separator in errors of a semicolon file', () => {
    const before = peopleCount();
    const report = importPeople(t.db, t.clock, actor, `${HEADER.replaceAll(',', ';')}\nx@example.com;X;sales;;;;2026-01-01;UTC;employee;extra\n`);
    expect(report.separator).toBe('semicolons');
    expect(report.errors[0]!.message).toContain('read as separated by semicolons');
    expect(peopleCount()).toBe(before);
  });

  it('offers a template whose header is exactly the import columns', () => {
    const [header] = importTemplateCsv().split('\r\n');
    expect(header).toBe(IMPORT_COLUMNS.join(','));
  });

  it('refuses a file without the required columns', () => {
    const report = importPeople(t.db, t.clock, actor, 'email,name\na@example.com,A');
    expect(report.errors.map((e) => e.column)).toEqual(['department', 'hire_date']);
  });
});

describe('import over HTTP', () => {
  it('HR uploads a file through the form; a bad file answers 400 with the line report', async () => {
    const hr = sessionAs(t, 'hr@example.com');
    const good = new FormData();
    good.set('_csrf', hr.csrfToken!);
    good.set(
      'file',
      new File([`${HEADER}\nzed@example.com,Zed Zed,marketing,,Product Marketing,,2025-01-01,UTC,employee\n`], 'people.csv', { type: 'text/csv' }),
    );
    const ok = await hr.request('/people/import', { method: 'POST', body: good });
    expect(ok.status).toBe(200);
    expect(await ok.text()).toContain('1 created');

    const bad = new FormData();
    bad.set('_csrf', hr.csrfToken!);
    bad.set('file', new File([`${HEADER}\nx@example.com,X,nope,,,,2025-01-01,UTC,employee\n`], 'people.csv', { type: 'text/csv' }));
    const res = await hr.request('/people/import', { method: 'POST', body: bad });
    expect(res.status).toBe(400);
    const page = await res.text();
    expect(page).toContain('Nothing was imported');
    expect(page).toMatch(/<td>2<\/td><td>department<\/td>/);
  });

  it('the API import answers the same report as JSON', async () => {
    const hr = sessionAs(t, 'hr@example.com');
    const res = await hr.request('/api/v1/people/import', {
      method: 'POST',
      body: `${HEADER}\nq@example.com,Q,sales,,,,2025-13-01,UTC,employee\n`,
      headers: { 'content-type': 'text/csv' },
    });
    expect(res.status).toBe(400);
    const body = await res.json();
    expect(body).toMatchObject({ created: 0, updated: 0, errors: [{ line: 2, column: 'hire_date' }], error: { code: 'invalid' } });
    const ok = await hr.request('/api/v1/people/import', {
      method: 'POST',
      body: `${HEADER}\nq@example.com,Q,sales,,,,2025-12-01,UTC,employee\n`,
      headers: { 'content-type': 'text/csv' },
    });
    expect(await ok.json()).toEqual({ created: 1, updated: 0, unchanged: 0, errors: [] });
  });

  it('HR downloads the template from the import page; a semicolon upload works through the form', async () => {
    const hr = sessionAs(t, 'hr@example.com');
    const page = await (await hr.get('/people/import')).text();
    expect(page).toContain('href="/people/import/template.csv"');
    expect(page).toContain('semicolons');
    const template = await hr.get('/people/import/template.csv');
    expect(template.status).toBe(200);
    expect(template.headers.get('content-type')).toContain('text/csv');
    expect(template.headers.get('content-disposition')).toContain('attachment');
    expect((await template.text()).startsWith(IMPORT_COLUMNS.join(','))).toBe(true);
    expect((await sessionAs(t, 'rep@example.com').get('/people/import/template.csv')).status).toBe(403);

    const form = new FormData();
    form.set('_csrf', hr.csrfToken!);
    form.set(
      'file',
      new File([`${HEADER.replaceAll(',', ';')}\nsemi@example.com;Semi Colon;marketing;;;;2025-01-01;UTC;employee\n`], 'people.csv', { type: 'text/csv' }),
    );
    const res = await hr.request('/people/import', { method: 'POST', body: form });
    expect(res.status).toBe(200);
    expect(await res.text()).toContain('read as separated by semicolons');
  });

  it('managers and employees may not import', async () => {
    for (const email of ['sales.manager@example.com', 'rep@example.com']) {
      const res = await sessionAs(t, email).request('/api/v1/people/import', { method: 'POST', body: `${HEADER}\n`, headers: { 'content-type': 'text/csv' } });
      expect(res.status).toBe(403);
    }
  });
});
