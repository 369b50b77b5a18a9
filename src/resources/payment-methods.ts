// msp.paymentMethods: which payment methods (KBC, CBC, …) to offer for a country, currency and amount.
import { readList, readObject } from "../envelope.js";
import type { ApiPromise, Internal } from "../answered.js";
import type { Pipeline, RequestOptions } from "../pipeline.js";
import type { PaymentMethodInfo, PaymentMethodQuery } from "../types.js";
import { checkedQuery, idForPath } from "../validation.js";

export interface PaymentMethods {
  /** The methods the website offers, filtered by `country`, `currency`, `amount` (cents)… */
  list(query?: PaymentMethodQuery, options?: RequestOptions): ApiPromise<PaymentMethodInfo[]>;
  /** One method by id, e.g. "KBC". */
  get(id: string, options?: RequestOptions): ApiPromise<PaymentMethodInfo>;
}

export function paymentMethodsResource(pipeline: Pipeline): Internal<PaymentMethods> {
  return {
    async list(query = {}, options) {
      checkedQuery("listPaymentMethods", query);
      const sent = await pipeline.call("listPaymentMethods", { query }, options);
      return sent.read((answer) => readList(answer, "payment method list").data as PaymentMethodInfo[]);
    },
    async get(id, options) {
      const payment_method_id = idForPath(id, "getPaymentMethod", "payment_method_id");
      const sent = await pipeline.call("getPaymentMethod", { path: { payment_method_id } }, options);
      return sent.read((answer) => readObject(answer, "payment method") as PaymentMethodInfo);
    },
  };
}
