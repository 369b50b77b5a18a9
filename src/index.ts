export { createMultiSafepay, ENVIRONMENTS } from "./client.js";
export type { ClientOptions, Environment, FetchLike, MultiSafepay, RequestOptions } from "./client.js";
export {
  ApiError,
  AuthenticationError,
  ConnectionError,
  InvalidResponseError,
  MultiSafepayError,
  OrderExistsError,
  OutcomeUnknownError,
  RequestAbortedError,
  SignatureVerificationError,
  TimeoutError,
  ValidationError,
  isMultiSafepayError,
} from "./errors.js";
export type { AnyMultiSafepayError, MultiSafepayErrorCode, SignatureFailureReason, ValidationIssue } from "./errors.js";
export type * from "./types.js";
