// "multisafepay-kbc/otel": OpenTelemetry spans for a client, made from its call events (msp.on, src/events.ts),
// so the core package never imports @opentelemetry/api (an optional peer dependency, needed only here). One
// CLIENT span per call, named by its operation, the parent of one span per attempt; both carry the HTTP
// semantic conventions' attributes. Like the events, a span holds no key and no body.
import { SpanKind, SpanStatusCode, context, trace, type Attributes, type Span, type Tracer } from "@opentelemetry/api";
import type { CallEvent, On, ResponseEvent } from "./events.js";
import { VERSION } from "./version.js";

export interface InstrumentOptions {
  /** The tracer to make spans with. Default: the global tracer provider's "multisafepay-kbc" tracer. */
  tracer?: Tracer;
}

/**
 * Makes spans for every call of `msp` from now on. Returns the function that stops it (calls under way when it
 * is called end their spans without the final answer's attributes, then no more are made).
 */
/** server.address and server.port, from an event's (key-free) URL. */
function server(url: string): Attributes {
  if (URL.canParse(url)) {
    const parsed = new URL(url);
    return {
      "server.address": parsed.hostname,
      "server.port": Number(parsed.port) || (parsed.protocol === "https:" ? 443 : 80),
    };
  }
  // A short key that the host or port also spells is masked there too ("127.0.0.1:[api_key]"), which no URL
  // parser takes: the host as far as it reads, and no span lost.
  const host = /^[a-z][a-z0-9+.-]*:\/\/([^/:?#[\]]+)/i.exec(url)?.[1];
  return host ? { "server.address": host } : {};
}

export function instrument(msp: { on: On }, options: InstrumentOptions = {}): () => void {
  const tracer = options.tracer ?? trace.getTracer("multisafepay-kbc", VERSION);
  const calls = new Map<string, { span: Span; attempt: Span | undefined; retries: number }>();

  const common = (e: CallEvent): Attributes => {
    return {
      "http.request.method": e.method,
      "url.template": e.path,
      "url.full": e.url,
      ...server(e.url),
      "multisafepay.operation_id": e.operationId,
      "multisafepay.request_id": e.requestId,
      "multisafepay.moves_money": e.movesMoney,
    };
  };
  const answered = (e: ResponseEvent): Attributes => ({
    ...(e.status === null ? {} : { "http.response.status_code": e.status }),
    ...(e.errorCode === null ? {} : { "multisafepay.error_code": e.errorCode }),
    ...(e.outcome === "ok" ? {} : { "error.type": e.outcome }),
  });
  const end = (span: Span, e: ResponseEvent) => {
    span.setAttributes(answered(e));
    if (e.outcome !== "ok") span.setStatus({ code: SpanStatusCode.ERROR, message: e.outcome });
    span.end();
  };

  const offs = [
    msp.on("request", (e) => {
      let call = calls.get(e.requestId);
      if (!call) {
        const span = tracer.startSpan(`multisafepay ${e.operationId}`, {
          kind: SpanKind.CLIENT,
          attributes: common(e),
        });
        call = { span, attempt: undefined, retries: 0 };
        calls.set(e.requestId, call);
      }
      call.attempt = tracer.startSpan(
        `multisafepay ${e.operationId} attempt ${e.attempt}`,
        {
          kind: SpanKind.CLIENT,
          attributes: {
            ...common(e),
            "multisafepay.attempt": e.attempt,
            ...(e.attempt > 1 ? { "http.request.resend_count": e.attempt - 1 } : {}),
          },
        },
        trace.setSpan(context.active(), call.span),
      );
    }),
    msp.on("retry", (e) => {
      const call = calls.get(e.requestId);
      if (!call) return;
      call.retries++;
      call.span.addEvent("retry", { "multisafepay.retry.reason": e.reason, "multisafepay.retry.delay_ms": e.delayMs });
    }),
    msp.on("response", (e) => {
      const call = calls.get(e.requestId);
      if (!call) return;
      if (call.attempt) end(call.attempt, e);
      call.attempt = undefined;
      if (!e.final) return;
      calls.delete(e.requestId);
      call.span.setAttributes({ "multisafepay.retry_count": call.retries, "multisafepay.attempts": e.attempt });
      end(call.span, e);
    }),
  ];

  return () => {
    for (const off of offs) off();
    for (const call of calls.values()) {
      call.attempt?.end();
      call.span.end();
    }
    calls.clear();
  };
}
