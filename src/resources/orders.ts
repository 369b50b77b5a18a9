// msp.orders: create (narrowed by flow) and get, with validation before sending and the lost-answer recovery.
import { InvalidResponseError } from "../errors.js";
import { readEnvelope, readObject } from "../envelope.js";
import type { ApiPromise } from "../answered.js";
import type { Answered, Pipeline, RequestOptions, Sent } from "../pipeline.js";
import { lostCreate, recoverCreatedOrder, unreadableOrder } from "../retry.js";
import type { CreatedOrder, Order, OrderRequest } from "../types.js";
import { loadOrderCheck } from "../checks.js";
import { idForPath, wireJson } from "../validation.js";

type Flow = OrderRequest["type"];
type OrderOf<F extends Flow> = Extract<OrderRequest, { type: F }>;
type UnionToIntersection<U> = (U extends unknown ? (x: U) => void : never) extends (x: infer I) => void ? I : never;
/**
 * One overload per flow, derived from the spec's union (not a type parameter, under which TypeScript would let
 * a misspelt field through), and one for an order whose flow is only known at run time.
 */
export type CreateOrder = UnionToIntersection<
  { [F in Flow]: (order: OrderOf<F>, options?: RequestOptions) => ApiPromise<CreatedOrder<OrderOf<F>>> }[Flow]
> &
  ((order: OrderRequest, options?: RequestOptions) => ApiPromise<CreatedOrder<OrderRequest>>);

export interface Orders {
  /** Creates a KBC/CBC order. The result's type follows the order's `type`. */
  create: CreateOrder;
  /** Reads an order by your `order_id`. */
  get(orderId: string | number, options?: RequestOptions): ApiPromise<Order>;
  /**
   * Cancels an order nobody has paid yet (`initialized`): it becomes void/void (KBC's status table), the payment link stops
   * working and no Second Chance e-mails go out. Not for paid orders: refund those.
   */
  cancel(orderId: string | number, options?: RequestOptions): ApiPromise<void>;
}

/** The orders resource as made inside (create has one signature here; the overloads are the public type's). */
export interface InternalOrders {
  create(order: OrderRequest, options?: RequestOptions): Promise<Answered<CreatedOrder<OrderRequest>>>;
  get(orderId: string | number, options?: RequestOptions): Promise<Answered<Order>>;
  cancel(orderId: string | number, options?: RequestOptions): Promise<Answered<void>>;
}

export function ordersResource(pipeline: Pipeline, baseUrl: string): InternalOrders {
  async function get(orderId: string | number, options?: RequestOptions): Promise<Answered<Order>> {
    const order_id = idForPath(orderId, "getOrder", "order_id");
    const sent = await pipeline.call("getOrder", { path: { order_id } }, options);
    return sent.read((answer) => readObject(answer, "order") as Order);
  }

  async function create(given: OrderRequest, options?: RequestOptions): Promise<Answered<CreatedOrder<OrderRequest>>> {
    // From here on, the order is what is sent (and what a lost answer is recovered against).
    // Copied now, as the caller's order is at the call (checks.ts may still be loading its check).
    const wire = wireJson(given, "order");
    const check = loadOrderCheck();
    const { checkedOrder } = check instanceof Promise ? await check : check;
    // The check neither changes the copy nor returns another: the copy's text is the body that is sent.
    const order = checkedOrder(given, options, wire.copy) as OrderRequest;
    const sent = await pipeline.call("createOrder", { body: order, bodyText: wire.text }, options);
    // The payment_url check is part of reading (the call's outcome is its invalid_response), but a refused
    // payment_url is no lost answer: only an unreadable envelope is recovered.
    let enveloped = false;
    try {
      return sent.read(
        (answer) => {
          const { data } = readEnvelope(answer);
          enveloped = true;
          return withSafePaymentUrl(data, answer.status, baseUrl) as CreatedOrder<OrderRequest>;
        },
        // A lost answer may yet be recovered: the create's final event says how the call ends, not this answer.
        { holdFailure: true },
      );
    } catch (error) {
      try {
        const recovered = await recovering(order, sent, error, enveloped, options);
        sent.settle(undefined);
        return recovered;
      } catch (final) {
        sent.settle(final);
        throw final;
      }
    }
  }

  /** The create's own order, read back after its answer was lost; rejects with what the call ends with. */
  async function recovering(
    order: OrderRequest,
    sent: Sent,
    error: unknown,
    enveloped: boolean,
    options: RequestOptions | undefined,
  ): Promise<Answered<CreatedOrder<OrderRequest>>> {
    const lost = enveloped ? null : lostCreate(error, sent.earlierAttemptMayHaveArrived);
    if (!lost) throw error;
    const existing = await get(order.order_id, options).catch((cause) => {
      throw unreadableOrder(order, lost, cause, error);
    });
    const created = recoverCreatedOrder(order, existing.data, error);
    return {
      ...existing,
      // The call's id, as in the create's events (the read-back is a call of its own, with its own id).
      requestId: sent.requestId,
      data: withSafePaymentUrl(created, sent.answer.status, baseUrl) as CreatedOrder<OrderRequest>,
    };
  }

  async function cancel(orderId: string | number, options?: RequestOptions): Promise<Answered<void>> {
    const order_id = idForPath(orderId, "cancelOrder", "order_id");
    const body = { status: "cancelled", exclude_order: true } as const;
    const sent = await pipeline.call("cancelOrder", { path: { order_id }, body }, options);
    return { ...sent.read(readEnvelope), data: undefined };
  }

  return { create, get, cancel };
}

/**
 * Every flow answers with the `payment_url` the merchant sends the shopper to: it must be a web page, on
 * https (http only when the API itself is on http, a local sandbox). Anything else (`javascript:`, `data:`)
 * is not passed on.
 */
function withSafePaymentUrl(data: unknown, status: number, baseUrl: string): unknown {
  if (typeof data !== "object" || data === null || Array.isArray(data))
    throw new InvalidResponseError(status, "the created order is not an object");
  const paymentUrl = (data as { payment_url?: unknown }).payment_url;
  if (typeof paymentUrl !== "string") throw new InvalidResponseError(status, "the created order has no payment_url");
  // Parsed once (URL.canParse and then new URL parsed it twice, 3 % of a create's own cost): an unparsable
  // payment_url throws here, which only the refusal below pays for.
  let protocol = "";
  try {
    protocol = new URL(paymentUrl).protocol;
  } catch {
    // Not a URL: refused below, as any protocol but https (or http to an http API) is.
  }
  if (!(protocol === "https:" || (protocol === "http:" && baseUrl.startsWith("http:")))) {
    throw new InvalidResponseError(status, "the payment_url is not an https URL");
  }
  return data;
}
