/**
 * The SMTP listener for answers from mail programs (INBOUND_SMTP_PORT). It takes mail only for
 * reply addresses of its domain (others: a plain 550), at most `maxBytes` per message (larger:
 * 552 before anything is read into memory past the limit), finds the text/calendar part and hands
 * it to applyCalendarReply. Whatever the outcome, an accepted message gets the same 250: a sender
 * learns nothing about tokens, invitations or sequence numbers. Every message is logged with its
 * outcome.
 */
import { SMTPServer, type SMTPServerDataStream, type SMTPServerSession } from 'smtp-server';
import { simpleParser } from 'mailparser';
import type { Db } from '../db';
import type { Clock } from '../lib/clock';
import { applyCalendarReply, type ReplyOutcome } from './replies';

type InboundOptions = { port: number; host?: string; domain: string; maxBytes: number; log?: (entry: InboundLogEntry) => void };
export type InboundLogEntry = {
  from: string;
  to: string[];
  bytes: number;
  outcome: ReplyOutcome | { applied: false; reason: 'oversized' | 'no_calendar' | 'unreadable' };
};

const calendarTypes = new Set(['text/calendar', 'application/ics']);

async function calendarPartOf(raw: Buffer): Promise<string | null> {
  const parsed = await simpleParser(raw, { skipHtmlToText: true, skipTextToHtml: true, skipImageLinks: true });
  const part = parsed.attachments.find((a) => calendarTypes.has(a.contentType.toLowerCase()));
  return part ? part.content.toString('utf8') : null;
}

/** Starts the listener; resolves once it accepts connections. */
export function startInboundSmtp(db: Db, clock: Clock, options: InboundOptions): Promise<{ port: number; close: () => Promise<void> }> {
  const log = options.log ?? ((entry) => console.log(`inbound mail ${JSON.stringify(entry)}`));
  const recipientPattern = new RegExp(`^reply\\+[^@\\s]+@${options.domain.replace(/[.]/g, '\\.')}$`, 'i');
  const server = new SMTPServer({
    name: options.domain,
    authOptional: true,
    disabledCommands: ['AUTH'],
    size: options.maxBytes,
    banner: 'crosstrain',
    maxClients: 50,
    socketTimeout: 30_000,
    closeTimeout: 5_000,
    logger: false,
    onRcptTo(address, _session, callback) {
      if (!recipientPattern.test(address.address)) {
        const error = new Error('No such recipient') as Error & { responseCode: number };
        error.responseCode = 550;
        return callback(error);
      }
      callback();
    },
    onData(stream: SMTPServerDataStream, session: SMTPServerSession, callback) {
      const chunks: Buffer[] = [];
      let bytes = 0;
      stream.on('data', (chunk: Buffer) => {
        bytes += chunk.length;
        if (bytes <= options.maxBytes) chunks.push(chunk);
      });
      stream.on('end', () => {
        const from = session.envelope.mailFrom ? session.envelope.mailFrom.address : '';
        const to = session.envelope.rcptTo.map((r) => r.address);
        if (stream.sizeExceeded || bytes > options.maxBytes) {
          log({ from, to, bytes, outcome: { applied: false, reason: 'oversized' } });
          const error = new Error('Message too big') as Error & { responseCode: number };
          error.responseCode = 552;
          return callback(error);
        }
        calendarPartOf(Buffer.concat(chunks))
          .then((calendar) => {
            const outcome = calendar
              ? applyCalendarReply(db, clock, { recipients: to, calendar, domain: options.domain })
              : ({ applied: false, reason: 'no_calendar' } as const);
            log({ from, to, bytes, outcome });
          })
          .catch((err: unknown) => log({ from, to, bytes, outcome: { applied: false, reason: 'unreadable' } }) ?? err)
          .finally(() => callback());
      });
    },
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host ?? '0.0.0.0', () => {
      const address = server.server.address();
      resolve({
        port: typeof address === 'object' && address ? address.port : options.port,
        close: () => new Promise<void>((done) => server.close(() => done())),
      });
    });
  });
}
