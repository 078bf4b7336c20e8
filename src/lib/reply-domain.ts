// Pure, and imported by config at start-up: it must depend on nothing of the app.

/** A domain mail from the internet can reach: dotted, not an IP address, not localhost. */
function isMailDomain(host: string): boolean {
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
