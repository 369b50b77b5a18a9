// GET /gateways/{gateway_id} (getGateway): ids are not case-sensitive; an unknown one is 404 / 1023
// (MultiSafepay docs `paths/gateways@{gateway_id}.yaml`).
import { noGateway } from "../errors.js";
import { GATEWAYS } from "../gateways.js";
import { json } from "../exchange.js";
import type { OperationHandler } from "./context.js";

export const getGateway: OperationHandler = (_context, { params }) => {
  const found = GATEWAYS.find((g) => g.id === params.gateway_id!.toUpperCase());
  return found ? json({ success: true, data: found }) : noGateway();
};
