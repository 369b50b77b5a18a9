// The sandbox server against what a web page (or a caller) could make it do, over real HTTP on loopback:
// cross-site "simple" requests on the API, DNS rebinding (a Host it does not serve on), notification_url as
// a port scanner, and bodies past its limit. MultiSafepay's own clients' requests (the recorded headers of
// ../shared/fixtures/official-clients) and the curl of docs/testing.md keep working.
import { execFile } from "node:child_process";
import { readFileSync, writeFileSync } from "node:fs";
import { request as httpRequest, type IncomingHttpHeaders, type Server } from "node:http";
import { connect, type AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { createSandboxServer, MAX_BODY_BYTES } from "../src/mock/server.js";
import { createSandboxRoutes } from "../scripts/sandbox.mjs";
import { createDocsServer } from "../scripts/start.mjs";
import { runSandboxCli } from "../src/mock/cli.js";
import { projectRoot } from "./helpers/consumer.js";

const KEY = "guard-key-1";
let server: Server;
let origin: string;
let port: number;
let routes: ReturnType<typeof createSandboxRoutes>;

const listen = async (s: Server) => {
  await new Promise<void>((r) => s.listen(0, "127.0.0.1", r));
  return (s.address() as AddressInfo).port;
};
const close = (s: Server) => new Promise((r) => s.close(r));

beforeAll(async () => {
  routes = createSandboxRoutes();
  server = createDocsServer(docsFile(), routes);
  port = await listen(server);
  origin = `http://127.0.0.1:${port}`;
});
afterAll(() => close(server));

function docsFile(): string {
  const file = join(tmpdir(), "msp-guards-docs.html");
  writeFileSync(file, "<!doctype html><title>docs</title>");
  return file;
}

/** node:http, so that Host can be set (fetch may not). */
function raw(
  method: string,
  path: string,
  headers: Record<string, string>,
  body?: string,
  at = port,
): Promise<{ status: number; headers: IncomingHttpHeaders; text: string; json: () => any }> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(
      {
        host: "127.0.0.1",
        port: at,
        method,
        path,
        headers: { ...(body === undefined ? {} : { "content-length": String(Buffer.byteLength(body)) }), ...headers },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (c: Buffer) => chunks.push(c));
        res.on("end", () => {
          const text = Buffer.concat(chunks).toString("utf8");
          resolve({ status: res.statusCode!, headers: res.headers, text, json: () => JSON.parse(text) });
        });
      },
    );
    req.on("error", reject);
    req.end(body);
  });
}

let sequence = 0;
const order = (extra: Record<string, unknown> = {}) => ({
  type: "redirect",
  order_id: `guard-${++sequence}`,
  gateway: "KBC",
  currency: "EUR",
  amount: 1000,
  description: "Guard",
  ...extra,
});
const json = { "content-type": "application/json", api_key: KEY };
async function created(extra: Record<string, unknown> = {}): Promise<string> {
  const body = order(extra);
  const answer = await raw("POST", "/v1/json/orders", json, JSON.stringify(body));
  expect(answer.status).toBe(200);
  return body.order_id;
}
async function paidWithRefund(): Promise<{ orderId: string; refundId: string }> {
  const orderId = await created();
  await routes.mock.pay(orderId, { status: "completed" });
  const refund = await raw(
    "POST",
    `/v1/json/orders/${orderId}/refunds`,
    json,
    JSON.stringify({ currency: "EUR", amount: 100 }),
  );
  return { orderId, refundId: String(refund.json().data.refund_id) };
}

describe("the API refuses what a page on another site can send without a preflight", () => {
  // What <form method=post> or fetch(…, { mode: "no-cors", body: "…" }) on another origin sends: a
  // CORS-safelisted content type, the key in the query, and Origin (or "null") and Sec-Fetch-Site.
  const simple = [
    ["Origin of another site", { "content-type": "text/plain;charset=UTF-8", origin: "http://evil.example" }],
    [
      "Origin null (a sandboxed frame, a file: page)",
      { "content-type": "application/x-www-form-urlencoded", origin: "null" },
    ],
    ["Origin of another port on loopback", { "content-type": "text/plain", origin: "http://127.0.0.1:1" }],
    ["Sec-Fetch-Site: cross-site without Origin", { "content-type": "text/plain", "sec-fetch-site": "cross-site" }],
    [
      "Sec-Fetch-Site: same-site (another port of localhost)",
      { "content-type": "multipart/form-data; boundary=x", "sec-fetch-site": "same-site" },
    ],
  ] as const;

  it.each(simple)("POST /orders with %s: 403, no order", async (_name, headers) => {
    const body = order();
    const answer = await raw("POST", "/v1/json/orders?api_key=abcde", headers, JSON.stringify(body));
    expect(answer.status).toBe(403);
    expect(answer.json()).toMatchObject({
      success: false,
      data: {},
      error_code: expect.any(Number),
      error_info: expect.stringMatching(/cross-site request refused/),
    });
    expect(routes.mock.orders.get(body.order_id)).toBeUndefined();
  });

  it.each(simple)(
    "refunds, cancellations and refund cancellations with %s: 403, nothing changes",
    async (_name, headers) => {
      const { orderId, refundId } = await paidWithRefund();
      const unpaid = await created();
      const before = [routes.mock.orders.get(orderId), routes.mock.orders.get(unpaid)];
      const calls: [string, string, unknown][] = [
        ["POST", `/v1/json/orders/${orderId}/refunds?api_key=abcde`, { currency: "EUR", amount: 200 }],
        ["PATCH", `/v1/json/orders/${orderId}/refunds/${refundId}?api_key=abcde`, { status: "void" }],
        ["PATCH", `/v1/json/orders/${unpaid}?api_key=abcde`, { status: "cancelled", exclude_order: true }],
      ];
      for (const [method, path, body] of calls) {
        const answer = await raw(method, path, headers, JSON.stringify(body));
        expect(answer.status, `${method} ${path}`).toBe(403);
        expect(answer.json()).toMatchObject({ success: false, error_info: expect.stringMatching(/cross-site/) });
      }
      expect([routes.mock.orders.get(orderId), routes.mock.orders.get(unpaid)]).toEqual(before);
    },
  );

  it("takes MultiSafepay's clients' requests as recorded (PHP Guzzle, Python requests, Node axios): no Origin, JSON", async () => {
    const dir = "/work/shared/fixtures/official-clients";
    for (const client of ["php", "python", "node"]) {
      const recorded = readFileSync(join(dir, `${client}.jsonl`), "utf8")
        .split("\n")
        .filter(Boolean)
        .map((l) => JSON.parse(l));
      const create = recorded.find(
        (r) => r.method === "POST" && r.path.startsWith("/v1/json/orders") && r.status === 200,
      );
      expect(create, client).toBeDefined();
      const headers: Record<string, string> = {};
      for (const [name, value] of Object.entries(create.headers as Record<string, string>))
        headers[name] = value.replace("<api-key>", KEY);
      const body = JSON.parse(create.body);
      body.order_id = `${client}-guard-${++sequence}`;
      const answer = await raw("POST", create.path, headers, JSON.stringify(body));
      expect(answer.status, client).toBe(200);
      expect(answer.json(), client).toMatchObject({ success: true, data: { order_id: body.order_id } });
    }
  });

  it("takes the curl of docs/testing.md, and same-origin requests", async () => {
    const page = readFileSync(join(projectRoot, "docs/testing.md"), "utf8");
    expect(page).toContain(
      "curl -X POST http://127.0.0.1:4010/v1/json/orders -H 'api_key: any-key' -H 'content-type: application/json'",
    );
    const body = JSON.stringify(order());
    const { stdout } = await promisify(execFile)("curl", [
      "-s",
      "-X",
      "POST",
      `${origin}/v1/json/orders`,
      "-H",
      "api_key: any-key",
      "-H",
      "content-type: application/json",
      "-d",
      body,
    ]);
    expect(JSON.parse(stdout)).toMatchObject({ success: true });
    const same = await raw(
      "POST",
      "/v1/json/orders",
      { ...json, origin, "sec-fetch-site": "same-origin" },
      JSON.stringify(order()),
    );
    expect(same.status).toBe(200);
  });
});

describe("DNS rebinding: only the hosts the sandbox serves on", () => {
  const evil = () => `evil.example:${port}`;

  it("refuses a page that reached it as evil.example (Host and Origin alike): no payment, no overview, no API", async () => {
    const orderId = await created();
    const pay = await raw(
      "POST",
      `/sandbox/orders/${orderId}/pay`,
      { host: evil(), origin: `http://${evil()}`, "content-type": "application/json" },
      JSON.stringify({ status: "completed" }),
    );
    expect(pay.status).toBe(403);
    expect(pay.text).toMatch(/Host evil\.example is not one the sandbox serves on.*--allow-host evil\.example/);
    expect(routes.mock.orders.get(orderId)?.status).toBe("initialized");
    expect((await raw("GET", "/sandbox", { host: evil() })).status).toBe(403);
    expect((await raw("GET", "/sandbox/orders", { host: evil() })).status).toBe(403);
    expect((await raw("GET", "/", { host: evil() })).status).toBe(403); // the docs page of npm start too
    const api = await raw("GET", `/v1/json/orders/${orderId}`, { host: evil(), api_key: KEY });
    expect(api.status).toBe(403);
    expect(api.json()).toMatchObject({
      success: false,
      data: {},
      error_info: expect.stringMatching(/MSP_SANDBOX_ALLOW_HOSTS/),
    });
  });

  it.each(["localhost", "LOCALHOST", "127.0.0.1", "127.0.0.2", "[::1]", "shop.localhost"])(
    "answers Host %s",
    async (name) => {
      expect((await raw("GET", "/v1/json/gateways", { host: `${name}:${port}`, api_key: KEY })).status).toBe(200);
      expect((await raw("GET", "/sandbox", { host: `${name}:${port}` })).status).toBe(200);
    },
  );

  it("answers the names given with allowHosts (what --allow-host and MSP_SANDBOX_ALLOW_HOSTS pass)", async () => {
    const other = createDocsServer(docsFile(), createSandboxRoutes({ allowHosts: ["sandbox", "Shop.Test:8080"] }));
    const at = await listen(other);
    try {
      for (const host of ["sandbox", "shop.test"])
        expect(
          (await raw("GET", "/v1/json/gateways", { host: `${host}:${at}`, api_key: KEY }, undefined, at)).status,
          host,
        ).toBe(200);
      expect(
        (await raw("GET", "/v1/json/gateways", { host: `evil.example:${at}`, api_key: KEY }, undefined, at)).status,
      ).toBe(403);
    } finally {
      await close(other);
    }
  });

  it("the bin takes --allow-host and MSP_SANDBOX_ALLOW_HOSTS, and refuses a list entry that is no host name", async () => {
    const lines: string[] = [];
    const io = {
      out: (l: string) => lines.push(l),
      err: (l: string) => lines.push(l),
      env: { MSP_SANDBOX_ALLOW_HOSTS: "from-env" },
    };
    const started = await runSandboxCli(["--port", "0", "--allow-host", "sandbox,shop"], io);
    expect(typeof started).toBe("object");
    const bin = started as Server;
    try {
      const at = (bin.address() as AddressInfo).port;
      for (const host of ["sandbox", "shop", "from-env"])
        expect((await raw("GET", "/sandbox", { host: `${host}:${at}` }, undefined, at)).status, host).toBe(200);
      expect((await raw("GET", "/sandbox", { host: `evil.example:${at}` }, undefined, at)).status).toBe(403);
    } finally {
      await close(bin);
    }
    expect(await runSandboxCli(["--allow-host", "a/b"], io)).toBe(2);
    expect(lines.at(-1)).toMatch(/--allow-host .*"a\/b" is not a host name/);
  });
});

describe("notification_url: loopback only, unless allowed", () => {
  /** Stands in for every host that is not loopback: nothing leaves the machine, and each attempt is seen. */
  function interceptRemote() {
    const reached: string[] = [];
    const real = globalThis.fetch;
    vi.spyOn(globalThis, "fetch").mockImplementation(async (input, init) => {
      const url = new URL(input instanceof Request ? input.url : String(input));
      if (url.hostname === "127.0.0.1" || url.hostname === "localhost") return real(input, init);
      reached.push(url.href);
      return new Response("OK");
    });
    return reached;
  }

  it("does not deliver to another host: the pay answer and the overview's order say why", async () => {
    const reached = interceptRemote();
    const orderId = await created({
      payment_options: { notification_url: "http://10.0.0.7:22/notify", notification_method: "POST" },
    });
    const pay = await fetch(`${origin}/sandbox/orders/${orderId}/pay`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ status: "completed" }),
    });
    const { notification } = await pay.json();
    expect(notification).toMatchObject({
      url: "http://10.0.0.7:22/notify",
      method: "POST",
      attempts: 0,
      acknowledged: false,
      refused: expect.stringMatching(/only to loopback .*--allow-notify 10\.0\.0\.7 .*MSP_SANDBOX_ALLOW_NOTIFY/),
    });
    const view = (await (await fetch(`${origin}/sandbox/orders`)).json()) as {
      order_id: string;
      notification_refused: string | null;
    }[];
    expect(view.find((o) => o.order_id === orderId)?.notification_refused).toMatch(
      /^notification_url http:\/\/10\.0\.0\.7:22\/notify: not delivered/,
    );
    // A refund's notification is not sent there either.
    await (
      await fetch(`${origin}/v1/json/orders/${orderId}/refunds`, {
        method: "POST",
        headers: json,
        body: JSON.stringify({ currency: "EUR", amount: 100 }),
      })
    ).json();
    await routes.sandbox.notificationsDelivered();
    expect(reached).toEqual([]);
  });

  it("does not deliver to a *.localhost name either (the sandbox's resolver may ask upstream DNS)", async () => {
    const reached = interceptRemote();
    const orderId = await created({
      payment_options: { notification_url: "http://shop.localhost:9/notify", notification_method: "POST" },
    });
    const pay = await fetch(`${origin}/sandbox/orders/${orderId}/pay`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ status: "completed" }),
    });
    expect((await pay.json()).notification).toMatchObject({
      attempts: 0,
      acknowledged: false,
      refused: expect.any(String),
    });
    expect(reached).toEqual([]);
  });

  it("closes the connection of a request whose body no route reads, instead of draining it", async () => {
    const socket = connect(port, "127.0.0.1");
    await new Promise((resolve) => socket.once("connect", resolve));
    let answer = "";
    socket.on("data", (chunk) => (answer += chunk));
    const closed = new Promise((resolve) => socket.once("close", resolve));
    socket.write(
      `POST /sandbox/refunds/settle HTTP/1.1\r\nhost: 127.0.0.1:${port}\r\ncontent-type: application/json\r\ntransfer-encoding: chunked\r\n\r\n`,
    );
    // Keep streaming after the answer: the sandbox must hang up rather than read on.
    const chunk = `4000\r\n${"x".repeat(0x4000)}\r\n`;
    let written = 0;
    const pump = setInterval(() => {
      if (socket.destroyed || written > 8 * MAX_BODY_BYTES) return clearInterval(pump);
      socket.write(chunk);
      written += chunk.length;
    }, 1);
    await closed;
    clearInterval(pump);
    expect(answer).toMatch(/^HTTP\/1\.1 200/);
    expect(written).toBeLessThan(8 * MAX_BODY_BYTES);
  });

  it("delivers to loopback by default, and to the hosts given with allowNotify", async () => {
    const reached = interceptRemote();
    const other = createDocsServer(docsFile(), createSandboxRoutes({ allowNotify: ["shop.example"] }));
    const at = await listen(other);
    try {
      const body = order({
        payment_options: { notification_url: "http://shop.example:8080/notify", notification_method: "POST" },
      });
      await fetch(`http://127.0.0.1:${at}/v1/json/orders`, {
        method: "POST",
        headers: json,
        body: JSON.stringify(body),
      });
      const { notification } = await (
        await fetch(`http://127.0.0.1:${at}/sandbox/orders/${body.order_id}/pay`, {
          method: "POST",
          headers: { "content-type": "application/json" },
          body: JSON.stringify({ status: "completed" }),
        })
      ).json();
      expect(notification).toMatchObject({ acknowledged: true, attempts: 1 });
      expect(notification.refused).toBeUndefined();
      expect(reached).toEqual([expect.stringMatching(/^http:\/\/shop\.example:8080\/notify\?transactionid=/)]);
    } finally {
      await close(other);
    }
    // Loopback: the sandbox's own origin answers 404 to /notify, so the delivery is attempted and not acknowledged.
    const local = await created({
      payment_options: { notification_url: `${origin}/notify`, notification_method: "GET" },
    });
    const { notification } = await routes.mock.pay(local, { status: "completed" });
    expect(notification).toMatchObject({ acknowledged: false, attempts: 4 });
    expect(notification?.refused).toBeUndefined();
  });
});

describe("the in-process mock's notifications", () => {
  it("go to any notification_url through your fetch by default, and follow allowNotify when given", async () => {
    const { createMultiSafepayMock } = await import("../src/mock/index.js");
    const reached: string[] = [];
    const fetch = async (request: Request) => (reached.push(request.url), new Response("OK"));
    const notification_url = "https://shop.example/notify";
    for (const allowNotify of [undefined, ["shop.example"], []] as const) {
      const mock = createMultiSafepayMock({ fetch, ...(allowNotify ? { allowNotify } : {}) });
      const body = order({ payment_options: { notification_url, notification_method: "POST" } });
      await mock.fetch(
        new Request("https://testapi.multisafepay.com/v1/json/orders", {
          method: "POST",
          headers: json,
          body: JSON.stringify(body),
        }),
      );
      const { notification } = await mock.pay(body.order_id, { status: "completed" });
      const refused = allowNotify?.length === 0;
      expect(notification, String(allowNotify)).toMatchObject({ acknowledged: !refused, attempts: refused ? 0 : 1 });
      expect(mock.orders.notificationRefused(body.order_id) !== null).toBe(refused);
    }
    expect(reached).toHaveLength(2);
  });
});

describe(`request bodies past ${MAX_BODY_BYTES} bytes`, () => {
  /** A raw connection: sends the head and then body bytes until the sandbox answers or closes; never more than `cap`. */
  function oversized(
    at: number,
    method: string,
    path: string,
    { declared, contentType = "application/json" }: { declared: boolean; contentType?: string },
  ) {
    return new Promise<{ head: string; body: string; sent: number; closed: boolean }>((resolve, reject) => {
      const socket = connect(at, "127.0.0.1");
      const chunk = Buffer.alloc(64 * 1024, 0x20);
      const cap = 64 * 1024 * 1024;
      let sent = 0;
      let answer = "";
      const framing = declared ? `content-length: ${256 * 1024 * 1024}` : "transfer-encoding: chunked";
      socket.on("connect", () => {
        socket.write(
          `${method} ${path} HTTP/1.1\r\nhost: 127.0.0.1:${at}\r\napi_key: ${KEY}\r\ncontent-type: ${contentType}\r\n${framing}\r\n\r\n`,
        );
        const pump = () => {
          while (!answer && sent < cap && !socket.destroyed) {
            const ok = socket.write(
              declared
                ? chunk
                : Buffer.concat([Buffer.from(`${chunk.length.toString(16)}\r\n`), chunk, Buffer.from("\r\n")]),
            );
            sent += chunk.length;
            if (!ok) return void socket.once("drain", pump);
          }
        };
        // With a Content-Length above the limit, the answer must come before any of the body is sent.
        if (declared) setTimeout(pump, 300);
        else pump();
      });
      socket.on("data", (d) => (answer += d.toString("latin1")));
      socket.on("error", () => {});
      socket.on("close", () => {
        const [head = "", body = ""] = answer.split("\r\n\r\n");
        resolve({ head, body, sent, closed: true });
      });
      setTimeout(
        () => reject(new Error(`no close after sending ${sent} bytes; answer: ${answer.slice(0, 200)}`)),
        15_000,
      ).unref();
    });
  }

  const servers: [
    string,
    () => Promise<{ at: number; stop: () => Promise<unknown>; routes: { mock: typeof routes.mock } }>,
  ][] = [
    ["npm start (createDocsServer)", async () => ({ at: port, stop: async () => undefined, routes })],
    [
      "the bin (createSandboxServer)",
      async () => {
        const s = createSandboxServer();
        return { at: await listen(s), stop: () => close(s), routes: s.routes };
      },
    ],
  ];

  it.each(servers)(
    "%s answers 413 with an envelope on every route that reads a body, and closes the connection",
    async (_name, start) => {
      const { at, stop, routes: r } = await start();
      try {
        const create = await raw("POST", "/v1/json/orders", json, JSON.stringify(order()), at);
        expect(create.status).toBe(200);
        const orderId = create.json().data.order_id as string;
        const session = new URL(create.json().data.payment_url).pathname;
        const paths: [string, string, string?][] = [
          ["POST", "/v1/json/orders"],
          ["PATCH", `/v1/json/orders/${orderId}`],
          ["POST", `/v1/json/orders/${orderId}/refunds`],
          ["PATCH", `/v1/json/orders/${orderId}/refunds/1`],
          ["POST", `/sandbox/orders/${orderId}/pay`],
          ["POST", `/sandbox/orders/${orderId}/refunds`],
          ["POST", session, "application/x-www-form-urlencoded"],
        ];
        for (const [method, path, contentType] of paths) {
          for (const declared of [true, false]) {
            const what = `${method} ${path} ${declared ? "Content-Length" : "chunked"}`;
            const { head, body, sent } = await oversized(at, method, path, {
              declared,
              ...(contentType ? { contentType } : {}),
            });
            expect(head, what).toMatch(/^HTTP\/1\.1 413 /);
            expect(head.toLowerCase(), what).toContain("connection: close");
            expect(JSON.parse(body), what).toEqual({
              success: false,
              data: {},
              error_code: 9999,
              error_info: expect.stringContaining(`larger than ${MAX_BODY_BYTES} bytes`),
            });
            // Refused from the header alone, or soon after the limit: the rest is never read.
            if (declared) expect(sent, what).toBeLessThan(8 * 1024 * 1024);
            else expect(sent, what).toBeLessThan(32 * 1024 * 1024);
          }
        }
        expect(r.mock.orders.get(orderId)?.status).toBe("initialized");
      } finally {
        await stop();
      }
    },
    60_000,
  );
});
