// msp.paymentMethods: which payment methods (KBC, CBC, …) to offer for a country, currency and amount.
import { InvalidResponseError } from "../errors.js";
import { readEnvelope } from "../envelope.js";
import type { Pipeline, RequestOptions } from "../pipeline.js";
import type { PaymentMethodInfo, PaymentMethodQuery } from "../types.js";
import { idForPath } from "../validation.js";
import { anObject } from "./orders.js";

export interface PaymentMethods {
  /** The methods the website offers, filtered by `country`, `currency`, `amount` (cents)… */
  list(query?: PaymentMethodQuery, options?: RequestOptions): Promise<PaymentMethodInfo[]>;
  /** One method by id, e.g. "KBC". */
  get(id: string, options?: RequestOptions): Promise<PaymentMethodInfo>;
}

export function paymentMethodsResource(pipeline: Pipeline): PaymentMethods {
  return {
    async list(query = {}, options) {
      const { answer } = await pipeline.call({ method: "GET", path: "/payment-methods", params: { query } }, options);
      const { data } = readEnvelope(answer);
      if (!Array.isArray(data)) throw new InvalidResponseError(answer.status, "the payment method list is not an array");
      return data as PaymentMethodInfo[];
    },
    async get(id, options) {
      const payment_method_id = idForPath(id, "payment_method_id");
      const { answer } = await pipeline.call({ method: "GET", path: "/payment-methods/{payment_method_id}", params: { path: { payment_method_id } } }, options);
      return anObject(readEnvelope(answer).data, answer.status, "payment method") as PaymentMethodInfo;
    },
  };
}
