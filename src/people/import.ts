import { sql } from 'drizzle-orm';
import { roles, departments, type Department, type Role } from '../../db/schema';
import { writeTransaction, type Db } from '../db';
import type { Clock } from '../lib/clock';
import { isValidTimeZoneName } from '../lib/validation';
import { recordAudit, type Actor } from '../audit/audit';
import { csvLine } from '../lib/csv';
import { DELIMITER_NAMES, detectDelimiter, parseCsv, type CsvDelimiter } from './csv';
import { afterPeopleWritten } from './listeners';
import { peopleOnCycle } from './chain';
import { companyDefaultTimeZone } from './settings';
import { sendWelcomeLinks } from '../auth/links';

export const IMPORT_COLUMNS = ['email', 'name', 'department', 'title', 'team', 'manager_email', 'hire_date', 'time_zone', 'role'] as const;
const REQUIRED_COLUMNS = ['email', 'name', 'department', 'hire_date'] as const;
const MAX_IMPORT_ROWS = 50_000;

export type ImportError = { line: number; column: string; message: string };
export type ImportReport = { created: number; updated: number; unchanged: number; errors: ImportError[]; separator?: string };

/** What each column holds, for the import page and the template; one place so they cannot disagree. */
const IMPORT_COLUMN_HELP: Record<(typeof IMPORT_COLUMNS)[number], { required: boolean; format: string; example: string }> = {
  email: { required: true, format: 'Work email address; people are matched by it', example: 'ada.lovelace@example.com' },
  name: { required: true, format: 'Full name', example: 'Ada Lovelace' },
  department: { required: true, format: 'sales, marketing or other', example: 'sales' },
  title: { required: false, format: 'Job title', example: 'Account Executive' },
  team: { required: false, format: 'Team name; a new name creates the team', example: 'Sales East' },
  manager_email: { required: false, format: 'Email of their manager, in the directory or in the same file', example: 'sam.manager@example.com' },
  hire_date: { required: true, format: 'Date as 2026-03-31 (31.03.2026 is read too)', example: '2026-03-31' },
  time_zone: {
    required: false,
    format: "IANA time zone; when empty a known person keeps theirs, a new one gets the company's default",
    example: 'Europe/Berlin',
  },
  role: { required: false, format: 'employee, manager or hr; employee when empty', example: 'employee' },
};

export type ImportColumn = { name: string; required: boolean; format: string; example: string };
export const IMPORT_COLUMN_LIST: readonly ImportColumn[] = IMPORT_COLUMNS.map((name) => ({ name, ...IMPORT_COLUMN_HELP[name] }));

/** The file to fill in: the header row and one example row to overwrite. */
export function importTemplateCsv(): string {
  return csvLine([...IMPORT_COLUMNS]) + csvLine(IMPORT_COLUMNS.map((c) => IMPORT_COLUMN_HELP[c].example));
}
/** Welcome mails to every person an import creates (HR may untick it); links start with baseUrl. */
type ImportOptions = { welcome?: { baseUrl: string } | null };

type Row = {
  line: number;
  email: string;
  name: string;
  department: Department;
  title: string;
  team: string;
  managerEmail: string;
  hireDate: string;
  timeZone: string;
  role: Role;
};

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
const DATE = /^\d{4}-\d{2}-\d{2}$/;
/** A day as YYYY-MM-DD; also reads DD.MM.YYYY, which spreadsheets in European locales turn dates into. */
const normalizeDate = (v: string) => {
  const dotted = /^(\d{1,2})\.(\d{1,2})\.(\d{4})$/.exec(v);
  return dotted ? `${dotted[3]}-${dotted[2]!.padStart(2, '0')}-${dotted[1]!.padStart(2, '0')}` : v;
};
const realDate = (v: string) => {
  if (!DATE.test(v)) return false;
  const [y, m, d] = v.split('-').map(Number);
  const t = new Date(Date.UTC(y, m - 1, d));
  return t.getUTCFullYear() === y && t.getUTCMonth() === m - 1 && t.getUTCDate() === d;
};

type Existing = {
  id: number;
  email: string;
  name: string;
  department: string;
  title: string;
  team_id: number | null;
  manager_id: number | null;
  hire_date: string;
  time_zone: string;
  role: string;
};

/** Checks a whole file first: every problem is reported by line and column, and nothing is written if there is one. */
function validateImport(db: Db, csvText: string): { rows: Row[]; errors: ImportError[]; delimiter: CsvDelimiter } {
  const errors: ImportError[] = [];
  const delimiter = detectDelimiter(csvText);
  const separated = delimiter === ',' ? '' : ` (read as separated by ${DELIMITER_NAMES[delimiter]})`;
  const parsed = parseCsv(csvText, delimiter);
  if (parsed.error) return { rows: [], delimiter, errors: [{ line: parsed.error.line, column: '', message: parsed.error.message + separated }] };
  const [header, ...body] = parsed.records;
  if (!header) return { rows: [], delimiter, errors: [{ line: 1, column: '', message: 'The file is empty; it needs a header row.' }] };
  const names = header.fields.map((f) => f.trim().toLowerCase());
  const index = new Map<string, number>();
  names.forEach((n, i) => {
    if (index.has(n)) errors.push({ line: header.line, column: n, message: `Column ${n} appears twice.` });
    else if (!(IMPORT_COLUMNS as readonly string[]).includes(n))
      errors.push({ line: header.line, column: n, message: `Unknown column ${n}; expected ${IMPORT_COLUMNS.join(', ')}${separated}.` });
    index.set(n, i);
  });
  for (const col of REQUIRED_COLUMNS) if (!index.has(col)) errors.push({ line: header.line, column: col, message: `The header has no ${col} column.` });
  if (errors.length) return { rows: [], delimiter, errors };
  if (body.length === 0) return { rows: [], delimiter, errors: [{ line: header.line, column: '', message: 'The file has a header but no people.' }] };
  if (body.length > MAX_IMPORT_ROWS)
    return { rows: [], delimiter, errors: [{ line: header.line, column: '', message: `At most ${MAX_IMPORT_ROWS} rows per file.` }] };

  const defaultZone = companyDefaultTimeZone(db);
  const existingEmails = new Set(db.all<{ e: string }>(sql`SELECT lower(email) AS e FROM people`).map((r) => r.e));
  const teamDepartments = new Map(db.all<{ n: string; d: string }>(sql`SELECT lower(name) AS n, department AS d FROM teams`).map((r) => [r.n, r.d]));
  const seen = new Map<string, number>();
  const rows: Row[] = [];
  const get = (fields: string[], col: string) => (index.has(col) ? (fields[index.get(col)!] ?? '').trim() : '');
  for (const record of body) {
    const { line, fields } = record;
    const rowErrors: ImportError[] = [];
    const fail = (column: string, message: string) => rowErrors.push({ line, column, message });
    if (fields.length > names.length) fail('', `The row has ${fields.length} fields; the header has ${names.length}${separated}.`);
    const email = get(fields, 'email').toLowerCase();
    const name = get(fields, 'name');
    const department = get(fields, 'department').toLowerCase();
    const hireDate = normalizeDate(get(fields, 'hire_date'));
    // Empty: a known person keeps their zone, a new one gets the company's default (never a silent UTC).
    const timeZone = get(fields, 'time_zone');
    const role = (get(fields, 'role') || 'employee').toLowerCase();
    const team = get(fields, 'team');
    const managerEmail = get(fields, 'manager_email').toLowerCase();
    if (!EMAIL.test(email) || email.length > 254) fail('email', `"${email}" is not a valid email address.`);
    else if (seen.has(email)) fail('email', `${email} appears again (first on line ${seen.get(email)}).`);
    else seen.set(email, line);
    if (!name) fail('name', 'The name is empty.');
    else if (name.length > 200) fail('name', 'The name is longer than 200 characters.');
    if (!(departments as readonly string[]).includes(department)) fail('department', `Unknown department "${department}"; use sales, marketing or other.`);
    if (!realDate(hireDate)) fail('hire_date', `"${hireDate}" is not a date like 2026-03-31.`);
    if (!timeZone) {
      if (!defaultZone && !existingEmails.has(email))
        fail('time_zone', 'The time zone is empty and the company has no default time zone yet: give one, or HR sets the default on /settings.');
    } else if (!isValidTimeZoneName(timeZone)) fail('time_zone', `"${timeZone}" is not an IANA time zone such as Europe/Berlin.`);
    if (!(roles as readonly string[]).includes(role)) fail('role', `Unknown role "${role}"; use hr, manager or employee.`);
    if (team.length > 120) fail('team', 'The team name is longer than 120 characters.');
    const teamDepartment = teamDepartments.get(team.toLowerCase());
    if (team && teamDepartment && (departments as readonly string[]).includes(department) && teamDepartment !== department && department !== 'other') {
      fail('team', `Team "${team}" belongs to ${teamDepartment}, not ${department}.`);
    }
    if (managerEmail && managerEmail === email) fail('manager_email', 'A person cannot be their own manager.');
    if (get(fields, 'title').length > 200) fail('title', 'The title is longer than 200 characters.');
    errors.push(...rowErrors);
    if (!rowErrors.length) {
      rows.push({
        line,
        email,
        name,
        department: department as Department,
        title: get(fields, 'title'),
        team,
        managerEmail,
        hireDate,
        timeZone,
        role: role as Role,
      });
      if (team && !teamDepartment && department !== 'other') teamDepartments.set(team.toLowerCase(), department);
    }
  }
  // Managers may be earlier or later in the same file, or already in the directory.
  for (const row of rows) {
    if (row.managerEmail && !seen.has(row.managerEmail) && !existingEmails.has(row.managerEmail)) {
      errors.push({ line: row.line, column: 'manager_email', message: `Unknown manager ${row.managerEmail}: not in the directory nor in this file.` });
    }
  }
  errors.sort((a, b) => a.line - b.line);
  return { rows, errors, delimiter };
}

/** Imports a CSV file: creates or updates people by email, creates teams as needed, all in one transaction. */
export function importPeople(db: Db, clock: Clock, actor: Actor, csvText: string, options: ImportOptions = {}): ImportReport {
  const { rows, errors, delimiter } = validateImport(db, csvText);
  // Named only when it is not the usual comma, so a report says how an unusual file was read.
  const separator = delimiter === ',' ? {} : { separator: DELIMITER_NAMES[delimiter] };
  if (errors.length) return { created: 0, updated: 0, unchanged: 0, errors, ...separator };
  const now = clock.now();
  try {
    return writeTransaction(db, (tx) => importRows(tx, clock, actor, rows, options, separator, now));
  } catch (err) {
    if (err instanceof ChainErrors) return { created: 0, updated: 0, unchanged: 0, errors: err.errors, ...separator };
    throw err;
  }
}

/** Rows whose managers and teams would make someone report to themselves: reported by line, and the transaction is rolled back. */
class ChainErrors extends Error {
  constructor(readonly errors: ImportError[]) {
    super('manager cycle');
  }
}

function importRows(
  tx: Db,
  clock: Clock,
  actor: Actor,
  rows: ReturnType<typeof validateImport>['rows'],
  options: ImportOptions,
  separator: { separator?: string },
  now: Date,
): ImportReport {
  const client = tx.$client;
  const existing = new Map(
    client
      .prepare('SELECT id, lower(email) AS email, name, department, title, team_id, manager_id, hire_date, time_zone, role FROM people')
      .all()
      .map((r) => [(r as Existing).email, r as Existing]),
  );
  const teamIds = new Map(
    client
      .prepare('SELECT id, lower(name) AS n FROM teams')
      .all()
      .map((r) => [(r as { n: string }).n, (r as { id: number }).id]),
  );
  const insertTeam = client.prepare('INSERT INTO teams (name, department) VALUES (?, ?)');
  const insertPerson = client.prepare(
    'INSERT INTO people (email, name, department, title, team_id, hire_date, time_zone, role, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)',
  );
  const updatePerson = client.prepare(
    'UPDATE people SET name = ?, department = ?, title = ?, team_id = ?, hire_date = ?, time_zone = ?, role = ?, updated_at = ? WHERE id = ?',
  );
  const setManager = client.prepare('UPDATE people SET manager_id = ? WHERE id = ?');
  const audit = (action: string, id: number, before: unknown, after: unknown) => recordAudit(tx, now, actor, action, 'person', id, before, after);

  const defaultZone = companyDefaultTimeZone(tx);
  const createdIds: number[] = [];
  const idByEmail = new Map<string, number>();
  const changed: number[] = [];
  let created = 0;
  let updated = 0;
  const unchangedEmails = new Set<string>();
  for (const row of rows) {
    let teamId: number | null = null;
    if (row.team) {
      const key = row.team.toLowerCase();
      teamId = teamIds.get(key) ?? null;
      if (teamId === null) {
        teamId = Number(insertTeam.run(row.team, row.department === 'other' ? 'other' : row.department).lastInsertRowid);
        teamIds.set(key, teamId);
        recordAudit(tx, now, actor, 'team.create', 'team', teamId, null, { name: row.team, department: row.department });
      }
    }
    const before = existing.get(row.email);
    row.timeZone ||= before?.time_zone ?? defaultZone!;
    const after = {
      email: row.email,
      name: row.name,
      department: row.department,
      title: row.title,
      teamId,
      hireDate: row.hireDate,
      timeZone: row.timeZone,
      role: row.role,
    };
    if (!before) {
      const id = Number(
        insertPerson.run(row.email, row.name, row.department, row.title, teamId, row.hireDate, row.timeZone, row.role, now.getTime()).lastInsertRowid,
      );
      idByEmail.set(row.email, id);
      audit('person.import_create', id, null, after);
      changed.push(id);
      createdIds.push(id);
      created++;
    } else {
      idByEmail.set(row.email, before.id);
      const same =
        before.name === row.name &&
        before.department === row.department &&
        before.title === row.title &&
        before.team_id === teamId &&
        before.hire_date === row.hireDate &&
        before.time_zone === row.timeZone &&
        before.role === row.role;
      if (same) unchangedEmails.add(row.email);
      else {
        updatePerson.run(row.name, row.department, row.title, teamId, row.hireDate, row.timeZone, row.role, now.getTime(), before.id);
        audit(
          'person.import_update',
          before.id,
          {
            name: before.name,
            department: before.department,
            title: before.title,
            teamId: before.team_id,
            hireDate: before.hire_date,
            timeZone: before.time_zone,
            role: before.role,
          },
          after,
        );
        changed.push(before.id);
        updated++;
      }
    }
  }
  for (const row of rows) {
    const id = idByEmail.get(row.email)!;
    const managerId = row.managerEmail ? (idByEmail.get(row.managerEmail) ?? existing.get(row.managerEmail)?.id ?? null) : null;
    if (existing.get(row.email)?.manager_id !== managerId) {
      setManager.run(managerId, id);
      if (unchangedEmails.delete(row.email)) {
        updated++;
        changed.push(id);
      }
    }
  }
  // The chain (kept by triggers) now holds the file's managers and teams: someone above themselves refuses the file.
  const lineOf = new Map(rows.map((row) => [idByEmail.get(row.email)!, row.line]));
  const looped = peopleOnCycle(tx, [...lineOf.keys()]);
  if (looped.length) {
    throw new ChainErrors(
      looped
        .filter((id) => lineOf.has(id))
        .map((id) => ({
          line: lineOf.get(id)!,
          column: 'manager_email',
          message: 'This manager reports to this person, through their manager or team: that would make a cycle.',
        }))
        .sort((a, b) => a.line - b.line),
    );
  }
  const unchanged = unchangedEmails.size;
  afterPeopleWritten(tx, clock, changed);
  if (options.welcome) sendWelcomeLinks(tx, clock, actor, createdIds, options.welcome.baseUrl);
  return { created, updated, unchanged, errors: [], ...separator };
}
