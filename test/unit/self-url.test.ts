import { afterEach, describe, expect, it } from "vitest";
import { selfUrl, setSelfUrl } from "@/lib/http/self-url";

const SELF_URL = Symbol.for("rootapi.selfUrl");
afterEach(() => {
  delete (globalThis as Record<symbol, unknown>)[SELF_URL];
});

describe("selfUrl: how the server reaches its own /v1", () => {
  it("ROOTAPI_INTERNAL_URL wins, without a trailing slash or /v1", () => {
    setSelfUrl("http://127.0.0.1:4000");
    expect(selfUrl({ ROOTAPI_INTERNAL_URL: "http://rootapi:3000/v1/", PORT: "5000" })).toBe("http://rootapi:3000");
  });

  it("then the address the server bound (PORT=0 included)", () => {
    setSelfUrl("http://127.0.0.1:43210/");
    expect(selfUrl({ PORT: "0" })).toBe("http://127.0.0.1:43210");
  });

  it("then PORT on the loopback of HOST", () => {
    expect(selfUrl({ PORT: "3100", HOST: "0.0.0.0" })).toBe("http://127.0.0.1:3100");
    expect(selfUrl({ PORT: "3100", HOST: "::1" })).toBe("http://[::1]:3100");
    expect(selfUrl({})).toBe("http://127.0.0.1:3000");
  });

  it("refuses to guess when the port is not known", () => {
    expect(() => selfUrl({ PORT: "0" })).toThrow(/ROOTAPI_INTERNAL_URL/);
    expect(() => selfUrl({ PORT: "abc" })).toThrow(/ROOTAPI_INTERNAL_URL/);
  });
});
