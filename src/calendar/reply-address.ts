/**
 * Reply addresses: the ORGANIZER crosstrain writes into invitation mail. Each carries a token
 * signed for one invitation, reply+<invitation id>-<mac>@<INBOUND_DOMAIN>, so an answer a mail
 * program sends there can be matched to exactly one invitation and cannot be forged for another.
 * The MAC is HMAC-SHA256 under a key derived from the calendar feed key (kept beside the
 * database and copied by backups), so no new secret has to be stored.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import type { Db } from '../db';
import { feedKey } from './feeds';

const MAC_HEX_CHARS = 24;

function mac(db: Db, invitationId: number): string {
  const key = createHmac('sha256', feedKey(db)).update('reply-address-key').digest();
  return createHmac('sha256', key).update(`reply-address:${invitationId}`).digest('hex').slice(0, MAC_HEX_CHARS);
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
