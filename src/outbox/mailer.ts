import nodemailer from 'nodemailer';
import type { Config } from '../config';

/** An iMIP part (RFC 6047): sent as text/calendar; method=… beside the text, so mail programs show Accept/Decline. */
export type MailCalendar = { method: 'REQUEST' | 'CANCEL'; content: string };
export type MailMessage = { to: string; subject: string; text: string; messageId: string; calendar?: MailCalendar };

export interface Mailer {
  send(message: MailMessage): Promise<void>;
}

/** Sends through the SMTP server named in the configuration. */
export function smtpMailer(config: Pick<Config, 'SMTP_HOST' | 'SMTP_PORT' | 'SMTP_SECURE' | 'SMTP_USER' | 'SMTP_PASSWORD' | 'SMTP_FROM'>): Mailer {
  const transport = nodemailer.createTransport({
    host: config.SMTP_HOST,
    port: config.SMTP_PORT,
    secure: config.SMTP_SECURE,
    auth: config.SMTP_USER ? { user: config.SMTP_USER, pass: config.SMTP_PASSWORD ?? '' } : undefined,
    connectionTimeout: 10_000,
    greetingTimeout: 10_000,
    socketTimeout: 20_000,
  });
  return {
    async send(message) {
      await transport.sendMail({
        from: config.SMTP_FROM,
        to: message.to,
        subject: message.subject,
        text: message.text,
        messageId: message.messageId,
        ...(message.calendar ? { icalEvent: { method: message.calendar.method, content: message.calendar.content } } : {}),
      });
    },
  };
}
