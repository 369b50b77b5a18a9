// msw consumer: the packed mock's handlers in an msw server, driven by the packed client, with whichever msw
// the consumer has installed (test/msw-versions.test.ts installs msw 2 or 3 beside the package).
import { existsSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { http, HttpResponse } from "msw";
import { setupServer } from "msw/node";
import { createMultiSafepay } from "multisafepay-kbc";
import { createMultiSafepayMock } from "multisafepay-kbc/mock";

// msw 3 exports no ./package.json: find it from the resolved entry.
let dir = dirname(fileURLToPath(import.meta.resolve("msw")));
while (
  !(existsSync(join(dir, "package.json")) && JSON.parse(readFileSync(join(dir, "package.json"), "utf8")).name === "msw")
)
  dir = dirname(dir);
const msw = { version: JSON.parse(readFileSync(join(dir, "package.json"), "utf8")).version, dir };

const mock = createMultiSafepayMock({ apiKey: "consumer-key-123" });
const notifications = [];
const server = setupServer(
  ...mock.handlers,
  http.post("https://shop.example/notify", async ({ request }) => {
    notifications.push({ auth: request.headers.get("auth"), body: await request.json() });
    return HttpResponse.text("OK");
  }),
);
server.listen({ onUnhandledRequest: "error" });
try {
  const msp = createMultiSafepay({ apiKey: "consumer-key-123", environment: "test" });
  const created = await msp.orders.create({
    type: "redirect",
    order_id: "msw-1",
    gateway: "KBC",
    currency: "EUR",
    amount: 1000,
    description: "msw consumer",
    payment_options: { notification_url: "https://shop.example/notify", notification_method: "POST" },
  });
  await mock.pay("msw-1", { status: "completed" });
  const order = await msp.orders.get("msw-1");
  let refused = "";
  try {
    await createMultiSafepay({ apiKey: "wrong-key-456", environment: "test", maxRetries: 0 }).orders.get("msw-1");
  } catch (e) {
    refused = `${e.code} ${e.status}`;
  }
  console.log(
    JSON.stringify({
      msw,
      payment_url: created.payment_url,
      status: order.status,
      notified: notifications.map((n) => [n.body.order_id ?? null, Boolean(n.auth)]),
      refused,
    }),
  );
} finally {
  server.close();
}
