// msp.gateways: the payment methods enabled for the website.
import { readList } from "../envelope.js";
import type { Pipeline, RequestOptions } from "../pipeline.js";
import type { Gateway, GatewayQuery } from "../types.js";

export interface Gateways {
  list(query?: GatewayQuery, options?: RequestOptions): Promise<Gateway[]>;
}

export function gatewaysResource(pipeline: Pipeline): Gateways {
  return {
    async list(query, options) {
      const { answer } = await pipeline.call({ method: "GET", path: "/gateways", params: { query: query ?? {} } }, options);
      return readList(answer, "gateway list").data as Gateway[];
    },
  };
}
