import pino from "pino";
import { describe, expect, it } from "vitest";
import { logConfig, REDACTED_PATHS } from "@/lib/observability/log-config";
import { prettyLine } from "@/lib/observability/pretty";
import { requestFields } from "@/lib/observability/request-log";
import { operationName, providerName, spanName } from "@/lib/observability/gen-ai";
import type { RequestRecord } from "@/lib/gateway/funds/settlement";

describe("logConfig", () => {
  it("defaults to info and JSON, pretty under --dev, and takes LOG_LEVEL / LOG_FORMAT", () => {
    expect(logConfig({}, ["node", "server"])).toEqual({ level: "info", format: "json", problems: [] });
    expect(logConfig({}, ["node", "server", "--dev"])).toEqual({ level: "info", format: "pretty", problems: [] });
    expect(logConfig({ LOG_LEVEL: "WARN", LOG_FORMAT: "json" }, ["--dev"])).toEqual({ level: "warn", format: "json", problems: [] });
    expect(logConfig({ LOG_FORMAT: "pretty" }, [])).toMatchObject({ format: "pretty" });
  });

  it("falls back on a wrong value and says why, instead of refusing to start", () => {
    const config = logConfig({ LOG_LEVEL: "loud", LOG_FORMAT: "xml" }, []);
    expect(config).toMatchObject({ level: "info", format: "json" });
    expect(config.problems).toHaveLength(2);
    expect(config.problems[0]).toContain("LOG_LEVEL");
    expect(config.problems[1]).toContain("LOG_FORMAT");
  });
});

describe("redaction", () => {
  it("never writes secret fields, top-level or inside headers, channel, user, config or body", () => {
    const lines: string[] = [];
    const log = pino({ redact: { paths: REDACTED_PATHS, censor: "[redacted]" } }, { write: (line: string) => void lines.push(line) });
    log.info({ authorization: "Bearer sk-a", headers: { "x-api-key": "sk-b", authorization: "Bearer sk-c", "x-goog-api-key": "sk-g" }, apiKey: "sk-d", channel: { apiKey: "sk-e" }, password: "pw-f", user: { password: "pw-h" }, token: "t-i", model: "kept" }, "m");
    const output = lines.join("");
    for (const secret of ["sk-a", "sk-b", "sk-c", "sk-d", "sk-e", "pw-f", "sk-g", "pw-h", "t-i"]) expect(output).not.toContain(secret);
    expect(JSON.parse(output)).toMatchObject({ authorization: "[redacted]", headers: { "x-api-key": "[redacted]" }, model: "kept" });
  });
});

describe("prettyLine", () => {
  it("renders time, level, component, message and fields, and an error's stack below", () => {
    const line = prettyLine(JSON.stringify({ level: 40, time: Date.UTC(2026, 0, 1, 12, 34, 56, 789), pid: 1, component: "routing", event: "channel.auto_disabled", channelId: "c1", failures: 2, msg: "Channel disabled" }));
    expect(line).toBe("12:34:56.789 WARN  [routing] Channel disabled  event=channel.auto_disabled channelId=c1 failures=2\n");
    const withError = prettyLine(JSON.stringify({ level: 50, time: 0, msg: "failed", err: { message: "boom", stack: "Error: boom\n    at x" } }));
    expect(withError).toBe("00:00:00.000 ERROR failed\n    Error: boom\n        at x\n");
    expect(prettyLine("not json")).toBe("not json\n");
  });
});

describe("requestFields", () => {
  const record: RequestRecord = {
    id: "req_1",
    userId: "u1",
    apiKeyId: "k1",
    channelId: "c1",
    model: "m",
    upstreamModel: "um",
    endpoint: "/v1/chat/completions",
    stream: true,
    status: 200,
    promptTokens: 10,
    completionTokens: 5,
    cachedTokens: 3,
    cacheWriteTokens: 2,
    cacheWrite1hTokens: 1,
    reasoningTokens: 4,
    cost: 1234n,
    estimated: false,
    latencyMs: 50,
    ttfbMs: 20,
    attempts: 2,
    errorCode: null,
    errorMessage: "never logged",
    createdAt: new Date(0),
  };

  it("carries what a support question needs, cost as JSON-safe micro-dollars, and no error text", () => {
    const fields = requestFields(record);
    expect(fields).toEqual({
      event: "request",
      requestId: "req_1",
      keyId: "k1",
      userId: "u1",
      endpoint: "/v1/chat/completions",
      model: "m",
      upstreamModel: "um",
      channelId: "c1",
      status: 200,
      attempts: 2,
      stream: true,
      tokens: { prompt: 10, cached: 3, cacheWrite: 2, cacheWrite1h: 1, completion: 5, reasoning: 4 },
      cost: 1234,
      estimated: false,
      latencyMs: 50,
      ttfbMs: 20,
      errorCode: null,
    });
    expect(() => JSON.stringify(fields)).not.toThrow();
    expect(requestFields({ ...record, cost: 2n ** 60n }).cost).toBe("1152921504606846976");
  });
});

describe("GenAI names", () => {
  it("maps endpoints to operations and channel types to providers", () => {
    expect(operationName("/v1/chat/completions")).toBe("chat");
    expect(operationName("/v1/messages")).toBe("chat");
    expect(operationName("/v1/embeddings")).toBe("embeddings");
    expect(providerName("openai")).toBe("openai");
    expect(providerName("anthropic")).toBe("anthropic");
    expect(providerName("gemini")).toBe("gcp.gemini");
    expect(providerName("sandbox")).toBe("rootapi.sandbox");
    expect(spanName("chat", "gpt-4o")).toBe("chat gpt-4o");
    expect(spanName("chat", null)).toBe("chat");
  });
});
