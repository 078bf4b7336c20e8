/** A local HTTP server on 127.0.0.1 serving fixture calendars the way Google and Outlook do, with routes for each failure. */
import { createServer, type IncomingHttpHeaders, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { readFileSync } from 'node:fs';

const fixtureCalendar = (name: string) => readFileSync(new URL(`./fixtures/${name}`, import.meta.url), 'utf8');

export type CalendarServer = {
  url: (path: string) => string;
  /** Requests seen, with their headers, in order. */
  requests: { path: string; headers: IncomingHttpHeaders }[];
  /** Replace or add a route. */
  route: (path: string, handler: (res: ServerResponse, headers: IncomingHttpHeaders) => void) => void;
  close: () => Promise<void>;
};

export async function startCalendarServer(): Promise<CalendarServer> {
  const routes = new Map<string, (res: ServerResponse, headers: IncomingHttpHeaders) => void>();
  const requests: CalendarServer['requests'] = [];
  const etag = '"v1"';
  routes.set('/google.ics', (res, headers) => {
    if (headers['if-none-match'] === etag) return void res.writeHead(304, { ETag: etag }).end();
    res
      .writeHead(200, { 'Content-Type': 'text/calendar; charset=UTF-8', ETag: etag, 'Last-Modified': 'Sat, 05 Dec 2026 10:00:00 GMT' })
      .end(fixtureCalendar('google.ics'));
  });
  routes.set('/outlook.ics', (res) => res.writeHead(200, { 'Content-Type': 'text/calendar; charset=utf-8' }).end(fixtureCalendar('outlook.ics')));
  routes.set('/missing.ics', (res) => res.writeHead(404, { 'Content-Type': 'text/html' }).end('<h1>Not found</h1>'));
  routes.set('/login-page', (res) => res.writeHead(200, { 'Content-Type': 'text/html' }).end('<!doctype html><title>Sign in</title>'));
  routes.set('/huge.ics', (res) => {
    // No Content-Length: the limit has to be enforced while reading.
    res.writeHead(200, { 'Content-Type': 'text/calendar' });
    const chunk = Buffer.alloc(64 * 1024, 'X');
    let sent = 0;
    const push = () => {
      while (sent < 8 * 1024 * 1024) {
        sent += chunk.length;
        if (!res.write(chunk)) return void res.once('drain', push);
      }
      res.end();
    };
    res.on('error', () => {});
    push();
  });
  routes.set('/huge-declared.ics', (res) => res.writeHead(200, { 'Content-Type': 'text/calendar', 'Content-Length': String(6 * 1024 * 1024) }).end());
  routes.set('/slow.ics', (res) => {
    res.writeHead(200, { 'Content-Type': 'text/calendar' });
    res.write('BEGIN:VCALENDAR\r\n');
    // Never finishes within the test's timeout.
    const timer = setTimeout(() => res.end('END:VCALENDAR\r\n'), 30_000);
    res.on('close', () => clearTimeout(timer));
  });
  routes.set('/to-metadata', (res) => res.writeHead(302, { Location: 'http://169.254.169.254/latest/meta-data/' }).end());
  routes.set('/to-ipv6-loopback', (res) => res.writeHead(301, { Location: 'http://[::1]/calendar.ics' }).end());
  routes.set('/to-ftp', (res) => res.writeHead(302, { Location: 'ftp://127.0.0.1/calendar.ics' }).end());
  routes.set('/to-google', (res) => res.writeHead(307, { Location: '/google.ics' }).end());
  routes.set('/loop', (res) => res.writeHead(302, { Location: '/loop' }).end());

  const server = createServer((req, res) => {
    const path = new URL(req.url ?? '/', 'http://x').pathname;
    requests.push({ path, headers: req.headers });
    const handler = routes.get(path);
    if (!handler) return void res.writeHead(404).end();
    handler(res, req.headers);
  });
  const port = await new Promise<number>((resolve) => server.listen(0, '127.0.0.1', () => resolve((server.address() as AddressInfo).port)));
  return {
    url: (path) => `http://127.0.0.1:${port}${path}`,
    requests,
    route: (path, handler) => void routes.set(path, handler),
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
