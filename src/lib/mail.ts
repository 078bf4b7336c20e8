// What the app hands to a mail transport: the outbox sends through a Mailer that createApp is given, so the
// app's dependencies (context.ts) name the port without importing the outbox feature.

/** An iMIP part (RFC 6047): sent as text/calendar; method=… beside the text, so mail programs show Accept/Decline. */
export type MailCalendar = { method: 'REQUEST' | 'CANCEL'; content: string };
export type MailMessage = { to: string; subject: string; text: string; messageId: string; calendar?: MailCalendar };

export interface Mailer {
  send(message: MailMessage): Promise<void>;
}
