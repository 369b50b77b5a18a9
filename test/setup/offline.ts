// Tests never leave the machine: any connection or name lookup for a host that is not loopback fails the
// test that made it (and is never attempted). Runs in every test worker (vitest.config.ts setupFiles), so
// it covers node:http, node:https, undici's fetch and anything else built on node:net and node:dns.
import dns from "node:dns";
import net from "node:net";
import { afterEach, expect } from "vitest";

const escapes: string[] = [];

/** Loopback names and addresses: all a test may reach. */
export function isLoopback(host: string): boolean {
  const name = host.replace(/^\[|\]$/g, "").toLowerCase();
  if (name === "localhost" || name.endsWith(".localhost") || name === "::1" || name === "0:0:0:0:0:0:0:1") return true;
  if (name.startsWith("::ffff:")) return isLoopback(name.slice(7));
  return net.isIPv4(name) && name.startsWith("127.");
}

function refuse(what: string, host: string): Error {
  escapes.push(`${what} ${host}`);
  return Object.assign(new Error(`test/setup/offline.ts: tests never leave the machine; refused ${what} ${host}`), {
    code: "ENETUNREACH",
  });
}

const connect = net.Socket.prototype.connect;
net.Socket.prototype.connect = function (this: net.Socket, ...args: unknown[]) {
  // node:net calls it with its normalized form, [options, callback], as well as (options) and (port, host).
  const first = Array.isArray(args[0]) ? args[0][0] : args[0];
  const options = (typeof first === "object" && first !== null ? first : {}) as { host?: string; path?: string };
  const host =
    typeof first === "number" || typeof first === "string"
      ? typeof args[1] === "string"
        ? args[1]
        : "localhost"
      : typeof options.path === "string"
        ? "localhost"
        : (options.host ?? "localhost");
  if (!isLoopback(host)) {
    const error = refuse("a connection to", host);
    process.nextTick(() => this.destroy(error));
    return this;
  }
  return (connect as (...a: unknown[]) => net.Socket).apply(this, args);
} as typeof net.Socket.prototype.connect;

const lookup = dns.lookup;
dns.lookup = function (hostname: string, ...rest: unknown[]) {
  const callback = rest.at(-1) as (error: Error | null, ...values: unknown[]) => void;
  if (!isLoopback(hostname)) {
    const error = refuse("a lookup of", hostname);
    process.nextTick(() => callback(error));
    return {} as never;
  }
  return (lookup as (...a: unknown[]) => unknown).call(dns, hostname, ...rest);
} as typeof dns.lookup;

const lookupPromise = dns.promises.lookup;
dns.promises.lookup = (async (hostname: string, ...rest: unknown[]) => {
  if (!isLoopback(hostname)) throw refuse("a lookup of", hostname);
  return (lookupPromise as (...a: unknown[]) => unknown).call(dns.promises, hostname, ...rest);
}) as typeof dns.promises.lookup;

/** What was refused since the last call (test/offline.test.ts checks the guard itself with it). */
export const takeEscapes = (): string[] => escapes.splice(0);

afterEach(() => {
  const seen = escapes.splice(0);
  expect(seen, "a test tried to reach a host that is not loopback").toEqual([]);
});
