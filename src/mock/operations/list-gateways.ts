// GET /gateways (listGateways): KBC and CBC, for Belgium (another `country` has none).
import { GATEWAYS } from "../gateways.js";
import type { OperationHandler } from "./context.js";

export const listGateways: OperationHandler = (_context, { url }) => {
  const country = url.searchParams.get("country");
  return Response.json({ success: true, data: country && country !== "BE" ? [] : GATEWAYS });
};
