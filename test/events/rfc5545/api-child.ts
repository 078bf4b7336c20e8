/**
 * Run with TZ set (see ../rfc5545.test.ts): creates every example through POST /api/v1/events
 * and prints, as JSON, the instants GET /api/v1/events/:id/occurrences gives in [start, until).
 */
import { createTestApp, seedCompany, sessionAs } from '../../support/app';
import { RFC_EXAMPLES } from './examples';
import { windowEnd } from './window';

const DAY_MS = 86_400_000;

async function main() {
  const t = createTestApp({ now: '2026-03-02T12:00:00Z' });
  try {
    await seedCompany(t.db);
    const rep = sessionAs(t, 'rep@example.com');
    const out: Record<string, string[] | { status: number; body: unknown }> = {
      processOffsetJanuary: [String(new Date('2026-01-15T12:00:00Z').getTimezoneOffset())],
    };
    for (const example of RFC_EXAMPLES) {
      const timeZone = example.timeZone ?? 'America/New_York';
      const [date, time] = example.start.split('T');
      const endTime = `${String(Number(time!.slice(0, 2)) + 2).padStart(2, '0')}${time!.slice(2)}`;
      const res = await rep.json('POST', '/api/v1/events', {
        kind: 'sales_call',
        title: example.name.slice(0, 200),
        start: { dateTime: example.start, timeZone },
        end: { dateTime: `${date}T${endTime}`, timeZone },
        seats: 1,
        account: 'RFC 5545',
        recurrence: [`RRULE:${example.rrule}`],
      });
      if (res.status !== 201) {
        out[example.name] = { status: res.status, body: await res.json() };
        continue;
      }
      const event = (await res.json()) as { id: number; start: { dateTime: string } };
      const until = new Date(windowEnd(example)).getTime();
      const starts: string[] = [];
      // The API answers at most 366 days at once; page through the whole comparison window.
      for (let from = new Date(`${example.start}:00Z`).getTime() - 2 * DAY_MS; from < until; from += 366 * DAY_MS) {
        const to = Math.min(from + 366 * DAY_MS, until);
        const page = await rep.get(`/api/v1/events/${event.id}/occurrences?from=${new Date(from).toISOString()}&to=${new Date(to).toISOString()}`);
        const body = (await page.json()) as { data: { start: string }[] };
        for (const occurrence of body.data) {
          const instant = new Date(occurrence.start);
          // Overlap windows can return an occurrence twice at a page edge; keep starts inside [start, until).
          if (instant.getTime() < until) starts.push(instant.toISOString().replace('.000Z', 'Z'));
        }
      }
      out[example.name] = [...new Set(starts)].sort();
    }
    process.stdout.write(JSON.stringify(out));
  } finally {
    t.close();
  }
}

await main();
