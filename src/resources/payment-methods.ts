// msp.paymentMethods: which payment methods (KBC, CBC, …) to offer for a country, currency and amount.
import { readList, readObject } from "../envelope.js";
import type { Pipeline, RequestOptions } from "../pipeline.js";
import type { PaymentMethodInfo, PaymentMethodQuery } from "../types.js";
import { checkedQuery, idForPath } from "../validation.js";

export interface PaymentMethods {
  /** The methods the website offers, filtered by `country`, `currency`, `amount` (cents)… */
  list(query?: PaymentMethodQuery, options?: RequestOptions): Promise<PaymentMethodInfo[]>;
  /** One method by id, e.g. "KBC". */
  get(id: string, options?: RequestOptions): Promise<PaymentMethodInfo>;
}

export function paymentMethodsResource(pipeline: Pipeline): PaymentMethods {
  return {
    async list(query = {}, options) {
      checkedQuery("listPaymentMethods", query);
      const { answer } = await pipeline.call("listPaymentMethods", { query }, options);
      return readList(answer, "payment method list").data as PaymentMethodInfo[];
    },
    async get(id, options) {
      const payment_method_id = idForPath(id, "getPaymentMethod", "payment_method_id");
      const { answer } = await pipeline.call("getPaymentMethod", { path: { payment_method_id } }, options);
      return readObject(answer, "payment method") as PaymentMethodInfo;
    },
  };
}
