// msp.orders: create (narrowed by flow) and get, with validation before sending and the lost-answer recovery.
import { InvalidResponseError } from "../errors.js";
import { readEnvelope, readObject } from "../envelope.js";
import type { Pipeline, RequestOptions } from "../pipeline.js";
import { lostCreate, readAnswer, recoverCreatedOrder, unreadableOrder } from "../retry.js";
import type { CreatedOrder, Order, OrderRequest } from "../types.js";
import { checkedOrder, idForPath } from "../validation.js";

type Flow = OrderRequest["type"];
type OrderOf<F extends Flow> = Extract<OrderRequest, { type: F }>;
type UnionToIntersection<U> = (U extends unknown ? (x: U) => void : never) extends (x: infer I) => void ? I : never;
/**
 * One overload per flow, derived from the spec's union (not a type parameter, under which TypeScript would let
 * a misspelt field through), and one for an order whose flow is only known at run time.
 */
export type CreateOrder = UnionToIntersection<
  { [F in Flow]: (order: OrderOf<F>, options?: RequestOptions) => Promise<CreatedOrder<OrderOf<F>>> }[Flow]
> &
  ((order: OrderRequest, options?: RequestOptions) => Promise<CreatedOrder<OrderRequest>>);

export interface Orders {
  /** Creates a KBC/CBC order. The result's type follows the order's `type`. */
  create: CreateOrder;
  /** Reads an order by your `order_id`. */
  get(orderId: string | number, options?: RequestOptions): Promise<Order>;
  /**
   * Cancels an order nobody has paid yet (`initialized`): it becomes void/void (KBC's status table), the payment link stops
   * working and no Second Chance e-mails go out. Not for paid orders: refund those.
   */
  cancel(orderId: string | number, options?: RequestOptions): Promise<void>;
}

export function ordersResource(pipeline: Pipeline, baseUrl: string): Orders {
  async function get(orderId: string | number, options?: RequestOptions): Promise<Order> {
    const order_id = idForPath(orderId, "getOrder", "order_id");
    const { answer } = await pipeline.call("getOrder", { path: { order_id } }, options);
    return readObject(answer, "order") as Order;
  }

  async function create(given: OrderRequest, options?: RequestOptions): Promise<CreatedOrder<OrderRequest>> {
    // From here on, the order is what is sent (and what a lost answer is recovered against).
    const order = checkedOrder(given, options) as OrderRequest;
    const { answer, earlierAttemptMayHaveArrived } = await pipeline.call("createOrder", { body: order }, options);
    let created: unknown;
    try {
      created = readEnvelope(answer).data;
    } catch (error) {
      const lost = lostCreate(error, earlierAttemptMayHaveArrived);
      if (!lost) throw error;
      const existing = await get(order.order_id, options).catch((cause) => {
        throw unreadableOrder(order, lost, cause, error);
      });
      created = recoverCreatedOrder(order, existing, error);
    }
    return withSafePaymentUrl(created, answer.status, baseUrl) as CreatedOrder<OrderRequest>;
  }

  async function cancel(orderId: string | number, options?: RequestOptions): Promise<void> {
    const order_id = idForPath(orderId, "cancelOrder", "order_id");
    const body = { status: "cancelled", exclude_order: true } as const;
    const sent = await pipeline.call("cancelOrder", { path: { order_id }, body }, options);
    readAnswer(sent, readEnvelope);
  }

  return { create: create as CreateOrder, get, cancel };
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
  const protocol = URL.canParse(paymentUrl) ? new URL(paymentUrl).protocol : "";
  if (!(protocol === "https:" || (protocol === "http:" && baseUrl.startsWith("http:")))) {
    throw new InvalidResponseError(status, "the payment_url is not an https URL");
  }
  return data;
}
