/**
 * Reads a calendar address the way a careful client does: conditional GET, at most 5 MB and 10 s
 * in all, a few redirects each checked again, only http and https, and never to a private
 * address (src/busy/address-guard.ts).
 */
import http, { type IncomingMessage } from 'node:http';
import https from 'node:https';
import type { BusyCalendarError } from '../../db/schema';
import { bareHost, forbiddenLiteralHost, ForbiddenAddressError, guardedLookup, type PrivateAllowance } from './address-guard';

const FETCH_LIMITS = { timeoutMs: 10_000, maxBytes: 5 * 1024 * 1024, maxRedirects: 3 };

export type FetchOptions = {
  etag?: string | null;
  lastModified?: string | null;
  /** Loopback and private addresses allowed (all, or these IPs): only for tests against a local server (ALLOW_PRIVATE_CALENDAR_HOSTS). */
  allowPrivateHosts?: PrivateAllowance;
  timeoutMs?: number;
  maxBytes?: number;
  maxRedirects?: number;
};

type FetchResult = { status: 'not_modified' } | { status: 'ok'; body: string; etag: string | null; lastModified: string | null };

export class CalendarFetchError extends Error {
  constructor(
    readonly code: BusyCalendarError,
    message: string,
  ) {
    super(message);
  }
}

const NETWORK_CODES: Record<string, BusyCalendarError> = { ENOTFOUND: 'dns', EAI_AGAIN: 'dns', ENODATA: 'dns', EFORBIDDENADDRESS: 'refused_address' };

function asFetchError(err: unknown, host: string): CalendarFetchError {
  if (err instanceof CalendarFetchError) return err;
  if (err instanceof ForbiddenAddressError)
    return new CalendarFetchError('refused_address', `${host} leads to a private or reserved network address; crosstrain only reads public addresses.`);
  const code = (err as NodeJS.ErrnoException | undefined)?.code ?? '';
  const kind = NETWORK_CODES[code];
  if (kind === 'dns') return new CalendarFetchError('dns', `The name ${host} could not be found.`);
  return new CalendarFetchError('network', `Could not connect to ${host}${code ? ` (${code})` : ''}.`);
}

/** http: or https: after turning webcal: into https:; anything else is refused. */
function checkScheme(url: URL): void {
  if (url.protocol !== 'https:' && url.protocol !== 'http:')
    throw new CalendarFetchError('refused_address', `Only http and https addresses are read, not ${url.protocol.replace(/:$/, '')}.`);
}

export async function fetchCalendar(address: string, options: FetchOptions = {}): Promise<FetchResult> {
  const timeoutMs = options.timeoutMs ?? FETCH_LIMITS.timeoutMs;
  const maxBytes = options.maxBytes ?? FETCH_LIMITS.maxBytes;
  const maxRedirects = options.maxRedirects ?? FETCH_LIMITS.maxRedirects;
  const controller = new AbortController();
  const deadline = setTimeout(() => controller.abort(), timeoutMs);
  const lookup = guardedLookup(options.allowPrivateHosts);
  let url = new URL(address);
  try {
    for (let redirects = 0; ; redirects++) {
      checkScheme(url);
      if (forbiddenLiteralHost(url, options.allowPrivateHosts))
        throw new CalendarFetchError('refused_address', `${bareHost(url)} is a private or reserved network address; crosstrain only reads public addresses.`);
      const res = await request(url, options, lookup, controller.signal).catch((err: unknown) => {
        throw controller.signal.aborted
          ? new CalendarFetchError('timeout', `${url.host} did not answer within ${timeoutMs / 1000} s.`)
          : asFetchError(err, url.host);
      });
      const status = res.statusCode ?? 0;
      if (status >= 300 && status < 400 && status !== 304) {
        res.resume();
        const location = res.headers.location;
        if (!location) throw new CalendarFetchError('http', `${url.host} answered ${status} without saying where to.`);
        if (redirects >= maxRedirects) throw new CalendarFetchError('too_many_redirects', `${url.host} redirected more than ${maxRedirects} times.`);
        url = new URL(location, url);
        continue;
      }
      if (status === 304) {
        res.resume();
        return { status: 'not_modified' };
      }
      if (status !== 200) {
        res.resume();
        throw new CalendarFetchError(
          'http',
          `${url.host} answered HTTP ${status}${status === 404 || status === 401 || status === 403 ? ' — is the address still valid? A new private address in Google or Outlook makes the old one stop working' : ''}.`,
        );
      }
      const declared = Number(res.headers['content-length']);
      if (Number.isFinite(declared) && declared > maxBytes) {
        res.destroy();
        throw tooLarge(maxBytes);
      }
      const body = await readBody(res, maxBytes).catch((err: unknown) => {
        throw controller.signal.aborted
          ? new CalendarFetchError('timeout', `${url.host} did not send the calendar within ${timeoutMs / 1000} s.`)
          : asFetchError(err, url.host);
      });
      return { status: 'ok', body, etag: header(res, 'etag'), lastModified: header(res, 'last-modified') };
    }
  } finally {
    clearTimeout(deadline);
  }
}

const tooLarge = (maxBytes: number) => new CalendarFetchError('too_large', `The calendar is larger than ${Math.round(maxBytes / 1024 / 1024)} MB.`);

function header(res: IncomingMessage, name: string): string | null {
  const value = res.headers[name];
  return typeof value === 'string' && value.length <= 512 ? value : null;
}

function request(url: URL, options: FetchOptions, lookup: ReturnType<typeof guardedLookup>, signal: AbortSignal): Promise<IncomingMessage> {
  const headers: Record<string, string> = { Accept: 'text/calendar, */*;q=0.5', 'User-Agent': 'crosstrain busy-time reader', 'Accept-Encoding': 'identity' };
  if (options.etag) headers['If-None-Match'] = options.etag;
  if (options.lastModified) headers['If-Modified-Since'] = options.lastModified;
  const client = url.protocol === 'https:' ? https : http;
  return new Promise((resolve, reject) => {
    const req = client.request(url, { method: 'GET', headers, lookup: lookup as never, signal, agent: false }, resolve);
    req.on('error', reject);
    req.end();
  });
}

function readBody(res: IncomingMessage, maxBytes: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    res.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > maxBytes) {
        // Rejected before destroying: the stream's own abort error must not take its place.
        reject(tooLarge(maxBytes));
        res.destroy();
        return;
      }
      chunks.push(chunk);
    });
    res.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    res.on('error', reject);
    res.on('aborted', () => reject(new Error('aborted')));
  });
}
