/**
 * Reply addresses: the ORGANIZER crosstrain writes into invitation mail. Each carries a token
 * signed for one invitation, reply+<invitation id>-<mac>@<INBOUND_DOMAIN>, so an answer a mail
 * program sends there can be matched to exactly one invitation and cannot be forged for another.
 * The MAC is HMAC-SHA256 under a key derived from the calendar feed key (kept beside the
 * database and copied by backups), so no new secret has to be stored.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import type { Db } from '../db';
import { feedKey } from '../calendar/feeds';

const MAC_HEX_CHARS = 24;

function mac(db: Db, invitationId: number): string {
  const key = createHmac('sha256', feedKey(db)).update('reply-address-key').digest();
  return createHmac('sha256', key).update(`reply-address:${invitationId}`).digest('hex').slice(0, MAC_HEX_CHARS);
}

/** A domain mail from the internet can reach: dotted, not an IP address, not localhost. */
export function isMailDomain(host: string): boolean {
  const name = host.toLowerCase().replace(/\.$/, '');
  if (!/^[a-z0-9-]+(\.[a-z0-9-]+)+$/.test(name)) return false;
  if (/^[0-9.]+$/.test(name) || name === 'localhost' || name.endsWith('.localhost')) return false;
  return true;
}

/**
 * The domain answers go to: INBOUND_DOMAIN, else the host name of BASE_URL when mail can reach it.
 * Null when neither gives one (no BASE_URL, or one like http://localhost:3000 or an IP address):
 * invitation mail then names the host as ORGANIZER, so answers reach a person instead of bouncing
 * off an address nobody receives. Never the request's own Host header, which the client chooses.
 */
export function replyDomainOf(options: { replyDomain?: string | null; baseUrl?: string | null }): string | null {
  if (options.replyDomain) return options.replyDomain;
  if (!options.baseUrl) return null;
  try {
    const host = new URL(options.baseUrl).hostname;
    return isMailDomain(host) ? host : null;
  } catch {
    return null;
  }
}

export function replyAddress(db: Db, domain: string, invitationId: number): string {
  return `reply+${invitationId}-${mac(db, invitationId)}@${domain}`;
}

/** The invitation a reply address was made for, or null when it is not one of ours or is forged. */
export function invitationOfReplyAddress(db: Db, domain: string, address: string): number | null {
  const match = /^reply\+(\d{1,12})-([0-9a-f]{24})@([^@\s]+)$/i.exec(address.trim().replace(/^mailto:/i, ''));
  if (!match || match[3]!.toLowerCase() !== domain.toLowerCase()) return null;
  const id = Number(match[1]);
  const expected = Buffer.from(mac(db, id));
  const given = Buffer.from(match[2]!.toLowerCase());
  return given.length === expected.length && timingSafeEqual(given, expected) ? id : null;
}
