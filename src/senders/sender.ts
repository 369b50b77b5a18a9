// The one interface every transport implements (stripe-node's HttpClient is the model): send one attempt,
// return the whole answer or fail saying whether the request may have reached the server. Retries, timeouts
// and what an answer means are decided above it (retry.ts, pipeline.ts); a sender never follows a redirect
// and never reads past `maxResponseBytes`.
import { InvalidResponseError } from "../errors.js";

/** One request as a sender sends it. */
export interface Outgoing {
  method: string;
  url: string;
  headers: Record<string, string>;
  body?: string;
}

/** One complete answer. */
export interface Incoming {
  status: number;
  /** `forEach` lists every header (logging at debug, `.withResponse()`); a fetch Response's Headers has both. */
  headers: { get(name: string): string | null; forEach?(visit: (value: string, name: string) => void): void };
  body: string;
}

export interface AttemptLimits {
  /** Fires when the attempt is abandoned (its timeout, or the caller's signal). */
  cancellation: Cancellation;
  /** Stop reading and fail past this many bytes of answer. */
  maxResponseBytes: number;
}

export interface Sender {
  send(outgoing: Outgoing, limits: AttemptLimits): Promise<Incoming>;
  /** Releases what the sender keeps between calls (kept-alive sockets). */
  close(): Promise<void>;
}

/**
 * No complete answer came back. `sent` is false only when the request provably never left (the connection
 * was never made), which is what lets a request that moves money be sent again.
 */
export class SendFailure extends Error {
  readonly sent: boolean;

  constructor(sent: boolean, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = "SendFailure";
    this.sent = sent;
  }
}

/** Error codes that mean the connection was never established, so nothing of the request was sent. */
const NEVER_CONNECTED = new Set([
  "ECONNREFUSED",
  "ENOTFOUND",
  "EAI_AGAIN",
  "EHOSTUNREACH",
  "ENETUNREACH",
  "UND_ERR_CONNECT_TIMEOUT",
]);

export function neverConnected(error: unknown): boolean {
  for (
    let e = error, depth = 0;
    e && typeof e === "object" && depth < 4;
    e = (e as { cause?: unknown }).cause, depth++
  ) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === "string" && NEVER_CONNECTED.has(code)) return true;
  }
  return false;
}

/**
 * Cancels one attempt. Plain callbacks rather than an AbortController, which costs a few µs a call; only the
 * fetch sender, which needs a real signal, makes one.
 */
export class Cancellation {
  private readonly listeners: (() => void)[] = [];
  cancelled = false;
  /**
   * Set by the sender once the request may be on its way (the connection is made, or it was handed to a
   * fetch). An attempt cancelled before that, waiting for a free connection, provably sent nothing.
   */
  dispatched = false;

  onCancel(listener: () => void): void {
    if (this.cancelled) listener();
    else this.listeners.push(listener);
  }

  cancel(): void {
    if (this.cancelled) return;
    this.cancelled = true;
    for (const listener of this.listeners) listener();
  }
}

export const tooLarge = (status: number, max: number) =>
  new InvalidResponseError(status, `the answer is larger than ${max} bytes (maxResponseBytes)`);

/** A declared Content-Length over the cap fails before a byte is read. */
export function declaredTooLarge(contentLength: string | null | undefined, max: number): boolean {
  return contentLength != null && /^\d+$/.test(contentLength) && Number(contentLength) > max;
}

/**
 * Admits at most `max` attempts at once; the rest wait their turn, in order. A slot is freed when its attempt
 * settles or is cancelled, whichever comes first: a fetch that ignores its signal cannot hold it for good.
 * With `cancelGraceMs`, an attempt cancelled after it was dispatched keeps its slot that much longer: the
 * runtime may keep that attempt's connection (or the one it opens in its place) open after the abort, and
 * the slot stands for it until then. `close()` gives every held slot back.
 */
export function createLimiter(max: number, cancelGraceMs = 0) {
  let active = 0;
  const waiting: (() => void)[] = [];
  const held = new Set<() => void>();
  return {
    async run<T>(task: () => Promise<T>, cancellation: Cancellation): Promise<T> {
      if (active >= max) {
        await new Promise<void>((resolve, reject) => {
          const turn = () => resolve();
          waiting.push(turn);
          cancellation.onCancel(() => {
            const index = waiting.indexOf(turn);
            if (index >= 0) waiting.splice(index, 1);
            reject(new SendFailure(false, "cancelled while waiting for a free connection"));
          });
        });
      }
      active++;
      let released = false;
      let holding = false;
      const release = () => {
        if (released) return;
        released = true;
        held.delete(release);
        active--;
        waiting.shift()?.();
      };
      cancellation.onCancel(() => {
        if (!cancellation.dispatched || cancelGraceMs <= 0) return release();
        holding = true;
        held.add(release);
        const timer = setTimeout(release, cancelGraceMs);
        (timer as { unref?: () => void }).unref?.();
      });
      try {
        return await task();
      } finally {
        if (!holding) release();
      }
    },
    /** Slots in use now, held ones included (for tests). */
    get active(): number {
      return active;
    },
    /** Gives back the slots held after a cancellation (the client is closing). */
    close(): void {
      for (const release of [...held]) release();
    },
  };
}
