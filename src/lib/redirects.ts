/**
 * The one decision about where a redirect may go. Every redirect target built from user input
 * (sign-in `next`, answer forms, agenda and action items, any later one) passes through
 * safeRedirectPath: only a path on this site survives, read the way browsers read a Location
 * header, else the fallback page.
 */

const MAX_TARGET_LENGTH = 2000;
const PLACEHOLDER_ORIGIN = 'http://crosstrain.invalid';
// C0 controls, space and DEL; browsers strip tabs and newlines anywhere and C0/space at both ends.
const CONTROL = /[\u0000-\u001f\u007f]/;
const TAB_OR_NEWLINE = /[\t\n\r]/g;
const EDGE_CONTROL_OR_SPACE = /^[\u0000-\u0020]+|[\u0000-\u0020]+$/g;

/** How a browser reads a URL before resolving it: tabs and newlines gone, edges trimmed, backslash as slash. */
function asBrowserReads(value: string): string {
  return value.replace(TAB_OR_NEWLINE, '').replace(EDGE_CONTROL_OR_SPACE, '').replace(/\\/g, '/');
}

/** A path of this site: one slash, then no slash or backslash; no scheme, no controls. */
function isLocalPath(value: string): boolean {
  return value.startsWith('/') && !value.startsWith('//') && !CONTROL.test(value);
}

/**
 * `candidate` when it names a path on this site (after the normalisation browsers apply, and also
 * after percent-decoding it, so no layer of decoding can turn it into another site), written as a
 * clean path with query and fragment; otherwise `fallback`. Never throws.
 */
export function safeRedirectPath(candidate: unknown, fallback = '/'): string {
  if (typeof candidate !== 'string' || candidate.length === 0 || candidate.length > MAX_TARGET_LENGTH) return fallback;
  // The raw string must not carry controls a browser would drop: `/\t/evil` is `//evil` to it.
  if (CONTROL.test(candidate)) return fallback;
  let layer = candidate;
  for (let depth = 0; depth < 4; depth++) {
    const read = asBrowserReads(layer);
    if (!isLocalPath(read) || read !== layer) return fallback;
    let decoded: string;
    try {
      decoded = decodeURIComponent(layer);
    } catch {
      // Not decodable any further: no browser decodes it either.
      break;
    }
    if (decoded === layer) break;
    if (depth === 3) return fallback;
    layer = decoded;
  }
  let url: URL;
  try {
    url = new URL(candidate, PLACEHOLDER_ORIGIN);
  } catch {
    return fallback;
  }
  if (url.origin !== PLACEHOLDER_ORIGIN) return fallback;
  const path = url.pathname + url.search + url.hash;
  return isLocalPath(path) && !path.includes('\\') ? path : fallback;
}
