// msp.refunds: refund a completed order, cancel a refund not yet passed to the bank. A refund is never sent
// twice once it may have reached MultiSafepay (retry.ts): a lost or unreadable answer is OutcomeUnknownError.
import { readEnvelope, readObject } from "../envelope.js";
import type { ApiPromise, Internal } from "../answered.js";
import type { Pipeline, RequestOptions } from "../pipeline.js";
import type { RefundCreated, RefundRequest } from "../types.js";
import type { components } from "../../generated/schema.js";

type CancelRefundRequest = components["schemas"]["CancelRefundRequest"];
import { loadBodyCheck } from "../checks.js";
import { idForPath, wireCopy } from "../validation.js";

export interface CancelRefundOptions extends RequestOptions {
  /** Why the refund was cancelled, kept with it. */
  description?: string;
}

export interface Refunds {
  /** Refunds all (omit `amount`) or part of a completed order. Resolves with the refund's ids. */
  create(orderId: string | number, refund: RefundRequest, options?: RequestOptions): ApiPromise<RefundCreated>;
  /** Cancels a refund while it is still `reserved` or `initialized` (KBC's status for it) (until MultiSafepay passes it to the bank at midnight). */
  cancel(orderId: string | number, refundId: string | number, options?: CancelRefundOptions): ApiPromise<void>;
}

export function refundsResource(pipeline: Pipeline): Internal<Refunds> {
  return {
    async create(orderId, refund, options) {
      const order_id = idForPath(orderId, "refundOrder", "order_id");
      const wire = wireCopy(refund, "refund");
      const check = loadBodyCheck();
      const { checkedBody } = check instanceof Promise ? await check : check;
      const body = checkedBody("RefundRequest", refund, "refund", options, wire) as RefundRequest;
      const sent = await pipeline.call("refundOrder", { path: { order_id }, body }, options);
      return sent.read((answer) => readObject(answer, "refund") as RefundCreated);
    },
    async cancel(orderId, refundId, options = {}) {
      const { description, ...requestOptions } = options;
      const path = {
        order_id: idForPath(orderId, "cancelRefund", "order_id"),
        refund_id: idForPath(refundId, "cancelRefund", "refund_id"),
      };
      const check = loadBodyCheck();
      const { checkedBody } = check instanceof Promise ? await check : check;
      const body = checkedBody(
        "CancelRefundRequest",
        { status: "void", ...(description === undefined ? {} : { description }) },
        "refund cancellation",
        requestOptions,
      ) as CancelRefundRequest;
      const sent = await pipeline.call("cancelRefund", { path, body }, requestOptions);
      return { ...sent.read(readEnvelope), data: undefined };
    },
  };
}
