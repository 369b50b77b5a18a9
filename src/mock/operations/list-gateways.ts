// GET /gateways (listGateways): KBC and CBC, for Belgium (another `country` has none).
import { GATEWAYS } from "../gateways.js";
import { json } from "../exchange.js";
import type { OperationHandler } from "./context.js";

export const listGateways: OperationHandler = (_context, { request }) => {
  const country = request.query.get("country");
  return json({ success: true, data: country && country !== "BE" ? [] : GATEWAYS });
};
