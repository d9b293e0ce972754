import { describe, expect, it } from "vitest";
import { portalRoute } from "@/lib/http/portal-route";

const route = portalRoute(async () => Response.json({ ok: true }));
const post = (headers: Record<string, string>) => route(new Request("http://portal.test/api/keys", { method: "POST", headers: { host: "portal.test", ...headers } }), {});

describe("portal routes refuse cross-site writes", () => {
  it("accepts its own origin and clients that send none", async () => {
    expect((await post({ origin: "http://portal.test" })).status).toBe(200);
    expect((await post({})).status).toBe(200);
  });

  it.each(["null", "not a url", "http://", "javascript:alert(1)", "file:///etc/passwd", "http://[::1", "https://evil.test", "http://portal.test.evil.test"])(
    "answers Origin %j with 403 cross_site, not a 500",
    async (origin) => {
      const response = await post({ origin });
      expect(response.status).toBe(403);
      expect(((await response.json()) as { error: { code: string } }).error.code).toBe("cross_site");
    },
  );
});
