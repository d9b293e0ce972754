import { describe, expect, it, vi } from "vitest";
import { rememberChannelSecrets, tenantBytes, tenantJson, tenantSseEvent, tenantText } from "@/lib/gateway/tenant/tenant-text";

rememberChannelSecrets([{ name: "acme-gpu-eu", baseUrl: "http://10.20.30.40:8000/v1", apiKey: "PLAIN-WORDS-KEY-9" }]);

const bytes = (text: string) => new TextEncoder().encode(text);
const text = (data: Uint8Array) => new TextDecoder().decode(data);

describe("tenant texts", () => {
  it("cut every remembered channel's key, name and host, even unshaped ones", () => {
    expect(tenantText("key PLAIN-WORDS-KEY-9 refused by acme-gpu-eu")).toBe("key [redacted] refused by [redacted]");
  });

  it("keep channels remembered after a reload without them (answers may still be in flight)", () => {
    rememberChannelSecrets([{ name: "other", baseUrl: null, apiKey: "ANOTHER-KEY-77" }]);
    expect(tenantText("PLAIN-WORDS-KEY-9 ANOTHER-KEY-77")).toBe("[redacted] [redacted]");
  });

  it("share what they know with another copy of the module (the portal's bundle loads the catalog too)", async () => {
    vi.resetModules();
    const other = await import("@/lib/gateway/tenant/tenant-text");
    expect(other.tenantText !== tenantText).toBe(true);
    other.rememberChannelSecrets([{ name: "portal-loaded", baseUrl: null, apiKey: "LOADED-ELSEWHERE-KEY" }]);
    expect(tenantText("LOADED-ELSEWHERE-KEY from portal-loaded")).toBe("[redacted] from [redacted]");
  });

  it("return the very same bytes when there is nothing to cut", () => {
    const body = bytes('{"error":{"message":"max_tokens too large"}}');
    expect(tenantBytes(body)).toBe(body);
    expect(text(tenantBytes(bytes('{"error":{"message":"bad key PLAIN-WORDS-KEY-9"}}')))).toBe('{"error":{"message":"bad key [redacted]"}}');
  });

  it("redact error events in a relayed stream and leave the model's output alone", () => {
    const content = bytes(`data: ${JSON.stringify({ choices: [{ delta: { content: "use PLAIN-WORDS-KEY-9 as sk-example-abcdefgh" } }] })}\n\n`);
    expect(tenantSseEvent(content)).toBe(content);
    for (const event of [
      `data: {"error":{"message":"Bearer PLAIN-WORDS-KEY-9"}}\n\n`,
      `data: { "error": "Bearer PLAIN-WORDS-KEY-9" }\n\n`,
      `event: error\ndata: {"type":"error","message":"Bearer PLAIN-WORDS-KEY-9"}\n\n`,
      `data: {"type": "error","message":"Bearer PLAIN-WORDS-KEY-9"}\n\n`,
    ]) {
      const out = text(tenantSseEvent(bytes(event)));
      expect(out, event).not.toContain("PLAIN-WORDS");
      expect(out.endsWith("\n\n"), event).toBe(true);
    }
  });

  it("redact the strings inside an upstream error object", () => {
    expect(tenantJson({ code: "server_error", message: "from http://10.20.30.40:8000/v1: Bearer x123456" })).toEqual({
      code: "server_error",
      message: "from [redacted]: Bearer [redacted]",
    });
    const untouched = { code: "x", message: "fine" };
    expect(tenantJson(untouched)).toBe(untouched);
  });
});
