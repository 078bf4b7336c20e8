// Quick in-process timing of one uncached render: [ROLE=manager] npx tsx bench/single.mts [db] [path...]
import { createApp } from '../src/app';
import { openDatabase } from '../src/db';
import { systemClock } from '../src/lib/clock';
import { viewerCookies } from './context';

const dbPath = process.argv[2] ?? 'data/scale.db';
const paths = process.argv.slice(3).length ? process.argv.slice(3) : ['/', '/open-seats', '/invitations'];
const db = openDatabase(dbPath);
const app = createApp({ db, clock: systemClock, mailer: null });
const cookies = viewerCookies(db);
for (const path of paths) {
  for (let round = 0; round < 2; round++) {
    const times: number[] = [];
    const cpu: number[] = [];
    let bytes = 0;
    for (const cookie of cookies) {
      const t0 = performance.now();
      const c0 = process.cpuUsage();
      const res = await app.request(path, { headers: { host: 'localhost', cookie, accept: 'text/html' } });
      const body = await res.arrayBuffer();
      times.push(performance.now() - t0);
      const c1 = process.cpuUsage(c0);
      cpu.push((c1.user + c1.system) / 1000);
      bytes = body.byteLength;
      if (res.status !== 200) console.log(path, res.status);
    }
    times.sort((a, b) => a - b);
    cpu.sort((a, b) => a - b);
    console.log(
      `${path} round ${round}: median ${times[times.length >> 1].toFixed(2)} ms (cpu ${cpu[cpu.length >> 1].toFixed(2)})  min ${times[0].toFixed(2)}  max ${times[times.length - 1].toFixed(2)}  ${bytes} B`,
    );
  }
}
