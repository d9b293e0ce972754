import { describe, expect, it } from "vitest";
import { channelSecrets, looksRandom, redactUpstreamText } from "@/lib/gateway/tenant/redact";

const channel = { name: "eu-primary", baseUrl: "https://llm.internal.example:8443/v1", apiKey: "UPSTREAM-SECRET-KEY-123" };
const secrets = channelSecrets(channel);

describe("redactUpstreamText", () => {
  it("cuts the channel's own key, name, base URL and host by exact match", () => {
    const text = "key UPSTREAM-SECRET-KEY-123 rejected by eu-primary at llm.internal.example:8443 (https://llm.internal.example:8443/v1/chat)";
    const out = redactUpstreamText(text, secrets);
    for (const leaked of ["UPSTREAM-SECRET-KEY-123", "eu-primary", "llm.internal.example", "8443"]) expect(out).not.toContain(leaked);
    expect(out).toContain("rejected by");
  });

  it("cuts keys that are only JSON-escaped in the body", () => {
    const out = redactUpstreamText(JSON.stringify({ url: "https:\\/\\/llm.internal.example:8443\\/v1" }), secrets);
    expect(out).not.toContain("llm.internal");
  });

  it("cuts anything shaped like a credential, known or not", () => {
    const cases = [
      "Authorization: Bearer abc.def-123",
      "authorization: Basic dXNlcjpwYXNz",
      "got sk-proj-AbCdEf0123456789xyz",
      "got sk-ant-api03-AbCdEf0123456789",
      "url ?key=AIzaSyA1234567890abcdefghijklmnop",
      "x-api-key: plain-words",
      "api-key=hunter22",
      "token: opaque",
      "ghp_1234567890abcdefghijABCD",
      "session Qw3rTy8uI9oP0aS1dF2gH3jK4lZ5xC6v",
      "hex 0123456789abcdef0123456789abcdef",
      "jwt eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0In0.c2lnbmF0dXJlLXNpZ24",
    ];
    for (const text of cases) {
      const out = redactUpstreamText(text);
      expect(out, text).toContain("[redacted]");
      for (const part of ["abc.def-123", "dXNlcjpwYXNz", "AbCdEf0123456789", "AIzaSy", "plain-words", "hunter22", "opaque", "ghp_1234", "Qw3rTy8u", "0123456789abcdef0123", "eyJhbGci"]) {
        expect(out, text).not.toContain(part);
      }
    }
  });

  it("cuts credential fields in echoed JSON and header dumps, keeping the JSON valid", () => {
    const body = JSON.stringify({
      error: { message: 'Invalid request. Headers: {"Authorization": "Bearer UPSTREAM-SECRET-KEY-123", "x-api-key": "k-1"}' },
      request: { headers: { authorization: 'Bearer some"quoted', "api-key": "zzz9", "X-Goog-Api-Key": "gg" } },
    });
    const out = redactUpstreamText(body, secrets);
    expect(() => JSON.parse(out)).not.toThrow();
    for (const leaked of ["UPSTREAM-SECRET", "some", "k-1", "zzz9", '"gg"']) expect(out).not.toContain(leaked);
    expect(JSON.parse(out).request.headers).toEqual({ authorization: "[redacted]", "api-key": "[redacted]", "X-Goog-Api-Key": "[redacted]" });
  });

  it("hides upstream addresses from connection errors", () => {
    expect(redactUpstreamText("connect ECONNREFUSED 10.1.2.3:8000")).toBe("connect ECONNREFUSED [upstream]");
    expect(redactUpstreamText("getaddrinfo ENOTFOUND llm.internal.example", secrets)).toBe("getaddrinfo ENOTFOUND [redacted]");
    expect(redactUpstreamText("see http://10.0.0.1/docs for details")).toBe("see [upstream] for details");
  });

  it("leaves ordinary error texts readable", () => {
    for (const text of [
      "max_tokens is too large for this model: 100000 > 8192",
      "The model `meta-llama/Meta-Llama-3-70B-Instruct-Turbo` does not exist",
      "Invalid schema for function 'get_weather': tokens: 5",
      "request 550e8400-e29b-41d4-a716-446655440000 failed",
    ]) {
      expect(redactUpstreamText(text, secrets)).toBe(text);
    }
  });

  it("ignores secrets too short to be told apart from words", () => {
    expect(redactUpstreamText("a key was rejected", ["k", "key"])).toBe("a key was rejected");
  });
});

describe("looksRandom", () => {
  it("tells generated tokens from names", () => {
    expect(looksRandom("a8Fk2LmQ9zXc4VbN7pRt")).toBe(true);
    expect(looksRandom("Mistral-7B-Instruct-v0.3-GGUF-Q4_K_M")).toBe(false);
    expect(looksRandom("gpt-4o-mini-2024-07-18")).toBe(false);
  });
});

describe("channelSecrets", () => {
  it("lists key, name, base URL and host, skipping what is missing", () => {
    expect(channelSecrets(channel)).toEqual(["UPSTREAM-SECRET-KEY-123", "eu-primary", "https://llm.internal.example:8443/v1", "llm.internal.example:8443", "llm.internal.example"]);
    expect(channelSecrets({ name: "sandbox", baseUrl: null, apiKey: null })).toEqual(["sandbox"]);
  });
});
