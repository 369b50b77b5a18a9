// The sandbox core's own request and answer: plain objects, not Fetch's `Request` and `Response`. The
// operation handlers read and write these; two adapters meet the outside: `fromRequest`/`toResponse` for the
// in-process mock (msw, the injected fetch), and the node:http server (server.ts), which builds a
// SandboxRequest from an IncomingMessage and writes an Answer straight to the socket. Converting every node:http
// request into a Fetch `Request` and the answer back was 35–45 % of the server's CPU (issue 21).

/** What a handler reads of a request. */
export interface SandboxRequest {
  /** Upper case, as the caller sent it (Fetch and node:http both normalise the usual ones). */
  method: string;
  /** The path under the API base, e.g. `/orders/o-1`; `/` for the base itself. Still %-encoded. */
  path: string;
  query: URLSearchParams;
  /** Header values by lower-case name (a Fetch `Headers` is one). */
  headers: { get(name: string): string | null; has(name: string): boolean };
  /** The body as text ("" for GET and HEAD). */
  body: string;
  /** The URL as the caller reached it (links in answers, the transaction pager's, point there). */
  reached(): URL;
}

/** What a handler answers. The body is text (JSON for every API answer). */
export interface Answer {
  status: number;
  headers: Readonly<Record<string, string>>;
  body: string;
}

const JSON_HEADERS: Readonly<Record<string, string>> = Object.freeze({ "content-type": "application/json" });

/** A JSON answer, as `Response.json` would make it. */
export function json(data: unknown, status = 200): Answer {
  return { status, headers: JSON_HEADERS, body: JSON.stringify(data) };
}

/** The Fetch adapter's way in: a Request to one of the sandbox's bases, `path` the part under that base. */
export async function fromRequest(request: Request, url: URL, path: string): Promise<SandboxRequest> {
  const body = request.method === "GET" || request.method === "HEAD" ? "" : await request.text();
  return { method: request.method, path, query: url.searchParams, headers: request.headers, body, reached: () => url };
}

/** The Fetch adapter's way out. */
export function toResponse(answer: Answer): Response {
  return new Response(answer.body, { status: answer.status, headers: answer.headers });
}
