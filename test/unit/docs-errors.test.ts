import { describe, expect, it } from "vitest";
import { errorExample } from "@/lib/docs/error-examples";
import { endpointErrors } from "@/lib/docs/errors";
import { DOCS_ENDPOINTS, findEndpoint } from "@/lib/docs/reference";
import { authPageHref } from "@/lib/auth/callback-url";
import { openApiDocument } from "@/lib/openapi/document";

const document = openApiDocument("https://api.example.com");
const statuses = (slug: string) => endpointErrors(document, findEndpoint(slug)!).map((e) => e.status);

describe("docs: the errors of each endpoint", () => {
  it("lists only what the endpoint can answer: 402 where a call is billed, never on lookups", () => {
    for (const slug of ["chat-completions", "embeddings", "responses"]) expect(statuses(slug)).toEqual([400, 401, 402, 403, 404, 413, 429, 500, 502, 503, 504]);
    expect(statuses("messages")).toEqual([400, 401, 402, 403, 404, 413, 429, 500, 502, 503, 504, 529]);
    expect(statuses("messages-count-tokens")).toEqual([400, 401, 403, 404, 413, 429, 500, 502, 503, 504, 529]);
    expect(statuses("models")).toEqual([401, 500]);
    expect(statuses("models-retrieve")).toEqual([401, 404, 500]);
    expect(statuses("responses-retrieve")).toEqual([401, 404, 500]);
    expect(statuses("responses-delete")).toEqual([401, 404, 500]);
    expect(statuses("responses-input-items")).toEqual([400, 401, 404, 500]);
    expect(statuses("billing-subscription")).toEqual([401, 500]);
    expect(statuses("billing-usage")).toEqual([400, 401, 500]);
  });

  it("names the code a client sees and what it means on this endpoint", () => {
    const messages = endpointErrors(document, findEndpoint("messages")!);
    expect(messages.find((e) => e.status === 402)).toEqual({ status: 402, code: "billing_error", meaning: "402" });
    expect(messages.find((e) => e.status === 529)).toMatchObject({ code: "overloaded_error" });
    const chat = endpointErrors(document, findEndpoint("chat-completions")!);
    expect(chat.find((e) => e.status === 402)).toMatchObject({ code: "insufficient_quota" });
    expect(chat.find((e) => e.status === 404)).toEqual({ status: 404, code: "model_not_found", meaning: "404" });
    expect(endpointErrors(document, findEndpoint("responses")!).find((e) => e.status === 404)!.meaning).toBe("404Previous");
    expect(endpointErrors(document, findEndpoint("responses-retrieve")!).find((e) => e.status === 404)).toEqual({ status: 404, code: "not_found", meaning: "404Response" });
    expect(endpointErrors(document, findEndpoint("models-retrieve")!).find((e) => e.status === 404)!.meaning).toBe("404Model");
    expect(endpointErrors(document, findEndpoint("billing-usage")!).find((e) => e.status === 400)!.meaning).toBe("400Query");
  });

  it("shows an example the endpoint can really give, in its protocol's shape", () => {
    for (const endpoint of DOCS_ENDPOINTS) {
      const errors = endpointErrors(document, endpoint);
      const example = errorExample(endpoint, errors)!;
      expect(errors.map((e) => e.status), endpoint.slug).toContain(example.status);
      if (endpoint.protocol === "anthropic") expect(example.body).toMatchObject({ type: "error", error: { type: errors.find((e) => e.status === example.status)!.code } });
      else expect(Object.keys((example.body as { error: object }).error).sort()).toEqual(["code", "message", "param", "type"]);
    }
    expect(errorExample(findEndpoint("chat-completions")!, endpointErrors(document, findEndpoint("chat-completions")!))).toMatchObject({ status: 402, body: { error: { code: "insufficient_quota" } } });
    expect(errorExample(findEndpoint("messages-count-tokens")!, endpointErrors(document, findEndpoint("messages-count-tokens")!))).toMatchObject({ status: 404, body: { error: { type: "not_found_error" } } });
    expect(errorExample(findEndpoint("responses-retrieve")!, endpointErrors(document, findEndpoint("responses-retrieve")!))).toMatchObject({ status: 404, body: { error: { code: "not_found" } } });
    expect(errorExample(findEndpoint("models")!, endpointErrors(document, findEndpoint("models")!))).toMatchObject({ status: 401, body: { error: { code: "invalid_api_key" } } });
  });
});

describe("docs: signing in from a docs page", () => {
  it("comes back to the page read", () => {
    expect(authPageHref("/sign-in", "/docs/chat-completions")).toBe("/sign-in?callbackUrl=%2Fdocs%2Fchat-completions");
  });
});
