import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { LedgerKind } from "@/lib/db/client";
import { appendLedgerEntry } from "@/lib/billing/ledger";
import { DOCS_ENDPOINTS, displayPath } from "@/lib/docs/reference";
import { endpointErrors } from "@/lib/docs/errors";
import { EXAMPLES } from "@/lib/docs/examples";
import type { TryItRequestLog } from "@/lib/docs/types";
import { chatCompletionRequestSchema } from "@/lib/schemas/chat-completions";
import { countTokensRequestSchema, messagesRequestSchema } from "@/lib/schemas/messages";
import { responsesRequestSchema } from "@/lib/schemas/responses";
import { embeddingsRequestSchema } from "@/lib/schemas/embeddings";
import { GatewayWorld, eventually } from "../helpers/gateway-world";
import { PortalClient } from "../helpers/portal-client";

const PASSWORD = "long enough pw";

/** Server-rendered HTML separates adjacent text with <!-- --> markers; read it as a person would. */
const textOf = (html: string) => html.replaceAll("<!-- -->", "");
/** The parameter names a rendered table lists (one row per parameter, data-param="name"). */
const tableParams = (html: string) => [...html.matchAll(/data-testid="param-row" data-param="([^"]+)"/g)].map((m) => m[1]);
/** The same, for one location (body, header, query, path). */
const tableParamsIn = (html: string, location: string) =>
  [...html.matchAll(/data-testid="param-row" data-param="([^"]+)" data-location="([^"]+)"/g)].filter((m) => m[2] === location).map((m) => m[1]);
/** The statuses of a page's error table. */
const errorRows = (html: string) => [...html.matchAll(/data-testid="error-row" data-status="(\d+)"/g)].map((m) => Number(m[1]));
/** Text with the markup's line-break opportunities (<wbr/>) and tags removed. */
const plain = (html: string) => html.replaceAll(/<wbr\/?>/g, "").replaceAll(/<[^>]+>/g, "");

describe("interactive docs (SQLite)", () => {
  const world = new GatewayWorld();
  let client: PortalClient;
  let userId: string;

  beforeAll(async () => {
    await world.setUp("sqlite");
    await world.start();
    client = new PortalClient(world.server.url);
    expect((await client.signUp("reader@example.com", PASSWORD)).status).toBeLessThan(300);
    expect(await client.signIn("reader@example.com", PASSWORD)).toBeNull();
    userId = (await world.db.user.findUniqueOrThrow({ where: { email: "reader@example.com" } })).id;
  }, 120_000);

  afterAll(() => world.tearDown());

  /** A page's HTML in English (no cookie, English browser) or Chinese (the NEXT_LOCALE cookie). */
  async function page(path: string, locale: "en" | "zh" = "en") {
    if (locale === "zh") return chinese(path);
    const response = await client.request(path, { headers: { "accept-language": "en-US,en;q=0.9" } });
    return { status: response.status, html: textOf(await response.text()) };
  }

  /** Like the browser after switching the language: the NEXT_LOCALE cookie beside the session. */
  async function chinese(path: string) {
    const cookies = (client as unknown as { cookies: Map<string, string> }).cookies;
    cookies.set("NEXT_LOCALE", "zh");
    try {
      const response = await client.request(path, { headers: { "accept-language": "en-US,en;q=0.9" } });
      return { status: response.status, html: textOf(await response.text()) };
    } finally {
      cookies.delete("NEXT_LOCALE");
    }
  }

  it("shows the quickstart with this server's base URL, in English and Chinese", async () => {
    const en = await page("/docs");
    expect(en.status).toBe(200);
    expect(en.html).toContain("Quickstart");
    expect(en.html).toContain(`${world.server.url}/v1`);
    expect(en.html).toContain("Get a key");
    expect(en.html).toContain("Try it");
    expect(en.html).toContain("signed in as reader@example.com");

    const zh = await page("/docs", "zh");
    expect(zh.status).toBe(200);
    expect(zh.html).toContain("快速开始");
    expect(zh.html).toContain("在线试用");
    expect(zh.html).toContain(`${world.server.url}/v1`);
    expect(zh.html).not.toContain("Quickstart");
  });

  it("lists every top-level field of the request schemas in the parameter tables, in both languages", async () => {
    for (const [slug, schema] of [
      ["chat-completions", chatCompletionRequestSchema],
      ["responses", responsesRequestSchema],
    ] as const) {
      const fields = Object.keys(schema.shape);
      for (const locale of ["en", "zh"] as const) {
        const { status, html } = await page(`/docs/${slug}`, locale);
        expect(status).toBe(200);
        expect(new Set(tableParams(html))).toEqual(new Set(fields));
        expect(html).toContain(`${world.server.url}/v1/`);
      }
    }
    const en = (await page("/docs/chat-completions")).html;
    expect(en).toContain("The conversation so far");
    expect(en).toContain("Create chat completion");
    // The code tabs: curl, Python, Node.js and the Vercel AI SDK, with the server's base URL.
    for (const tab of ["curl", "Python", "Node.js", "Vercel AI SDK"]) expect(en).toMatch(new RegExp(`role="tab"[^>]*>${tab}<`));
    expect(en).toContain(`curl &quot;${world.server.url}/v1/chat/completions&quot;`);
    const zh = (await page("/docs/chat-completions", "zh")).html;
    expect(zh).toContain("目前为止的对话");
    expect(zh).toContain("创建对话补全");
    expect(zh).toContain("参数");
    expect(zh).not.toContain("The conversation so far");
  });

  it("documents Anthropic's Messages and count_tokens: the schemas' fields, Anthropic's clients on the origin, the error table and Claude Code, in both languages", async () => {
    const origin = world.server.url;
    for (const [slug, schema] of [
      ["messages", messagesRequestSchema],
      ["messages-count-tokens", countTokensRequestSchema],
    ] as const) {
      for (const locale of ["en", "zh"] as const) {
        const { status, html } = await page(`/docs/${slug}`, locale);
        expect(status, `${slug} ${locale}`).toBe(200);
        expect(new Set(tableParamsIn(html, "body"))).toEqual(new Set(Object.keys(schema.shape)));
        expect(tableParamsIn(html, "header")).toEqual(["anthropic-version", "anthropic-beta"]);
        expect(html).toContain(`${origin}/v1/messages`);
        // curl the Anthropic way, and the SDKs on the origin (they add /v1 themselves).
        expect(html).toContain(`-H &quot;x-api-key: sk-…&quot;`);
        expect(html).toContain(`-H &quot;anthropic-version: 2023-06-01&quot;`);
        expect(html).toMatch(/role="tab"[^>]*>Python</);
        // Anthropic's error shape and its statuses.
        expect(html).toContain(slug === "messages" ? "billing_error" : "not_found_error");
        const rows = errorRows(html);
        // count_tokens is free: it never answers 402.
        expect(rows).toEqual(slug === "messages" ? [400, 401, 402, 403, 404, 413, 429, 500, 502, 503, 504, 529] : [400, 401, 403, 404, 413, 429, 500, 502, 503, 504, 529]);
        for (const type of ["invalid_request_error", "authentication_error", "permission_error", "not_found_error", "request_too_large", "rate_limit_error", "api_error", "overloaded_error", "timeout_error"]) expect(html).toContain(type);
      }
    }
    const en = (await page("/docs/messages")).html;
    expect(en).toContain("Create message");
    expect(en).toContain("Claude Code");
    expect(en).toContain(`export ANTHROPIC_BASE_URL=${origin}\n`);
    expect(en).not.toContain(`ANTHROPIC_BASE_URL=${origin}/v1`);
    expect(en).toContain("export ANTHROPIC_API_KEY=sk-…");
    expect(en).toContain("ANTHROPIC_AUTH_TOKEN");
    expect(en).toContain("claude --model sandbox-chat");
    expect(en).toContain("Any model on any channel works");
    // The streaming example is Anthropic's event stream.
    expect(en).toContain("event: content_block_delta");
    const zh = (await page("/docs/messages", "zh")).html;
    expect(zh).toContain("创建消息");
    expect(zh).toContain("任何渠道上的任何模型都可以使用");
    expect(zh).toContain("对话：user 与 assistant 轮次交替");
    expect(zh).not.toContain("Any model on any channel works");
    // The nav lists both pages.
    expect(en).toContain('href="/docs/messages-count-tokens"');
    expect(textOf(en)).toContain("Count message tokens");
  });

  it("serves /openapi.json with the Messages endpoints, their bodies from the schemas and both ways to send the key", async () => {
    const response = await client.request("/openapi.json");
    expect(response.status).toBe(200);
    const document = (await response.json()) as {
      paths: Record<string, { post?: { security?: unknown; responses: Record<string, unknown> } }>;
      components: { schemas: Record<string, { properties?: Record<string, unknown> }>; securitySchemes: Record<string, { type: string; in?: string; name?: string }> };
    };
    expect(Object.keys(document.paths)).toEqual(expect.arrayContaining(["/messages", "/messages/count_tokens"]));
    expect(Object.keys(document.components.schemas.CreateMessageRequest!.properties!)).toEqual(Object.keys(messagesRequestSchema.shape));
    expect(Object.keys(document.components.schemas.CountMessageTokensRequest!.properties!)).toEqual(Object.keys(countTokensRequestSchema.shape));
    expect(document.paths["/messages"]!.post!.security).toEqual([{ apiKeyAuth: [] }, { bearerAuth: [] }]);
    expect(Object.keys(document.paths["/messages"]!.post!.responses)).toEqual(expect.arrayContaining(["200", "402", "529"]));
    expect(document.components.securitySchemes.apiKeyAuth).toMatchObject({ type: "apiKey", in: "header", name: "x-api-key" });
    // The page documents exactly what the document describes.
    const html = (await page("/docs/messages")).html;
    expect(new Set(tableParamsIn(html, "body"))).toEqual(new Set(Object.keys(document.components.schemas.CreateMessageRequest!.properties!)));
  });

  it("documents Embeddings in both languages, /openapi.json describes it, and Try it embeds with the free sandbox", async () => {
    const origin = world.server.url;
    for (const locale of ["en", "zh"] as const) {
      const { status, html } = await page("/docs/embeddings", locale);
      expect(status, locale).toBe(200);
      expect(new Set(tableParamsIn(html, "body"))).toEqual(new Set(Object.keys(embeddingsRequestSchema.shape)));
      expect(html).toContain(`${origin}/v1/embeddings`);
      // The first tab: curl with the example's body.
      expect(html).toContain(`curl &quot;${origin}/v1/embeddings&quot;`);
      expect(html).toContain("sandbox-embedding");
      expect(html).toContain("insufficient_quota");
    }
    const en = (await page("/docs/embeddings")).html;
    expect(en).toContain("Create embeddings");
    expect(en).toContain("up to 2048 strings");
    const zh = (await page("/docs/embeddings", "zh")).html;
    expect(zh).toContain("创建向量嵌入");
    expect(zh).toContain("最多 2048 个字符串");
    expect(zh).not.toContain("up to 2048 strings");
    // The nav of every page links it.
    expect((await page("/docs")).html).toContain('href="/docs/embeddings"');

    const document = (await (await client.request("/openapi.json")).json()) as { paths: Record<string, unknown>; components: { schemas: Record<string, { properties?: Record<string, unknown> }> } };
    expect(document.paths["/embeddings"]).toBeDefined();
    expect(Object.keys(document.components.schemas.CreateEmbeddingRequest!.properties!)).toEqual(Object.keys(embeddingsRequestSchema.shape));

    const response = await tryIt({ method: "POST", path: "/v1/embeddings", body: { model: "sandbox-embedding", input: "Hello!", dimensions: 8, encoding_format: "float" } });
    expect(response.status).toBe(200);
    const answer = (await response.json()) as { data: Array<{ embedding: number[] }>; usage: { prompt_tokens: number } };
    // Exactly the example the page shows: the sandbox is deterministic.
    expect(answer.data[0]!.embedding).toEqual((EXAMPLES.embeddings.response as typeof answer).data[0]!.embedding);
    expect(en).toContain("-0.866025388");
    const log = await logOf(response.headers.get("x-request-id")!);
    expect(log).toMatchObject({ status: 200, endpoint: "/v1/embeddings", model: "sandbox-embedding", cost: "0", completionTokens: 0, promptTokens: answer.usage.prompt_tokens });
  });

  it("renders a reference page for every /v1 endpoint, and 404 for others", async () => {
    for (const endpoint of DOCS_ENDPOINTS) {
      const { status, html } = await page(`/docs/${endpoint.slug}`);
      expect(status, endpoint.slug).toBe(200);
      // The address under the title reads whole, whatever break opportunities its markup offers.
      const url = /data-testid="endpoint-url">([\s\S]*?)<\/p>/.exec(html)?.[1] ?? "";
      expect(plain(url), endpoint.slug).toMatch(new RegExp(`https?://[^/]+${displayPath(endpoint).replace(/[{}]/g, "\\$&")}$`));
      expect(html).toContain('data-testid="example-response"');
    }
    expect((await page("/docs/no-such-endpoint")).status).toBe(404);
  });

  it("lists on each page only the errors its endpoint can give, as /openapi.json does, with an example of one of them", async () => {
    const document = (await (await client.request("/openapi.json")).json()) as Record<string, unknown>;
    for (const endpoint of DOCS_ENDPOINTS) {
      const { html } = await page(`/docs/${endpoint.slug}`);
      const rows = errorRows(html);
      expect(rows, endpoint.slug).toEqual(endpointErrors(document, endpoint).map((e) => e.status));
      const example = /data-testid="example-error"[\s\S]*?<span class="truncate">[^<]*?(\d{3})<\/span>/.exec(html);
      expect(rows, endpoint.slug).toContain(Number(example![1]));
    }
    // Lookups are not billed: no 402, no insufficient_quota on their pages.
    for (const slug of ["models", "models-retrieve", "responses-retrieve", "responses-delete", "responses-input-items", "billing-subscription", "billing-usage", "messages-count-tokens"]) {
      const { html } = await page(`/docs/${slug}`);
      expect(errorRows(html), slug).not.toContain(402);
      expect(html, slug).not.toContain("insufficient_quota");
      expect(html, slug).not.toContain("billing_error");
    }
    expect(errorRows((await page("/docs/models")).html)).toEqual([401, 500]);
    const retrieve = (await page("/docs/responses-retrieve")).html;
    expect(retrieve).toContain("No stored response with this id in your account.");
    expect(retrieve).toContain("&quot;code&quot;: &quot;not_found&quot;");
    const zh = (await page("/docs/responses-retrieve", "zh")).html;
    expect(zh).toContain("你的账户中没有此 id 的已存储响应。");
    expect(zh).toContain("示例：404");
  });

  it("gives every docs page the key picker with its paste field, and the nav every endpoint's full path", async () => {
    for (const path of ["/docs", ...DOCS_ENDPOINTS.map((e) => `/docs/${e.slug}`)]) {
      for (const locale of ["en", "zh"] as const) {
        const { html } = await page(path, locale);
        expect(html, `${path} ${locale}`).toContain('data-testid="key-picker"');
        expect(html, `${path} ${locale}`).toContain('data-testid="paste-key"');
        const navPaths = [...html.matchAll(/data-testid="docs-nav-path">([\s\S]*?)<\/code>/g)].map((m) => plain(m[1]!));
        expect(navPaths, path).toEqual(DOCS_ENDPOINTS.map(displayPath));
      }
    }
    // Paths wrap only between their segments.
    const html = (await page("/docs")).html;
    expect(html).toContain("/v1<wbr/>/responses<wbr/>/{response_id}<wbr/>/input_items");
    // The signed-in user keeps the Playground key in Try it.
    expect(html).toContain('data-testid="try-it-key"');
    expect(html).not.toContain('data-testid="try-it-visitor"');
  });

  it("lays parameters out in two columns: the name with its type, then the description with its limits and default", async () => {
    const { html } = await page("/docs/chat-completions");
    const header = /<thead[\s\S]*?<\/thead>/.exec(/data-testid="param-table"[\s\S]*/.exec(html)![0])![0];
    expect([...header.matchAll(/<th /g)]).toHaveLength(2);
    const temperature = /data-param="temperature"[\s\S]*?<\/tr>/.exec(html)![0];
    expect(plain(temperature)).toContain("Sampling temperature between 0 and 2");
    expect(plain(temperature)).toContain("0 to 2");
    expect(plain(temperature)).toContain("Default: 1");
    const stop = /data-param="stop"[\s\S]*?<\/tr>/.exec(html)![0];
    expect(stop).toContain('<span class="whitespace-nowrap">string |</span> <span class="whitespace-nowrap">array&lt;string&gt; |</span> <span class="whitespace-nowrap">null</span>');
  });

  const tryIt = (body: unknown) => client.json("/api/docs/try", "POST", body);

  async function logOf(requestId: string): Promise<TryItRequestLog> {
    let log: TryItRequestLog | null = null;
    await eventually(async () => {
      const response = await client.request(`/api/docs/requests/${requestId}`);
      expect(response.status).toBe(200);
      log = (await response.json()) as TryItRequestLog;
    }, 5_000);
    return log!;
  }

  it("runs a request through the portal with the Playground key: the sandbox's answer, its request id and cost", async () => {
    const response = await tryIt({ method: "POST", path: "/v1/chat/completions", body: { model: "sandbox-chat", messages: [{ role: "user", content: "Hello docs" }] } });
    expect(response.status).toBe(200);
    const requestId = response.headers.get("x-request-id")!;
    expect(requestId).toMatch(/^req_/);
    const completion = (await response.json()) as { choices: Array<{ message: { content: string } }>; usage: { prompt_tokens: number; completion_tokens: number } };
    expect(completion.choices[0]!.message.content).toContain('You said: "Hello docs"');

    const log = await logOf(requestId);
    expect(log).toMatchObject({ id: requestId, status: 200, model: "sandbox-chat", endpoint: "/v1/chat/completions", cost: "0", stream: false });
    expect(log.promptTokens).toBe(completion.usage.prompt_tokens);
    expect(log.completionTokens).toBe(completion.usage.completion_tokens);
    const row = await world.db.requestLog.findUniqueOrThrow({ where: { id: requestId }, include: { apiKey: true } });
    expect(row.apiKey).toMatchObject({ userId, name: "Playground" });
  });

  it("relays streams chunk by chunk, and the Responses API", async () => {
    const response = await tryIt({ method: "POST", path: "/v1/chat/completions", body: { model: "sandbox-chat", stream: true, messages: [{ role: "user", content: "Stream it please" }] } });
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toContain("text/event-stream");
    const body = await response.text();
    const deltas = body
      .split("\n")
      .filter((line) => line.startsWith("data: {"))
      .map((line) => (JSON.parse(line.slice(6)) as { choices: Array<{ delta: { content?: string } }> }).choices[0]?.delta.content ?? "");
    expect(deltas.filter(Boolean).length).toBeGreaterThan(5);
    expect(deltas.join("")).toContain('You said: "Stream it please"');
    expect(body.trimEnd().endsWith("data: [DONE]")).toBe(true);
    expect((await logOf(response.headers.get("x-request-id")!)).stream).toBe(true);

    const created = await tryIt({ method: "POST", path: "/v1/responses", body: { model: "sandbox-chat", input: "Hello responses" } });
    expect(created.status).toBe(200);
    const { id, output } = (await created.json()) as { id: string; output: unknown[] };
    expect(JSON.stringify(output)).toContain("Hello responses");
    const fetched = await tryIt({ method: "GET", path: `/v1/responses/${id}` });
    expect(fetched.status).toBe(200);
    const models = await tryIt({ method: "GET", path: "/v1/models" });
    expect(((await models.json()) as { data: Array<{ id: string }> }).data.map((m) => m.id)).toContain("sandbox-chat");
  });

  it("runs Anthropic's Messages through the portal with the Playground key: a Message, a stream of Anthropic events, a count, Anthropic's errors", async () => {
    const created = await tryIt({ method: "POST", path: "/v1/messages", body: { model: "sandbox-chat", max_tokens: 200, messages: [{ role: "user", content: "Hello messages" }] } });
    expect(created.status).toBe(200);
    const message = (await created.json()) as { type: string; content: Array<{ type: string; text: string }>; usage: { input_tokens: number; output_tokens: number } };
    expect(message.type).toBe("message");
    expect(message.content[0]!.text).toContain('You said: "Hello messages"');
    const requestId = created.headers.get("x-request-id") ?? created.headers.get("request-id");
    expect(requestId).toMatch(/^req_/);
    const log = await logOf(requestId!);
    expect(log).toMatchObject({ status: 200, endpoint: "/v1/messages", model: "sandbox-chat", stream: false });
    expect(log.completionTokens).toBe(message.usage.output_tokens);

    const streamed = await tryIt({ method: "POST", path: "/v1/messages?beta=true", body: { model: "sandbox-chat", max_tokens: 200, stream: true, messages: [{ role: "user", content: "Stream messages" }] } });
    expect(streamed.status).toBe(200);
    expect(streamed.headers.get("content-type")).toContain("text/event-stream");
    const events = await streamed.text();
    expect(events).toContain("event: message_start");
    expect(events).toContain("event: content_block_delta");
    expect(events.trimEnd().endsWith('data: {"type":"message_stop"}')).toBe(true);

    const counted = await tryIt({ method: "POST", path: "/v1/messages/count_tokens", body: { model: "sandbox-chat", messages: [{ role: "user", content: "Count me" }] } });
    expect(counted.status).toBe(200);
    expect(((await counted.json()) as { input_tokens: number }).input_tokens).toBeGreaterThan(0);

    // Refusals keep Anthropic's shape (the endpoint's own, relayed unchanged).
    const missing = await tryIt({ method: "POST", path: "/v1/messages", body: { model: "no-such-model", max_tokens: 10, messages: [{ role: "user", content: "hi" }] } });
    expect(missing.status).toBe(404);
    expect(await missing.json()).toMatchObject({ type: "error", error: { type: "not_found_error" } });
    const invalid = await tryIt({ method: "POST", path: "/v1/messages", body: { model: "sandbox-chat", messages: [{ role: "user", content: "no max_tokens" }] } });
    expect(invalid.status).toBe(400);
    expect(await invalid.json()).toMatchObject({ type: "error", error: { type: "invalid_request_error" } });
  });

  it("relays a 402 on a paid model, and bills the cost once there is a balance", async () => {
    await world.channel({ name: "sandbox-paid", type: "sandbox", models: ["sandbox-paid"] });
    await world.price("sandbox-paid", 2_000_000n, 8_000_000n);
    const body = { model: "sandbox-paid", messages: [{ role: "user", content: "Costs money" }] };
    await eventually(async () => expect((await tryIt({ method: "POST", path: "/v1/chat/completions", body })).status).toBe(402), 10_000);
    const refused = await tryIt({ method: "POST", path: "/v1/chat/completions", body });
    expect(refused.status).toBe(402);
    expect(((await refused.json()) as { error: { code: string } }).error.code).toBe("insufficient_quota");

    await appendLedgerEntry(world.db, { userId, kind: LedgerKind.ADJUSTMENT, amount: 1_000_000n, idempotencyKey: `docs-test-credit:${userId}` });
    const paid = await tryIt({ method: "POST", path: "/v1/chat/completions", body });
    expect(paid.status).toBe(200);
    const { usage } = (await paid.json()) as { usage: { prompt_tokens: number; completion_tokens: number } };
    const log = await logOf(paid.headers.get("x-request-id")!);
    expect(BigInt(log.cost)).toBe(BigInt(usage.prompt_tokens) * 2n + BigInt(usage.completion_tokens) * 8n);
  });

  it("refuses anything but the documented endpoints, strangers, and other users' request ids", async () => {
    for (const target of [
      { method: "POST", path: "/api/keys", body: {} },
      { method: "GET", path: "/v1/../api/keys" },
      { method: "DELETE", path: "/v1/models/sandbox-chat" },
      { method: "PUT", path: "/v1/models" },
      { method: "POST", path: "/v1/chat/completions", body: [1] },
    ]) {
      const response = await tryIt(target);
      expect(response.status, JSON.stringify(target)).toBe(400);
    }
    const cookies = (client as unknown as { cookies: Map<string, string> }).cookies;
    cookies.set("NEXT_LOCALE", "zh");
    const zh = await tryIt({ method: "GET", path: "/etc/passwd" });
    cookies.delete("NEXT_LOCALE");
    expect(((await zh.json()) as { error: { message: string } }).error.message).toContain("在线试用");

    const anonymous = new PortalClient(world.server.url);
    expect((await anonymous.json("/api/docs/try", "POST", { method: "GET", path: "/v1/models" })).status).toBe(401);
    expect((await anonymous.request("/api/docs/requests/req_x")).status).toBe(401);

    const other = await world.user(0n);
    const theirs = await world.client(other.apiKey).chat.completions.create({ model: "sandbox-chat", messages: [{ role: "user", content: "mine" }] }).withResponse();
    const theirId = theirs.response.headers.get("x-request-id")!;
    await world.logOf(theirId);
    expect((await client.request(`/api/docs/requests/${theirId}`)).status).toBe(404);
  });
});
