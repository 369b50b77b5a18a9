// What a fragment in README.md or docs/ may take without defining it: a block that starts with
// `// fragment: needs msp, order` is typechecked with these names imported from here (declared, never run).
// Each is what the surrounding prose of the docs describes; add a name here when a page needs a new one.
import type { IncomingMessage } from "node:http";
import type { MultiSafepay, Order, RedirectOrderRequest, RefundRequest } from "multisafepay-kbc";

/** A client, as `createMultiSafepay({ apiKey, environment: "test" })` gives. */
export declare const msp: MultiSafepay;
/** The order body of docs/creating-orders.md without its `type`. */
export declare const order: Omit<RedirectOrderRequest, "type">;
/** Your order id. */
export declare const orderId: string;
/** A refund body. */
export declare const refund: RefundRequest;
/** A notification's raw body, its Auth header, the website's API key. */
export declare const body: string;
export declare const rawBody: Uint8Array;
export declare const auth: string | undefined;
export declare const apiKey: string;
/** A node:http request, as your framework hands it over. */
export declare const request: IncomingMessage;
/** A Workers-style environment with the key. */
export declare const env: { MSP_API_KEY: string };
/** The shop's own functions the docs call. */
export declare function markPaid(orderId: string, status: Order["status"]): Promise<void>;
export declare function alreadyFulfilled(orderId: string): Promise<boolean>;
export declare function fulfil(orderId: string): Promise<void>;
export declare function recordRefund(orderId: string, amountRefunded: number): Promise<void>;
export declare function loadPaidKbcOrders(day: string): Promise<Iterable<[string, number]>>;
export declare function showButton(id: string, name: string, icon: string | undefined): void;
