import type { RequestRecord } from "../gateway/funds/settlement";
import type { GatewayRequest } from "../gateway/http/types";

/**
 * What the /v1 pipeline calls to trace a request. With OTEL_EXPORTER_OTLP_ENDPOINT unset no tracer
 * is installed and nothing OpenTelemetry is loaded: each call below is one property read and a
 * null check. The implementation (./otel-tracer, loaded by ./start-tracing) installs itself on
 * globalThis so the custom server's gateway and Next's bundled copy of this module see the same one.
 */
export interface TracedChannel {
  id: string;
  name: string;
  type: string;
  baseUrl: string | null;
}

export interface RequestSpan {
  /** Runs one upstream attempt in its client span; the upstream call made inside carries its traceparent. */
  attempt<T extends { status: number }>(channel: TracedChannel, upstreamModel: string | null, send: () => Promise<T>): Promise<T>;
  /** Ends the request's server span with what the request did (its settled RequestLog record). */
  end(record: RequestRecord): void;
}

export interface RequestTracer {
  startRequest(endpoint: string, incomingTraceparent: string | null, incomingTracestate: string | null): RequestSpan;
  /** The W3C trace context headers of the attempt running in this async context, if any. */
  upstreamHeaders(): Record<string, string> | undefined;
  shutdown(): Promise<void>;
}

const holder = globalThis as typeof globalThis & { __rootapiTracer?: RequestTracer };

export function installTracer(tracer: RequestTracer | undefined): void {
  holder.__rootapiTracer = tracer;
}

export function installedTracer(): RequestTracer | undefined {
  return holder.__rootapiTracer;
}

/** The request's span, continuing the client's trace when it sent a `traceparent`; null when tracing is off. */
export function startRequestSpan(endpoint: string, req: GatewayRequest): RequestSpan | null {
  const tracer = holder.__rootapiTracer;
  return tracer ? tracer.startRequest(endpoint, req.header("traceparent"), req.header("tracestate")) : null;
}

export function traceAttempt<T extends { status: number }>(span: RequestSpan | null, channel: TracedChannel, upstreamModel: string | null, send: () => Promise<T>): Promise<T> {
  return span ? span.attempt(channel, upstreamModel, send) : send();
}

/** The headers to add to an upstream request (traceparent, tracestate); undefined when tracing is off. */
export function upstreamTraceHeaders(): Record<string, string> | undefined {
  return holder.__rootapiTracer?.upstreamHeaders();
}
