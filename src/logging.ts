// createMultiSafepay({ logLevel, logger }): the client's own log lines, made from the call events
// (src/events.ts) by one internal subscriber. "off" by default; MULTISAFEPAY_LOG where the runtime has an
// environment. The lines themselves (log-lines.ts: the masking, the IBAN rule, the formats) load only for a
// client that logs, so a bundle of a client that does not carries none of them.
import { ValidationError } from "./errors.js";
import type { Tap } from "./events.js";
import type { Redactor } from "./redact.js";
import type { Sender } from "./senders/sender.js";

export type LogLevel = "off" | "error" | "warn" | "info" | "debug";

/** Console-shaped: `console` itself, pino, winston… */
export interface Logger {
  error(message: string, ...details: unknown[]): void;
  warn(message: string, ...details: unknown[]): void;
  info(message: string, ...details: unknown[]): void;
  debug(message: string, ...details: unknown[]): void;
}

const LEVELS: readonly LogLevel[] = ["off", "error", "warn", "info", "debug"];

/** The level asked for, else MULTISAFEPAY_LOG (where there is a `process.env`: not in workers or browsers), else "off". */
export function logLevelOf(option: unknown): LogLevel {
  const env = (globalThis as { process?: { env?: Record<string, string | undefined> } }).process?.env;
  // An environment variable is typed by hand (MULTISAFEPAY_LOG=DEBUG): read without case or surrounding space.
  const fromEnv = option === undefined ? env?.MULTISAFEPAY_LOG?.trim().toLowerCase() : undefined;
  const value = option ?? (fromEnv === "" ? undefined : fromEnv) ?? "off";
  if (!LEVELS.includes(value as LogLevel))
    throw new ValidationError(
      [
        {
          path: "/logLevel",
          message: `must be one of ${LEVELS.join(", ")}${option === undefined ? " (read from MULTISAFEPAY_LOG)" : ""}`,
        },
      ],
      "client options",
    );
  return value as LogLevel;
}

type LogLines = typeof import("./log-lines.js");
type Logging = ReturnType<LogLines["createLogging"]>;

// Once loaded, the module is kept, so a later client logs from its first event without waiting.
let logLines: LogLines | Promise<LogLines> | undefined;

function loadLogLines(): LogLines | Promise<LogLines> {
  logLines ??= import("./log-lines.js").then(
    (module) => (logLines = module),
    (cause: unknown) => {
      // Forgotten, so the next client tries again.
      logLines = undefined;
      throw cause;
    },
  );
  return logLines;
}

/**
 * A client's logging while its lines may still be loading: what happens before they are there (the first
 * request event, a listener that threw at it) is kept and told, in order, once they are; the client's sender
 * waits for that (`gate`), so every line of a call is written before the call settles, as when the lines were
 * loaded at start. Lines that cannot load never fail a payment call: the logger is told once, at warn, and the
 * client goes on without logging.
 */
export function lazyLogging(level: LogLevel, logger: Logger, redactor: Redactor) {
  let logging: Logging | undefined;
  let pending: (() => void)[] | undefined = [];
  const later = (run: (ready: Logging) => void) => {
    if (logging) run(logging);
    else pending?.push(() => logging && run(logging));
  };
  const start = (module: LogLines) => {
    logging = module.createLogging(LEVELS.indexOf(level), logger, redactor);
    const told = pending ?? [];
    pending = undefined;
    for (const run of told) run();
  };
  let ready: Promise<void> | undefined;
  const loading = loadLogLines();
  if (loading instanceof Promise)
    ready = loading
      .then(start, (cause: unknown) => {
        pending = undefined;
        const reason = cause instanceof Error ? cause.message : String(cause);
        logger.warn(
          `multisafepay: the client's logging could not be loaded, so this client does not log: ${redactor.text(reason)}`,
        );
      })
      .finally(() => {
        ready = undefined;
      });
  else start(loading);

  // Every event the lines could need: each is passed on only where the level wants it (log-lines.ts).
  const tap: Tap = {
    request: (e, raw) => later((l) => l.tap.request?.(e, raw)),
    response: (e, raw) => later((l) => l.tap.response?.(e, raw)),
    retry: (e, raw) => later((l) => l.tap.retry?.(e, raw)),
  };
  const gate = (sender: Sender): Sender => ({
    send: (outgoing, limits) =>
      ready ? ready.then(() => sender.send(outgoing, limits)) : sender.send(outgoing, limits),
    close: () => sender.close(),
  });
  return { tap, listenerError: (error: unknown) => later((l) => l.listenerError(error)), gate };
}
