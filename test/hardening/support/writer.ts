/*
 * A writer process for the backup test: creates people through the domain (one transaction per
 * person, with its audit entry) as fast as it can, and prints each email only after its commit —
 * a printed email is an acknowledged write.  Usage: tsx writer.ts <database> <prefix>
 */
import { openDatabase } from '../../../src/db';
import { systemClock } from '../../../src/lib/clock';
import { createPerson } from '../../../src/people/people';

const [path, prefix] = process.argv.slice(2);
const db = openDatabase(path);
let n = 0;
function writeSome() {
  for (let i = 0; i < 20; i++) {
    n++;
    const email = `${prefix}${n}@example.com`;
    createPerson(
      db,
      systemClock,
      { personId: null },
      { email, name: `Writer ${n}`, department: n % 2 ? 'sales' : 'marketing', title: '', hireDate: '2026-01-05', timeZone: 'UTC', role: 'employee' },
    );
    // Pipes are written synchronously on Linux: once this returns, the parent can read the line.
    process.stdout.write(`${email}\n`);
  }
  setImmediate(writeSome);
}
writeSome();
