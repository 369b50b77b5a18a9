// Where the sandbox finds the API key: every place MultiSafepay's own clients put it. The `api_key` header
// (its docs, PHP SDK, node wrapper), the `?api_key=` query (its published spec, its curl examples), and
// `Authorization: Bearer` (its Python SDK). A refusal says what is wrong: a key in a place MultiSafepay does
// not read is a placement problem, not a bad key.
import { apiKeyProblem } from "../api-key.js";
import type { SandboxRequest } from "./exchange.js";

export type ApiKeyLookup = { key: string } | { problem: string };

/** Near misses of the three forms, each with what to send instead. */
const MISPLACED_HEADERS: [header: string, advice: string][] = [
  [
    "x-api-key",
    "the key is in an X-Api-Key header; MultiSafepay reads the api_key header, ?api_key= or Authorization: Bearer",
  ],
  ["api-key", "the key is in an Api-Key header; MultiSafepay reads the api_key header (with an underscore)"],
  ["apikey", "the key is in an ApiKey header; MultiSafepay reads the api_key header (with an underscore)"],
];

export function findApiKey({ headers, query }: Pick<SandboxRequest, "headers" | "query">): ApiKeyLookup {
  const found: [where: string, value: string][] = [];
  const header = headers.get("api_key");
  if (header !== null) found.push(["api_key header", header]);
  if (query.has("api_key")) found.push(["api_key query parameter", query.get("api_key") ?? ""]);
  const authorization = headers.get("authorization");
  if (authorization !== null) {
    const bearer = /^Bearer\s+(.*)$/i.exec(authorization.trim());
    if (bearer) found.push(["Authorization header", bearer[1]!]);
    else if (!found.length)
      return { problem: 'the Authorization header must be "Bearer <API key>" (or send the api_key header)' };
  }
  if (!found.length) {
    const misplaced = MISPLACED_HEADERS.find(([name]) => headers.has(name));
    if (misplaced) return { problem: misplaced[1] };
    if (query.has("apikey") || query.has("api-key"))
      return { problem: "the query parameter is spelt api_key (with an underscore)" };
    return { problem: "no API key: send the api_key header, ?api_key= or Authorization: Bearer <key>" };
  }
  const values = new Set(found.map(([, value]) => value.trim()));
  if (values.size > 1) return { problem: `different API keys in the ${found.map(([where]) => where).join(" and ")}` };
  const [where, value] = found[0]!;
  const problem = apiKeyProblem(value);
  return problem ? { problem: `${problem}, sent in the ${where}` } : { key: value.trim() };
}
