// msp.gateways: the payment methods enabled for the website.
import { readList, readObject } from "../envelope.js";
import type { ApiPromise, Internal } from "../answered.js";
import type { Pipeline, RequestOptions } from "../pipeline.js";
import type { Gateway, GatewayQuery } from "../types.js";
import { checkedQuery, idForPath } from "../validation.js";

export interface Gateways {
  list(query?: GatewayQuery, options?: RequestOptions): ApiPromise<Gateway[]>;
  /** One gateway by id, e.g. "KBC" (not case-sensitive): `{ id, description }`. Unknown: `api_error` 1023. */
  get(id: string, options?: RequestOptions): ApiPromise<Gateway>;
}

export function gatewaysResource(pipeline: Pipeline): Internal<Gateways> {
  return {
    async list(query, options) {
      checkedQuery("listGateways", query);
      const sent = await pipeline.call("listGateways", { query: query ?? {} }, options);
      return sent.read((answer) => readList(answer, "gateway list").data as Gateway[]);
    },
    async get(id, options) {
      const gateway_id = idForPath(id, "getGateway", "gateway_id");
      const sent = await pipeline.call("getGateway", { path: { gateway_id } }, options);
      return sent.read((answer) => readObject(answer, "gateway") as Gateway);
    },
  };
}
