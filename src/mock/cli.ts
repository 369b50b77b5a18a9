// `multisafepay-kbc-sandbox`: the sandbox as a command, for shops in any language (as stripe-mock is).
import type { Server } from "node:http";
import { parseArgs } from "node:util";
import { apiKeyProblem } from "../api-key.js";
import { parseHostList } from "./hosts.js";
import { OPERATION_LIST } from "../operations.js";
import { createSandboxServer, MAX_BODY_BYTES, SANDBOX_ROUTES } from "./server.js";

/** One line per route: method, path template and what it is, in columns. */
function routeLines(routes: readonly { method: string; path: string; summary: string }[]): string {
  const width = Math.max(...routes.map((r) => r.path.length));
  return routes
    .map(({ method, path, summary }) => `  ${method.padEnd(6)} ${path.padEnd(width)}  ${summary}`)
    .join("\n");
}

export const HELP = `Usage: multisafepay-kbc-sandbox [--port 4010] [--host 127.0.0.1] [--api-key <key>]
                                [--allow-host <name,...>] [--allow-notify <host,...>]

A local stand-in for MultiSafepay's payments API (KBC/CBC orders), in memory, until Ctrl-C.

The API at http://<host>:<port>/v1/json (the key in the api_key header, ?api_key= or Authorization: Bearer):
${routeLines(OPERATION_LIST)}

The sandbox's own routes at http://<host>:<port> (its control API; the document: /sandbox/openapi.json):
${routeLines(SANDBOX_ROUTES)}

On the payment page (in the order's customer.locale: nl, fr, de, else en) the shopper picks Completed,
Cancelled, Expired or Declined; the sandbox notifies your notification_url and sends the browser to
redirect_url or cancel_url. Its clock follows real time until POST /sandbox/clock sets or advances it; stamps,
the transactions' date filters, KBC's 5-day expiry and the refunds' midnight read it.

Options:
  --port <n>       port to listen on (default 4010; 0 picks a free one)
  --host <host>    interface to listen on (default 127.0.0.1; 0.0.0.0 for every interface)
  --api-key <key>  accept only this API key (default: any key of at least 5 characters;
                   also MSP_SANDBOX_API_KEY)
  --allow-host <name,...>
                   also answer requests whose Host is one of these names (default: only localhost,
                   127.0.0.0/8, [::1], the --host given and the address a request arrived on; any other
                   Host is refused with 403, so a web page cannot reach the sandbox by DNS rebinding);
                   e.g. --allow-host sandbox for a shop in another container calling http://sandbox:4010;
                   also MSP_SANDBOX_ALLOW_HOSTS=<name,...>
  --allow-notify <host,...>
                   also deliver notifications to these hosts (default: loopback only, localhost,
                   127.0.0.0/8 and [::1]; an order whose notification_url names another host gets
                   none, and the order, the overview and the pay answer say why);
                   e.g. --allow-notify shop for a shop in another container; also MSP_SANDBOX_ALLOW_NOTIFY
  --help           show this text

Refused, so that a web page open in your browser cannot use the sandbox: API and page requests that
change anything with an Origin other than the sandbox's own, or Sec-Fetch-Site other than same-origin
(MultiSafepay's clients and curl send neither). Request bodies above ${MAX_BODY_BYTES} bytes (1 MiB; MultiSafepay's
are a few kB) are refused with 413 and an error envelope, and the connection is closed.
`;

export interface CliIo {
  out(line: string): void;
  err(line: string): void;
  env: Record<string, string | undefined>;
}

const nodeIo: CliIo = {
  out: (l) => process.stdout.write(`${l}\n`),
  err: (l) => process.stderr.write(`${l}\n`),
  env: process.env,
};

/** Starts the sandbox from command-line arguments. Resolves with the listening server, or an exit code. */
export async function runSandboxCli(argv: string[], io: CliIo = nodeIo): Promise<Server | number> {
  // biome-ignore lint/suspicious/noImplicitAnyLet: parseArgs infers the type from its option table; writing it here would repeat that table.
  let values;
  try {
    ({ values } = parseArgs({
      args: argv,
      options: {
        port: { type: "string" },
        host: { type: "string" },
        "api-key": { type: "string" },
        "allow-host": { type: "string", multiple: true },
        "allow-notify": { type: "string", multiple: true },
        help: { type: "boolean", short: "h" },
      },
      strict: true,
    }));
  } catch (error) {
    io.err(`multisafepay-kbc-sandbox: ${(error as Error).message} (see --help)`);
    return 2;
  }
  if (values.help) {
    io.out(HELP);
    return 0;
  }
  const [source, given] =
    values.port !== undefined
      ? ["--port", values.port]
      : io.env.PORT !== undefined
        ? ["PORT", io.env.PORT]
        : ["--port", "4010"];
  if (!/^\d{1,5}$/.test(given) || Number(given) > 65535) {
    io.err(`multisafepay-kbc-sandbox: ${source} must be a port number from 0 to 65535, not ${JSON.stringify(given)}`);
    return 2;
  }
  const port = Number(given);
  const host = values.host ?? "127.0.0.1";
  const apiKey = values["api-key"] ?? (io.env.MSP_SANDBOX_API_KEY || undefined);
  const keyProblem = apiKey === undefined ? null : apiKeyProblem(apiKey);
  if (keyProblem) {
    io.err(`multisafepay-kbc-sandbox: --api-key: ${keyProblem}`);
    return 2;
  }
  let allowHosts: string[];
  let allowNotify: string[];
  try {
    // The name it listens on is one it serves on (a wildcard address is not a name anyone calls).
    const bound =
      host === "0.0.0.0" || host === "::" || host === "[::]"
        ? undefined
        : host.includes(":") && !host.startsWith("[")
          ? `[${host}]`
          : host;
    allowHosts = parseHostList(bound, ...(values["allow-host"] ?? []), io.env.MSP_SANDBOX_ALLOW_HOSTS);
  } catch (error) {
    io.err(`multisafepay-kbc-sandbox: --allow-host (or MSP_SANDBOX_ALLOW_HOSTS): ${(error as Error).message}`);
    return 2;
  }
  try {
    allowNotify = parseHostList(...(values["allow-notify"] ?? []), io.env.MSP_SANDBOX_ALLOW_NOTIFY);
  } catch (error) {
    io.err(`multisafepay-kbc-sandbox: --allow-notify (or MSP_SANDBOX_ALLOW_NOTIFY): ${(error as Error).message}`);
    return 2;
  }
  const server = createSandboxServer({
    ...(apiKey ? { apiKey } : {}),
    allowHosts,
    allowNotify,
    log: (line) => io.out(line),
  });
  const failure = await listen(server, port, host);
  if (failure) {
    io.err(failure);
    return 1;
  }
  const address = server.address();
  const actualPort = typeof address === "object" && address ? address.port : port;
  const base = `http://${host.includes(":") ? `[${host}]` : host}:${actualPort}`;
  io.out(
    `MultiSafepay KBC sandbox: ${base}/v1/json   (API key: ${apiKey ? "the one given" : "any, at least 5 characters"})`,
  );
  io.out(`Orders and shopper:       ${base}/sandbox   (Ctrl-C to stop)`);
  return server;
}

/** Listens, or explains in one line why not (a busy port is the common case). */
export function listen(server: Server, port: number, host: string): Promise<string | null> {
  return new Promise((resolve) => {
    const onError = (error: NodeJS.ErrnoException) => resolve(portProblem(error, port, host));
    server.once("error", onError);
    server.listen(port, host, () => {
      server.off("error", onError);
      resolve(null);
    });
  });
}

export function portProblem(error: NodeJS.ErrnoException, port: number, host: string): string {
  if (error.code === "EADDRINUSE")
    return `Port ${port} on ${host} is already in use: stop whatever is using it, or choose another port (--port <n>, or PORT=<n> npm start).`;
  if (error.code === "EACCES")
    return `Port ${port} on ${host} needs more privileges: choose a port above 1023 (--port <n>, or PORT=<n> npm start).`;
  if (error.code === "EADDRNOTAVAIL" || error.code === "ENOTFOUND")
    return `Cannot listen on ${host}: it is not an address of this machine (--host 127.0.0.1 or 0.0.0.0).`;
  return `Cannot listen on ${host}:${port}: ${error.message}`;
}
