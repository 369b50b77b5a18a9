// msp.gateways: the payment methods enabled for the website.
import { readList, readObject } from "../envelope.js";
import type { Pipeline, RequestOptions } from "../pipeline.js";
import type { Gateway, GatewayQuery } from "../types.js";
import { checkedQuery, idForPath } from "../validation.js";

export interface Gateways {
  list(query?: GatewayQuery, options?: RequestOptions): Promise<Gateway[]>;
  /** One gateway by id, e.g. "KBC" (not case-sensitive): `{ id, description }`. Unknown: `api_error` 1023. */
  get(id: string, options?: RequestOptions): Promise<Gateway>;
}

export function gatewaysResource(pipeline: Pipeline): Gateways {
  return {
    async list(query, options) {
      checkedQuery("listGateways", query);
      const { answer } = await pipeline.call("listGateways", { query: query ?? {} }, options);
      return readList(answer, "gateway list").data as Gateway[];
    },
    async get(id, options) {
      const gateway_id = idForPath(id, "getGateway", "gateway_id");
      const { answer } = await pipeline.call("getGateway", { path: { gateway_id } }, options);
      return readObject(answer, "gateway") as Gateway;
    },
  };
}
