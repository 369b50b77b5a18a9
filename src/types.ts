// Public types, all derived from the spec's generated types.
import type { components, paths, webhooks } from "../generated/schema.js";

type Schemas = components["schemas"];

export type { components, paths, webhooks };
export type OrderRequest = Schemas["OrderRequest"];
export type RedirectOrderRequest = Schemas["RedirectOrderRequest"];
export type DirectOrderRequest = Schemas["DirectOrderRequest"];
export type PaymentLinkOrderRequest = Schemas["PaymentLinkOrderRequest"];
export type RedirectOrderCreated = Schemas["RedirectOrderCreated"];
export type DirectOrderCreated = Schemas["DirectOrderCreated"];
export type Order = Schemas["Order"];
export type OrderStatus = Schemas["OrderStatus"];
export type Gateway = Schemas["Gateway"];
export type GatewayQuery = NonNullable<paths["/gateways"]["get"]["parameters"]["query"]>;

/**
 * What `orders.create` resolves to: the answer's shape follows the order's `type`. A `paymentlink` order is
 * answered like a `redirect` order ({ order_id, payment_url, session_id }).
 */
export type CreatedOrder<T extends OrderRequest> = T extends { type: infer Flow }
  ? Flow extends "direct"
    ? DirectOrderCreated
    : RedirectOrderCreated
  : never;

export type Transaction = Schemas["Transaction"];
export type TransactionQuery = NonNullable<paths["/transactions"]["get"]["parameters"]["query"]>;
/** One page of `GET /transactions`: the transactions and where the neighbouring pages are. */
export type TransactionPage = Pick<Schemas["TransactionListResponse"], "data" | "pager">;
export type PaymentMethodInfo = Schemas["PaymentMethodInfo"];
export type PaymentMethodQuery = NonNullable<paths["/payment-methods"]["get"]["parameters"]["query"]>;

export type RefundRequest = Schemas["RefundRequest"];
export type RefundCreated = Schemas["RefundCreated"];
export type CancelRefundRequest = Schemas["CancelRefundRequest"];
export type CancelOrderRequest = Schemas["CancelOrderRequest"];
