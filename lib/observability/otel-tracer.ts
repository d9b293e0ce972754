import { AsyncLocalStorage } from "node:async_hooks";
import { diag, DiagLogLevel, ROOT_CONTEXT, SpanKind, SpanStatusCode, trace, type Span, type Tracer } from "@opentelemetry/api";
import { W3CTraceContextPropagator } from "@opentelemetry/core";
import { OTLPTraceExporter } from "@opentelemetry/exporter-trace-otlp-http";
import { resourceFromAttributes } from "@opentelemetry/resources";
import { BatchSpanProcessor, TracerProvider } from "@opentelemetry/sdk-trace";
import type { RequestRecord } from "../gateway/funds/settlement";
import { operationName, providerName, spanName } from "./gen-ai";
import { logger } from "./log";
import type { RequestSpan, RequestTracer, TracedChannel } from "./tracing";

/**
 * The OpenTelemetry side of ./tracing: a server span per /v1 request and a client span per upstream
 * attempt, exported in batches as OTLP/HTTP JSON to OTEL_EXPORTER_OTLP_ENDPOINT (the exporter reads
 * the standard OTEL_EXPORTER_OTLP_* variables itself). Only loaded when that variable is set.
 *
 * Contexts are passed explicitly (no global context manager): the attempt's trace headers reach
 * the one place upstream HTTP goes through by an AsyncLocalStorage of our own.
 */
const propagator = new W3CTraceContextPropagator();
const headerGetter = {
  keys: (carrier: Record<string, string>) => Object.keys(carrier),
  get: (carrier: Record<string, string>, key: string) => carrier[key],
};
const headerSetter = { set: (carrier: Record<string, string>, key: string, value: string) => void (carrier[key] = value) };

export function createOtelTracer(env: NodeJS.ProcessEnv): RequestTracer {
  const log = logger("tracing");
  diag.setLogger(
    {
      error: (message, ...args) => log.warn({ event: "tracing.export_error", detail: args.map(String) }, message),
      warn: (message, ...args) => log.warn({ event: "tracing.warning", detail: args.map(String) }, message),
      info: () => {},
      debug: () => {},
      verbose: () => {},
    },
    DiagLogLevel.WARN,
  );
  const provider = new TracerProvider({
    resource: resourceFromAttributes({ "service.name": env.OTEL_SERVICE_NAME || "rootapi" }),
    spanProcessors: [new BatchSpanProcessor({ exporter: new OTLPTraceExporter(), scheduledDelayMillis: positive(env.OTEL_BSP_SCHEDULE_DELAY) })],
  });
  const tracer = provider.getTracer("rootapi");
  const attempts = new AsyncLocalStorage<Record<string, string>>();
  return {
    startRequest(endpoint, traceparent, tracestate) {
      const carrier: Record<string, string> = {};
      if (traceparent) carrier.traceparent = traceparent;
      if (tracestate) carrier.tracestate = tracestate;
      const parent = traceparent ? propagator.extract(ROOT_CONTEXT, carrier, headerGetter) : ROOT_CONTEXT;
      const operation = operationName(endpoint);
      const span = tracer.startSpan(operation, { kind: SpanKind.SERVER, attributes: { "gen_ai.operation.name": operation, "http.route": endpoint } }, parent);
      return new OtelRequestSpan(tracer, span, operation, attempts);
    },
    upstreamHeaders: () => attempts.getStore(),
    async shutdown() {
      await provider.shutdown();
    },
  };
}

class OtelRequestSpan implements RequestSpan {
  private providerName: string | null = null;
  private attemptCount = 0;

  constructor(
    private readonly tracer: Tracer,
    private readonly span: Span,
    private readonly operation: string,
    private readonly attempts: AsyncLocalStorage<Record<string, string>>,
  ) {}

  async attempt<T extends { status: number }>(channel: TracedChannel, upstreamModel: string | null, send: () => Promise<T>): Promise<T> {
    this.providerName = providerName(channel.type);
    const span = this.tracer.startSpan(
      spanName(this.operation, upstreamModel),
      {
        kind: SpanKind.CLIENT,
        attributes: {
          "gen_ai.operation.name": this.operation,
          "gen_ai.provider.name": this.providerName,
          ...(upstreamModel ? { "gen_ai.request.model": upstreamModel } : {}),
          ...serverAddress(channel.baseUrl),
          "rootapi.channel.id": channel.id,
          "rootapi.channel.name": channel.name,
          "rootapi.attempt": ++this.attemptCount,
        },
      },
      trace.setSpan(ROOT_CONTEXT, this.span),
    );
    const headers: Record<string, string> = {};
    propagator.inject(trace.setSpan(ROOT_CONTEXT, span), headers, headerSetter);
    try {
      const response = await this.attempts.run(headers, send);
      span.setAttribute("http.response.status_code", response.status);
      if (response.status >= 400) {
        span.setAttribute("error.type", String(response.status));
        span.setStatus({ code: SpanStatusCode.ERROR });
      }
      return response;
    } catch (error) {
      const kind = (error as { kind?: string }).kind;
      span.setAttribute("error.type", kind ?? (error as Error).name ?? "error");
      span.setStatus({ code: SpanStatusCode.ERROR, message: (error as Error).message });
      throw error;
    } finally {
      span.end();
    }
  }

  end(record: RequestRecord): void {
    const span = this.span;
    span.updateName(spanName(this.operation, record.model));
    span.setAttributes({
      "http.response.status_code": record.status,
      "rootapi.request_id": record.id,
      "rootapi.attempts": record.attempts,
      "rootapi.cost_micro_usd": Number(record.cost),
      "gen_ai.usage.input_tokens": record.promptTokens,
      "gen_ai.usage.output_tokens": record.completionTokens,
    });
    if (record.model) span.setAttribute("gen_ai.request.model", record.model);
    if (record.upstreamModel) span.setAttribute("gen_ai.response.model", record.upstreamModel);
    if (this.providerName) span.setAttribute("gen_ai.provider.name", this.providerName);
    if (record.channelId) span.setAttribute("rootapi.channel.id", record.channelId);
    if (record.errorCode) span.setAttribute("error.type", record.errorCode);
    // Server spans: a 4xx is the caller's doing, not a failure of this service.
    if (record.status >= 500) span.setStatus({ code: SpanStatusCode.ERROR, message: record.errorCode ?? undefined });
    span.end();
  }
}

function positive(value: string | undefined): number | undefined {
  const number = Number(value);
  return value && Number.isFinite(number) && number > 0 ? number : undefined;
}

function serverAddress(baseUrl: string | null): Record<string, string | number> {
  if (!baseUrl) return {};
  try {
    const url = new URL(baseUrl);
    return { "server.address": url.hostname, ...(url.port ? { "server.port": Number(url.port) } : {}) };
  } catch {
    return {};
  }
}
