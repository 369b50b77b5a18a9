// An msw server that fails on any request no handler expects, and records what the client sent.
import { setupServer } from "msw/node";
import { afterAll, afterEach, beforeAll } from "vitest";
import { validateAt } from "./spec.js";

export interface Sent {
  method: string;
  url: URL;
  headers: Headers;
  body: unknown;
}

export function useMswServer() {
  const server = setupServer();
  const sent: Sent[] = [];
  server.events.on("request:start", async ({ request }) => {
    const entry: Sent = {
      method: request.method,
      url: new URL(request.url),
      headers: request.headers,
      body: undefined,
    };
    sent.push(entry);
    const text = await request.clone().text();
    entry.body = text ? JSON.parse(text) : undefined;
  });
  beforeAll(() => server.listen({ onUnhandledRequest: "error" }));
  afterEach(() => {
    server.resetHandlers();
    sent.length = 0;
  });
  afterAll(() => server.close());
  return { server, sent };
}

/** Throws unless `body` is valid for the schema at `pointer`; handlers answer only what the spec allows. */
export function specChecked<T>(pointer: string, body: T): T {
  const { valid, errors } = validateAt(pointer, body);
  if (!valid) throw new Error(`not valid against ${pointer}: ${JSON.stringify(errors)}`);
  return body;
}
