export { createMultiSafepay, ENVIRONMENTS } from "./client.js";
export type { AppInfo, ClientOptions, Environment, FetchLike, MultiSafepay, RequestOptions } from "./client.js";
export type { ApiPromise, WithResponse } from "./answered.js";
export type {
  CallEvent,
  CallEventName,
  CallEvents,
  On,
  RequestEvent,
  ResponseEvent,
  RetryEvent,
} from "./events.js";
export type { LogLevel, Logger } from "./logging.js";
export type { OperationId } from "./operations.js";
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
