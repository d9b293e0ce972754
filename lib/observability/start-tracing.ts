import { installedTracer, installTracer } from "./tracing";
import { logger } from "./log";

/**
 * Turns tracing on at start when OTEL_EXPORTER_OTLP_ENDPOINT is set. The OpenTelemetry SDK is
 * imported only then, so an instance without it never loads a line of it.
 */
export async function startTracing(env: NodeJS.ProcessEnv = process.env): Promise<void> {
  const endpoint = env.OTEL_EXPORTER_OTLP_ENDPOINT || env.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT;
  if (!endpoint) return;
  const { createOtelTracer } = await import("./otel-tracer");
  installTracer(createOtelTracer(env));
  logger("tracing").info({ event: "tracing.started", endpoint: endpoint.replace(/\/\/[^@/]*@/, "//") }, "Exporting OpenTelemetry traces");
}

/** Exports the spans still buffered (shutdown). */
export async function stopTracing(): Promise<void> {
  const tracer = installedTracer();
  if (!tracer) return;
  installTracer(undefined);
  await tracer.shutdown().catch((error: unknown) => logger("tracing").warn({ event: "tracing.shutdown_failed", err: error }, "Exporting the last spans failed"));
}
