// A Sender over any fetch: the global one (Bun, Deno, workers, browsers) or the `fetch` option.
import { InvalidResponseError } from "../errors.js";
import {
  createLimiter,
  declaredTooLarge,
  neverConnected,
  SendFailure,
  tooLarge,
  type AttemptLimits,
  type Incoming,
  type Outgoing,
  type Sender,
} from "./sender.js";

export type FetchLike = (input: Request) => Promise<Response>;

/**
 * How long an attempt abandoned after it was handed to fetch (its timeout, or the caller's abort) keeps its
 * slot. Node's fetch (undici) closes the aborted socket but opens another in its place, idle for its 4 s
 * keep-alive timeout; without this, a server that stalls answers made one client with maxSockets 32 hold
 * thousands of connections. With it, connections stay within maxSockets plus a few (README: Hostile servers).
 */
export const ABORT_GRACE_MS = 5_000;

export function createFetchSender(fetch: FetchLike, maxConcurrency: number, abortGraceMs = ABORT_GRACE_MS): Sender {
  const limiter = createLimiter(maxConcurrency, abortGraceMs);
  return {
    send: (outgoing, limits) => limiter.run(() => sendOnce(fetch, outgoing, limits), limits.cancellation),
    close: async () => limiter.close(),
  };
}

async function sendOnce(
  fetch: FetchLike,
  outgoing: Outgoing,
  { cancellation, maxResponseBytes }: AttemptLimits,
): Promise<Incoming> {
  const controller = new AbortController();
  cancellation.onCancel(() => controller.abort());
  let response: Response;
  try {
    // "manual": a 3xx comes back as it is (the pipeline refuses it) instead of taking the api_key header
    // to wherever it points.
    const request = new Request(outgoing.url, {
      method: outgoing.method,
      headers: outgoing.headers,
      body: outgoing.body ?? null,
      signal: controller.signal,
      redirect: "manual",
    });
    cancellation.dispatched = true;
    response = await fetch(request);
  } catch (cause) {
    throw new SendFailure(!neverConnected(cause), "fetch failed", { cause });
  }
  // A fetch that ignores `redirect: "manual"` has already followed it: its answer is not MultiSafepay's.
  if (response.redirected || response.type === "opaqueredirect") {
    void response.body?.cancel().catch(() => {});
    throw new InvalidResponseError(response.status || 302, "a redirect, which is never followed");
  }
  return { status: response.status, headers: response.headers, body: await readCapped(response, maxResponseBytes) };
}

async function readCapped(response: Response, max: number): Promise<string> {
  if (declaredTooLarge(response.headers.get("content-length"), max)) {
    void response.body?.cancel().catch(() => {});
    throw tooLarge(response.status, max);
  }
  if (!response.body) return "";
  const reader = response.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      size += value.byteLength;
      if (size > max) {
        void reader.cancel().catch(() => {});
        throw tooLarge(response.status, max);
      }
      chunks.push(value);
    }
  } catch (cause) {
    if (cause instanceof InvalidResponseError) throw cause;
    throw new SendFailure(true, "the answer was cut short", { cause });
  }
  return decode(chunks, size);
}

const decoder = new TextDecoder();

function decode(chunks: Uint8Array[], size: number): string {
  if (chunks.length === 1) return decoder.decode(chunks[0]);
  const all = new Uint8Array(size);
  let offset = 0;
  for (const chunk of chunks) {
    all.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return decoder.decode(all);
}
