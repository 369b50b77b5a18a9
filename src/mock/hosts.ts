// Which host names the sandbox answers to and delivers notifications to. Loopback always; anything else only
// when the user names it (--allow-host, --allow-notify and their environment variables). No DNS look-ups: a
// name is judged as written, after the WHATWG URL parser's normalisation (so 127.1 and 0x7f.0.0.1 are 127.0.0.1,
// as the browser and fetch read them). Runs anywhere (no node:* imports): the core sandbox uses it too.

/** A host name as the URL parser reads it (lower case, IPv6 in brackets, no port), or null if it is none. */
export function hostName(host: string): string | null {
  if (!host || /[/?#@\\\s]/.test(host)) return null;
  try {
    const url = new URL(`http://${host}`);
    return url.hostname || null;
  } catch {
    return null;
  }
}

/** localhost (and *.localhost, which browsers resolve to loopback themselves), 127.0.0.0/8 and [::1]. */
export function isLoopbackName(hostname: string): boolean {
  const name = hostname.toLowerCase().replace(/\.$/, "");
  return (
    name === "localhost" ||
    name.endsWith(".localhost") ||
    /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(name) ||
    name === "[::1]"
  );
}

/**
 * A comma-separated list of host names (`--allow-host a,b`, an environment variable), each normalised; a port
 * is allowed and dropped. Throws an Error naming the first entry that is not a host name.
 */
export function parseHostList(...lists: (string | undefined)[]): string[] {
  const names: string[] = [];
  for (const entry of lists.flatMap((list) => (list ?? "").split(","))) {
    const trimmed = entry.trim();
    if (!trimmed) continue;
    const name = hostName(trimmed);
    if (!name) throw new Error(`${JSON.stringify(trimmed)} is not a host name`);
    names.push(name);
  }
  return [...new Set(names)];
}

/** Whether `hostname` is loopback or one of `allowed` (already normalised by hostName/parseHostList). */
export function hostAllowed(hostname: string, allowed: readonly string[]): boolean {
  return isLoopbackName(hostname) || allowed.includes(hostname.toLowerCase());
}

/**
 * Whether the sandbox may deliver a notification to `hostname`: `localhost`, 127.0.0.0/8, [::1] or one of
 * `allowed`. Not `*.localhost`: the sandbox's own resolver (not a browser's) may send such a name to upstream DNS.
 */
export function notifyAllowed(hostname: string, allowed: readonly string[]): boolean {
  const name = hostname.toLowerCase().replace(/\.$/, "");
  return (
    name === "localhost" || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(name) || name === "[::1]" || allowed.includes(name)
  );
}

export const LOOPBACK_NAMES = "localhost, 127.0.0.0/8, [::1]";
