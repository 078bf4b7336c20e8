/**
 * METHOD:REPLY answers in the shapes mail programs send them (RFC 5546 §4.2.2, RFC 6047 examples):
 * Outlook (multipart/alternative with a text/calendar; method=REPLY part), Gmail (text/calendar
 * alternative plus an invite.ics attachment as application/ics), Apple Calendar (text/calendar
 * only, with its PRODID and a COMMENT).
 */
export type ReplyFields = {
  uid: string;
  sequence: number;
  attendee: string;
  name: string;
  organizer: string;
  partstat: 'ACCEPTED' | 'TENTATIVE' | 'DECLINED';
  comment?: string;
  recurrenceId?: string;
};

const stamp = '20260302T120000Z';

export function outlookReply(f: ReplyFields): string {
  return [
    'BEGIN:VCALENDAR',
    'METHOD:REPLY',
    'PRODID:Microsoft Exchange Server 2010',
    'VERSION:2.0',
    'BEGIN:VEVENT',
    `ATTENDEE;PARTSTAT=${f.partstat};CN=${f.name}:mailto:${f.attendee.toUpperCase()}`,
    'SUMMARY;LANGUAGE=en-US:Accepted: Acme discovery call',
    'DTSTART;TZID=Eastern Standard Time:20260309T100000',
    'DTEND;TZID=Eastern Standard Time:20260309T110000',
    `UID:${f.uid}`,
    'CLASS:PUBLIC',
    'PRIORITY:5',
    `DTSTAMP:${stamp}`,
    'TRANSP:OPAQUE',
    'STATUS:CONFIRMED',
    `SEQUENCE:${f.sequence}`,
    'LOCATION:',
    ...(f.comment ? [`COMMENT;LANGUAGE=en-US:${f.comment}`] : []),
    `X-MICROSOFT-CDO-APPT-SEQUENCE:${f.sequence}`,
    'X-MICROSOFT-CDO-OWNERAPPTID:-1',
    'X-MICROSOFT-CDO-REPLYTIME:20260302T120000Z',
    'END:VEVENT',
    'END:VCALENDAR',
    '',
  ].join('\r\n');
}

export function gmailReply(f: ReplyFields): string {
  return [
    'BEGIN:VCALENDAR',
    'PRODID:-//Google Inc//Google Calendar 70.9054//EN',
    'VERSION:2.0',
    'CALSCALE:GREGORIAN',
    'METHOD:REPLY',
    'BEGIN:VEVENT',
    'DTSTART:20260309T140000Z',
    'DTEND:20260309T150000Z',
    `DTSTAMP:${stamp}`,
    `ORGANIZER;CN=Rita Rep:mailto:${f.organizer}`,
    `UID:${f.uid}`,
    ...(f.recurrenceId ? [`RECURRENCE-ID:${f.recurrenceId}`] : []),
    `ATTENDEE;CUTYPE=INDIVIDUAL;ROLE=REQ-PARTICIPANT;PARTSTAT=${f.partstat};CN=${f.attendee};X-NUM-GUESTS=0:mailto:${f.attendee}`,
    ...(f.comment ? [`COMMENT:${f.comment}`] : []),
    'CREATED:20260302T115000Z',
    'DESCRIPTION:',
    'LAST-MODIFIED:20260302T120000Z',
    'LOCATION:',
    `SEQUENCE:${f.sequence}`,
    'STATUS:CONFIRMED',
    'SUMMARY:Acme discovery call',
    'TRANSP:OPAQUE',
    'END:VEVENT',
    'END:VCALENDAR',
    '',
  ].join('\r\n');
}

export function appleReply(f: ReplyFields): string {
  return [
    'BEGIN:VCALENDAR',
    'VERSION:2.0',
    'PRODID:-//Apple Inc.//macOS 15.1//EN',
    'METHOD:REPLY',
    'BEGIN:VEVENT',
    `UID:${f.uid}`,
    `DTSTAMP:${stamp}`,
    `SEQUENCE:${f.sequence}`,
    `ATTENDEE;CN="${f.name}";PARTSTAT=${f.partstat};EMAIL=${f.attendee}:mailto:${f.attendee}`,
    `ORGANIZER;CN="Rita Rep":mailto:${f.organizer}`,
    'SUMMARY:Acme discovery call',
    ...(f.comment ? [`COMMENT:${f.comment}`] : []),
    'DTSTART;TZID=America/New_York:20260309T100000',
    'DTEND;TZID=America/New_York:20260309T110000',
    'END:VEVENT',
    'END:VCALENDAR',
    '',
  ].join('\r\n');
}
