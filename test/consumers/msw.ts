// The same with types: the mock's .d.ts names msw's HttpHandler, so it must typecheck against each msw major.
import { setupServer } from "msw/node";
import { createMultiSafepay } from "multisafepay-kbc";
import { createMultiSafepayMock, type MultiSafepayMock } from "multisafepay-kbc/mock";

const mock: MultiSafepayMock = createMultiSafepayMock({ apiKey: "consumer-key-123" });
const server = setupServer(...mock.handlers);
server.listen();
const msp = createMultiSafepay({ apiKey: "consumer-key-123", environment: "test", fetch: mock.fetch });
export const created: Promise<string> = msp.orders
  .create({
    type: "redirect",
    order_id: "msw-ts",
    gateway: "KBC",
    currency: "EUR",
    amount: 1000,
    description: "msw ts",
  })
  .then((o) => o.payment_url);
server.close();
