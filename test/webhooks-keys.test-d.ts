// Type-level tests (vitest typecheck) of the notification functions' inputs: node:http's Auth header type and
// a list of keys compile, on both builds of the webhooks entry point; what is not a key or a header does not.
import type { IncomingMessage } from "node:http";
import { describe, expectTypeOf, it } from "vitest";
import type { Order } from "../src/index.js";
import * as nodeBuild from "../src/webhooks-node.js";
import {
  readNotification,
  verifyNotification,
  type AuthHeader,
  type NotificationKeys,
  type ReadNotificationOptions,
  type VerifyOptions,
} from "../src/webhooks.js";

declare const req: IncomingMessage;
declare const body: Buffer;
declare const request: Request;

describe("verifyNotification", () => {
  it("takes node:http's req.headers.auth (string | string[] | undefined) as it is", () => {
    expectTypeOf(req.headers.auth).toEqualTypeOf<string | string[] | undefined>();
    expectTypeOf(verifyNotification({ body, auth: req.headers.auth, apiKey: "key" })).resolves.toEqualTypeOf<Order>();
    expectTypeOf(
      nodeBuild.verifyNotification({ body, auth: req.headers.auth, apiKey: "key" }),
    ).resolves.toEqualTypeOf<Order>();
    expectTypeOf(
      verifyNotification({ body, auth: request.headers.get("auth"), apiKey: "key" }),
    ).resolves.toEqualTypeOf<Order>();
    expectTypeOf<string | string[] | null | undefined>().toExtend<AuthHeader>();
  });

  it("takes one key, a list of keys, or a readonly tuple of them", () => {
    const rotating = [process.env.MSP_API_KEY ?? "", process.env.MSP_OLD_API_KEY ?? ""];
    verifyNotification({ body, auth: req.headers.auth, apiKey: rotating });
    verifyNotification({ body, auth: req.headers.auth, apiKey: ["new-key", "old-key"] as const });
    nodeBuild.verifyNotification({ body, auth: req.headers.auth, apiKey: rotating });
    expectTypeOf<VerifyOptions["apiKey"]>().toEqualTypeOf<NotificationKeys>();
    expectTypeOf<NotificationKeys>().toEqualTypeOf<string | readonly string[]>();
  });

  it("does not take what is not a key or a header", () => {
    // @ts-expect-error a key is a string
    verifyNotification({ body, auth: req.headers.auth, apiKey: [1, 2] });
    // @ts-expect-error the header is a string (or node:http's list of them)
    verifyNotification({ body, auth: 42, apiKey: "key" });
    // @ts-expect-error one options object, not positional arguments
    verifyNotification(body, req.headers.auth, "key");
    // @ts-expect-error a Request is readNotification's
    verifyNotification(request);
  });
});

describe("readNotification", () => {
  it("takes a list of keys", () => {
    expectTypeOf(readNotification(request, { apiKey: ["new-key", "old-key"] })).toBeObject();
    expectTypeOf(nodeBuild.readNotification(request, { apiKey: ["new-key", "old-key"] as const })).toBeObject();
    expectTypeOf<ReadNotificationOptions["apiKey"]>().toEqualTypeOf<NotificationKeys>();
  });
});
