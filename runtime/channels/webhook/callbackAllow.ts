/**
 * Callback URL allowlist (channel spec `callback_allow`): a pattern is an origin plus path prefix, where `*` may stand
 * for whole labels at the start of the host (`https://*.example.com/hooks/`). Anything else is refused, so a caller
 * cannot make the server POST to internal addresses (the seed's webhook tool was an open SSRF); the delivery then
 * goes through the outbound guard (runtime/net), which dials a restricted address only for a host a pattern names.
 */

export function isCallbackAllowed(url: string, patterns: readonly string[]): boolean {
  return matchCallbackAllow(url, patterns).allowed;
}

/**
 * `hostNamedExplicitly`: a pattern without `*` matched, so the spec names this host and it may be a loopback or
 * private receiver (local development, tests); a URL matched only through a wildcard must resolve to public addresses.
 */
export function matchCallbackAllow(url: string, patterns: readonly string[]): { allowed: boolean; hostNamedExplicitly: boolean } {
  let target: URL;
  try {
    target = new URL(url);
  } catch {
    return { allowed: false, hostNamedExplicitly: false };
  }
  if (target.username || target.password) return { allowed: false, hostNamedExplicitly: false };
  const matched = patterns.filter((pattern) => matches(target, pattern));
  return { allowed: matched.length > 0, hostNamedExplicitly: matched.some((pattern) => !isWildcard(pattern)) };
}

const WILDCARD = /^(https?):\/\/\*\.([^/]+)(\/.*)?$/;
const isWildcard = (pattern: string): boolean => WILDCARD.test(pattern);

function matches(target: URL, pattern: string): boolean {
  const wildcard = WILDCARD.exec(pattern);
  let protocol: string;
  let host: string;
  let path: string;
  if (wildcard) {
    [, protocol = '', host = '', path = '/'] = wildcard;
    protocol += ':';
    if (!target.host.endsWith(`.${host}`)) return false;
  } else {
    let parsed: URL;
    try {
      parsed = new URL(pattern);
    } catch {
      return false;
    }
    ({ protocol, host, pathname: path } = parsed);
    if (target.host !== host) return false;
  }
  return target.protocol === protocol && target.pathname.startsWith(path || '/');
}
