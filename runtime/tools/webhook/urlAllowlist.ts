/**
 * Matching a webhook URL against the spec's `allow` patterns (compiler/SPEC_FORMAT.md): a pattern is an origin plus
 * a path prefix, `https://hooks.example.com/` or `https://*.example.com/hooks/`, where `*` stands for exactly one
 * host label. Scheme, host and port must match; the path must start with the pattern's path at a `/` boundary.
 * A match through a literal host (no `*`) counts as naming the host explicitly, which is what lets a spec send to a
 * private or loopback address on purpose.
 */

export interface AllowMatch {
  allowed: boolean;
  /** The URL's host is written out in a matching pattern (no wildcard). */
  explicitHost: boolean;
}

export function matchAllowlist(url: URL, patterns: readonly string[]): AllowMatch {
  let allowed = false;
  for (const text of patterns) {
    const pattern = parsePattern(text);
    if (!pattern || pattern.protocol !== url.protocol || pattern.port !== effectivePort(url) || !pathMatches(url.pathname, pattern.path)) continue;
    if (pattern.host === url.hostname.toLowerCase()) return { allowed: true, explicitHost: true };
    if (wildcardMatches(pattern.host, url.hostname.toLowerCase())) allowed = true;
  }
  return { allowed, explicitHost: false };
}

interface Pattern { protocol: string; host: string; port: string; path: string }

function parsePattern(text: string): Pattern | undefined {
  const match = /^(https?:)\/\/([^/:]+|\[[^\]]+\])(?::(\d+))?(\/.*)?$/i.exec(text.trim());
  if (!match) return undefined;
  const protocol = match[1]!.toLowerCase();
  const port = match[3] ?? (protocol === 'https:' ? '443' : '80');
  // URL's own parser normalises the host (IPv6 brackets, case); the wildcard label is put back afterwards.
  const host = match[2]!.toLowerCase();
  const normalised = host.includes('*') ? host : new URL(`${protocol}//${host}`).hostname;
  return { protocol, host: normalised, port, path: match[4] ?? '/' };
}

const effectivePort = (url: URL): string => url.port || (url.protocol === 'https:' ? '443' : '80');

function pathMatches(path: string, prefix: string): boolean {
  if (prefix.endsWith('/')) return path.startsWith(prefix);
  return path === prefix || path.startsWith(`${prefix}/`);
}

function wildcardMatches(pattern: string, host: string): boolean {
  if (!pattern.includes('*')) return false;
  const patternLabels = pattern.split('.');
  const hostLabels = host.split('.');
  return patternLabels.length === hostLabels.length &&
    patternLabels.every((label, i) => label === '*' ? hostLabels[i]!.length > 0 : label === hostLabels[i]);
}
