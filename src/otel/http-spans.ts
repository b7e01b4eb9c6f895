// A span per HTTP call (the client's hook, http/tracing.ts), named and attributed as Locust's
// requests instrumentation names it: "GET <name>" for a call given a name, else "GET <path>",
// kind CLIENT, with the stable HTTP semantic conventions. A sampled span's W3C traceparent goes
// to the target with the request; an unsampled call goes out as it would without telemetry.
import { type Span, SpanKind, SpanStatusCode, TraceFlags, type Tracer } from "@opentelemetry/api";
import type { CallTracer, TracedResponse } from "../http/tracing.ts";

export function spanTracer(tracer: Tracer): CallTracer {
  return {
    trace(method, url, options, send) {
      const span = tracer.startSpan(method, { kind: SpanKind.CLIENT, attributes: { "http.request.method": method } });
      const context = span.spanContext();
      if ((context.traceFlags & TraceFlags.SAMPLED) === 0) return send(method, url, options);
      // The task's own traceparent, if it sets one, wins: it is continuing a trace of its own.
      const traceparent = `00-${context.traceId}-${context.spanId}-01`;
      const promise = send(method, url, { ...options, headers: { traceparent, ...options.headers } });
      promise.then(
        (response) => endSpan(span, method, options.name, response),
        (reason: unknown) => {
          // Not a response: the user was stopped mid-call, or the call was malformed.
          span.setStatus({ code: SpanStatusCode.ERROR, message: reason instanceof Error ? reason.message : String(reason) });
          span.end();
        },
      );
      return promise;
    },
  };
}

function endSpan(span: Span, method: string, name: string | undefined, response: TracedResponse): void {
  const { status, url } = response;
  const parts = urlParts(url);
  span.updateName(`${method} ${name ?? parts.path}`);
  span.setAttribute("url.full", url);
  if (parts.host !== "") {
    span.setAttribute("server.address", parts.host);
    span.setAttribute("server.port", parts.port);
  }
  if (status > 0) span.setAttribute("http.response.status_code", status);
  const errorType = status === 0 ? (response.error?.code ?? "error") : status >= 400 ? String(status) : undefined;
  if (errorType !== undefined) {
    span.setAttribute("error.type", errorType);
    span.setStatus({ code: SpanStatusCode.ERROR });
  }
  span.end();
}

/** Host, port and path of an absolute http(s) URL, without a URL object per request. */
export function urlParts(url: string): { host: string; port: number; path: string } {
  const scheme = url.indexOf("://");
  if (scheme < 0) return { host: "", port: 0, path: url };
  const start = scheme + 3;
  let end = url.indexOf("/", start);
  const query = url.indexOf("?", start);
  if (end < 0 || (query >= 0 && query < end)) end = query < 0 ? url.length : query;
  const authority = url.slice(start, end);
  const stop = url.indexOf("?", end);
  const path = url.slice(end, stop < 0 ? url.length : stop) || "/";
  const colon = authority.lastIndexOf(":");
  const bracket = authority.lastIndexOf("]");
  const hasPort = colon > bracket;
  const host = (hasPort ? authority.slice(0, colon) : authority).replace(/^\[|\]$/g, "");
  const port = hasPort ? Number(authority.slice(colon + 1)) : url.startsWith("https") ? 443 : 80;
  return { host, port, path };
}
