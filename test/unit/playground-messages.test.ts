import { createServer, type IncomingHttpHeaders, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { APICallError } from "ai";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { EXAMPLES } from "@/lib/docs/examples";
import { runPlaygroundTurn } from "@/lib/playground/chat";
import { readSettings } from "@/components/playground/settings-form";
import { describeFailure } from "@/lib/playground/errors";
import { parsePlaygroundRequest } from "@/lib/playground/request";
import { buildSnippets, requestBody } from "@/lib/playground/snippets";

const user = (text: string) => ({ role: "user", parts: [{ type: "text", text }] });
const settings = { model: "sandbox-chat", system: "Be brief.", temperature: null, maxTokens: null, stream: true, api: "messages" as const };

describe("playground: Anthropic's Messages API", () => {
  it("accepts the messages API, and refuses a temperature above Anthropic's 1 for it only", () => {
    expect(parsePlaygroundRequest({ messages: [user("hi")], model: "m", api: "messages", temperature: 1 }).settings.api).toBe("messages");
    expect(() => parsePlaygroundRequest({ messages: [user("hi")], model: "m", api: "messages", temperature: 1.5 })).toThrow(/temperature between 0 and 1/);
    expect(parsePlaygroundRequest({ messages: [user("hi")], model: "m", api: "chat", temperature: 1.5 }).settings.temperature).toBe(1.5);
    const form = { model: "m", system: "", temperature: "1.5", maxTokens: "", stream: true, api: "messages" as const };
    expect(readSettings(form).errors.temperature).toBe("temperatureMessages");
    expect(readSettings({ ...form, api: "chat" }).errors.temperature).toBeUndefined();
  });

  it("reads Anthropic's error shape: its type as the code, a billing_error as an insufficient balance", () => {
    const error = (status: number, body: unknown) =>
      new APICallError({ message: "failed", url: "http://x/v1/messages", requestBodyValues: {}, statusCode: status, responseBody: JSON.stringify(body), isRetryable: false });
    expect(describeFailure(error(404, { type: "error", error: { type: "not_found_error", message: "The model `x` does not exist" } }))).toEqual({
      status: 404,
      code: "not_found_error",
      message: "The model `x` does not exist",
    });
    const billing = describeFailure(error(402, { type: "error", error: { type: "billing_error", message: "your balance is $0.00" } }));
    expect(billing).toMatchObject({ status: 402, code: "insufficient_quota" });
    expect(billing.message).toMatch(/^Insufficient balance — top up.*your balance is \$0\.00/);
  });

  it("View code: a Messages body (max_tokens always, system apart) and Anthropic's clients on the origin", () => {
    const body = requestBody(settings, [{ role: "user", content: "Hello" }]);
    expect(body).toEqual({ model: "sandbox-chat", max_tokens: 4096, system: "Be brief.", messages: [{ role: "user", content: "Hello" }], stream: true });
    const snippets = buildSnippets("https://api.example.com/v1", { ...settings, maxTokens: 100 }, [{ role: "user", content: "Hello" }]);
    expect(snippets.curl).toContain("https://api.example.com/v1/messages");
    expect(snippets.curl).toContain('-H "x-api-key: $ROOTAPI_KEY"');
    expect(snippets.curl).toContain('-H "anthropic-version: 2023-06-01"');
    expect(snippets.python).toContain('anthropic.Anthropic(base_url="https://api.example.com", api_key=os.environ["ROOTAPI_KEY"])');
    expect(snippets.python).toContain("max_tokens=100");
    expect(snippets.node).toContain('new Anthropic({ baseURL: "https://api.example.com", apiKey: process.env.ROOTAPI_KEY })');
  });
});

describe("playground turn over the Messages wire format (a fake /v1/messages)", () => {
  let server: Server;
  let baseUrl: string;
  const seen: Array<{ url: string; headers: IncomingHttpHeaders; body: Record<string, unknown> }> = [];
  let reply: { status: number; type: string; body: string } = { status: 200, type: "text/event-stream", body: EXAMPLES.messages.stream! };

  beforeAll(async () => {
    server = createServer((request, response) => {
      let raw = "";
      request.on("data", (piece) => (raw += piece));
      request.on("end", () => {
        seen.push({ url: request.url ?? "", headers: request.headers, body: JSON.parse(raw) as Record<string, unknown> });
        response.writeHead(reply.status, { "content-type": reply.type, "x-request-id": "req_fake1" });
        response.end(reply.body);
      });
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  const turn = (stream: boolean) =>
    runPlaygroundTurn({ apiKey: "sk-play", baseUrl, settings: { ...settings, stream }, messages: [{ role: "user", content: "Hello!" }], price: null, signal: new AbortController().signal });

  it("posts to /v1/messages with x-api-key and anthropic-version, and streams the text deltas", async () => {
    const response = await turn(true);
    expect(response.status).toBe(200);
    const chunks = (await response.text())
      .split("\n")
      .filter((line) => line.startsWith("data: {"))
      .map((line) => JSON.parse(line.slice(6)) as { type: string; delta?: string; messageMetadata?: Record<string, unknown> });
    expect(chunks.filter((c) => c.type === "text-delta").map((c) => c.delta)).toEqual(["You", " said:", ' "Hello!".']);
    expect(chunks.find((c) => c.type === "finish")?.messageMetadata).toMatchObject({ api: "messages", inputTokens: 9, outputTokens: 22, requestId: "req_fake1" });
    const request = seen.at(-1)!;
    expect(request.url).toBe("/v1/messages");
    expect(request.headers["x-api-key"]).toBe("sk-play");
    expect(request.headers["anthropic-version"]).toBe("2023-06-01");
    expect(request.body).toMatchObject({ model: "sandbox-chat", max_tokens: 4096, system: [{ type: "text", text: "Be brief." }], stream: true, messages: [{ role: "user", content: [{ type: "text", text: "Hello!" }] }] });
  });

  it("answers a refused call (Anthropic's billing_error) as the playground's 402", async () => {
    reply = { status: 402, type: "application/json", body: JSON.stringify({ type: "error", error: { type: "billing_error", message: "your balance is $0.00" } }) };
    const response = await turn(true);
    expect(response.status).toBe(402);
    const { error } = (await response.json()) as { error: { code: string; requestId?: string } };
    expect(error).toMatchObject({ code: "insufficient_quota", requestId: "req_fake1" });
  });
});
