import { execFileSync } from "node:child_process";
import Anthropic from "@anthropic-ai/sdk";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { decryptSecret } from "@/lib/crypto/secret-box";
import { hashApiKey } from "@/lib/keys/api-key";
import { loopbackHost } from "@/lib/playground/gateway-url";
import { PLAYGROUND_KEY_NAME, playgroundSettingKey } from "@/lib/playground/playground-key";
import { buildSnippets } from "@/lib/playground/snippets";
import type { PlaygroundModel, TurnMetadata } from "@/lib/playground/types";
import { GatewayWorld, eventually } from "../helpers/gateway-world";
import { PortalClient } from "../helpers/portal-client";
import { ROOT } from "../helpers/server";

const PASSWORD = "long enough pw";

interface Chunk {
  type: string;
  delta?: string;
  errorText?: string;
  messageMetadata?: TurnMetadata;
}

/** The AI SDK's UI message stream is SSE: one JSON chunk per `data:` line, then [DONE]. */
function parseUiStream(body: string): Chunk[] {
  return body
    .split("\n")
    .filter((line) => line.startsWith("data: ") && line !== "data: [DONE]")
    .map((line) => JSON.parse(line.slice("data: ".length)) as Chunk);
}

const textOf = (chunks: Chunk[]) =>
  chunks
    .filter((c) => c.type === "text-delta")
    .map((c) => c.delta)
    .join("");

const finishOf = (chunks: Chunk[]) => chunks.find((c) => c.type === "finish")?.messageMetadata;

const userMessage = (text: string, id = `u-${Math.random()}`) => ({ id, role: "user", parts: [{ type: "text", text }] });
const assistantMessage = (text: string) => ({ id: `a-${Math.random()}`, role: "assistant", parts: [{ type: "step-start" }, { type: "text", text, state: "done" }] });

describe("playground (SQLite)", () => {
  const world = new GatewayWorld();
  let client: PortalClient;
  let userId: string;
  /** Another user's ordinary key: the same calls made directly, to compare answers with. */
  let directKey: string;

  beforeAll(async () => {
    await world.setUp("sqlite");
    await world.start();
    client = new PortalClient(world.server.url);
    await client.signUp("player@example.com", PASSWORD);
    expect(await client.signIn("player@example.com", PASSWORD)).toBeNull();
    userId = (await world.db.user.findUniqueOrThrow({ where: { email: "player@example.com" } })).id;
    directKey = (await world.user(0n)).apiKey;
  });

  afterAll(() => world.tearDown());

  const chat = (body: Record<string, unknown>) => client.json("/api/playground/chat", "POST", body);

  it("refuses callers who are not signed in", async () => {
    const anonymous = new PortalClient(world.server.url);
    const response = await anonymous.json("/api/playground/chat", "POST", { messages: [userMessage("hi")], model: "sandbox-chat" });
    expect(response.status).toBe(401);
    expect((await anonymous.request("/api/playground/models")).status).toBe(401);
  });

  it("lists the models the user can call, with prices", async () => {
    const response = await client.request("/api/playground/models");
    expect(response.status).toBe(200);
    const { data } = (await response.json()) as { data: PlaygroundModel[] };
    expect(data).toContainEqual(expect.objectContaining({ id: "sandbox-chat", free: true, priceLabel: "free", inputPrice: "0" }));
  });

  it("streams the sandbox's answer through the real gateway, billed and logged on the Playground key", async () => {
    const system = "You are terse and kind.";
    const response = await chat({ messages: [userMessage("Hello playground")], model: "sandbox-chat", system, temperature: 0.3, maxTokens: 200, stream: true, api: "chat" });
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toContain("text/event-stream");
    const chunks = parseUiStream(await response.text());
    const text = textOf(chunks);

    const direct = await world.client(directKey).chat.completions.create({
      model: "sandbox-chat",
      messages: [
        { role: "system", content: system },
        { role: "user", content: "Hello playground" },
      ],
    });
    expect(text).toBe(direct.choices[0]!.message.content);
    expect(text).toContain('You said: "Hello playground"');
    expect(text).toContain("system prompt of 5 words");
    // Streamed word by word: many deltas, not one block.
    expect(chunks.filter((c) => c.type === "text-delta").length).toBeGreaterThan(5);

    const metadata = finishOf(chunks)!;
    expect(metadata).toMatchObject({ model: "sandbox-chat", api: "chat", stream: true, costLabel: "$0.00", cost: "0" });
    expect(metadata.inputTokens).toBe(direct.usage!.prompt_tokens);
    expect(metadata.outputTokens).toBe(direct.usage!.completion_tokens);
    expect(metadata.requestId).toMatch(/^req_/);

    const log = await world.logOf(metadata.requestId!);
    const key = await world.db.apiKey.findUniqueOrThrow({ where: { id: log.apiKeyId! } });
    expect(key).toMatchObject({ userId, name: PLAYGROUND_KEY_NAME, revokedAt: null });
    expect(log).toMatchObject({ userId, model: "sandbox-chat", endpoint: "/v1/chat/completions", stream: true, status: 200, estimated: false });
    expect(log.promptTokens).toBe(metadata.inputTokens);
    expect(log.completionTokens).toBe(metadata.outputTokens);
  });

  it("keeps multi-turn history and answers without streaming when streaming is off", async () => {
    const history = [userMessage("First question"), assistantMessage("First answer."), userMessage("Second question, longer")];
    const response = await chat({ messages: history, model: "sandbox-chat", stream: false, api: "chat" });
    expect(response.status).toBe(200);
    const chunks = parseUiStream(await response.text());
    // Off: the whole answer arrives as one delta.
    expect(chunks.filter((c) => c.type === "text-delta")).toHaveLength(1);
    const direct = await world.client(directKey).chat.completions.create({
      model: "sandbox-chat",
      messages: [
        { role: "user", content: "First question" },
        { role: "assistant", content: "First answer." },
        { role: "user", content: "Second question, longer" },
      ],
    });
    expect(textOf(chunks)).toBe(direct.choices[0]!.message.content);
    const metadata = finishOf(chunks)!;
    expect(metadata.inputTokens).toBe(direct.usage!.prompt_tokens);
    const log = await world.logOf(metadata.requestId!);
    expect(log).toMatchObject({ stream: false, status: 200, endpoint: "/v1/chat/completions" });
    // The same Playground key is reused turn after turn.
    expect(await world.db.apiKey.count({ where: { userId, name: PLAYGROUND_KEY_NAME } })).toBe(1);
  });

  it("works through the Responses API, streamed and not", async () => {
    const input = [
      { role: "user" as const, content: "Respond please" },
      { role: "assistant" as const, content: "Sure." },
      { role: "user" as const, content: "Through the Responses API" },
    ];
    const direct = await world.client(directKey).responses.create({ model: "sandbox-chat", instructions: "Be brief.", input, store: false });
    const messages = [userMessage("Respond please"), assistantMessage("Sure."), userMessage("Through the Responses API")];
    for (const stream of [true, false]) {
      const response = await chat({ messages, model: "sandbox-chat", system: "Be brief.", stream, api: "responses", maxTokens: 300 });
      expect(response.status).toBe(200);
      const chunks = parseUiStream(await response.text());
      expect(textOf(chunks)).toBe(direct.output_text);
      const metadata = finishOf(chunks)!;
      expect(metadata).toMatchObject({ api: "responses", stream, inputTokens: direct.usage!.input_tokens, outputTokens: direct.usage!.output_tokens });
      const log = await world.logOf(metadata.requestId!);
      expect(log).toMatchObject({ userId, endpoint: "/v1/responses", stream, status: 200 });
    }
  });

  it("works through Anthropic's Messages API, streamed and not, on the Playground key", async () => {
    const direct = await new Anthropic({ apiKey: directKey, baseURL: world.server.url, maxRetries: 0 }).messages.create({
      model: "sandbox-chat",
      max_tokens: 300,
      system: "Be brief.",
      messages: [
        { role: "user", content: "Message please" },
        { role: "assistant", content: "Sure." },
        { role: "user", content: "Through the Messages API" },
      ],
    });
    const directText = direct.content.map((block) => (block.type === "text" ? block.text : "")).join("");
    const messages = [userMessage("Message please"), assistantMessage("Sure."), userMessage("Through the Messages API")];
    for (const stream of [true, false]) {
      const response = await chat({ messages, model: "sandbox-chat", system: "Be brief.", stream, api: "messages", maxTokens: 300 });
      expect(response.status).toBe(200);
      const chunks = parseUiStream(await response.text());
      expect(textOf(chunks)).toBe(directText);
      if (stream) expect(chunks.filter((c) => c.type === "text-delta").length).toBeGreaterThan(5);
      const metadata = finishOf(chunks)!;
      expect(metadata).toMatchObject({ api: "messages", stream, inputTokens: direct.usage.input_tokens, outputTokens: direct.usage.output_tokens, costLabel: "$0.00" });
      const log = await world.logOf(metadata.requestId!);
      expect(log).toMatchObject({ userId, endpoint: "/v1/messages", stream, status: 200 });
      const key = await world.db.apiKey.findUniqueOrThrow({ where: { id: log.apiKeyId! } });
      expect(key.name).toBe(PLAYGROUND_KEY_NAME);
    }
    // Anthropic's temperature range is checked before any call.
    const hot = await chat({ messages: [userMessage("hi")], model: "sandbox-chat", api: "messages", temperature: 1.5 });
    expect(hot.status).toBe(400);
    expect(((await hot.json()) as { error: { field: string } }).error.field).toBe("temperature");
    // The gateway's Anthropic-shaped refusal comes back as the playground's error.
    const missing = await chat({ messages: [userMessage("hi")], model: "no-such-model", api: "messages" });
    expect(missing.status).toBe(404);
    expect(((await missing.json()) as { error: { code: string; message: string } }).error).toMatchObject({ code: "not_found_error", message: expect.stringContaining("no-such-model") });
  });

  it("never stores the plain playground key", async () => {
    const setting = await world.db.setting.findUniqueOrThrow({ where: { key: playgroundSettingKey(userId) } });
    const { keyId, sealed } = JSON.parse(setting.value) as { keyId: string; sealed: string };
    // The test shares the server's ROOTAPI_ENCRYPTION_KEY (GatewayWorld sets it for both).
    const plain = decryptSecret(sealed);
    expect(plain).toMatch(/^sk-[0-9A-Za-z]{43}$/);
    const key = await world.db.apiKey.findUniqueOrThrow({ where: { id: keyId } });
    expect(key.keyHash).toBe(hashApiKey(plain));
    expect(setting.value).not.toContain(plain);
    expect(setting.value).not.toContain(plain.slice(3, 23));

    // Nowhere in the database file (nor its write-ahead log), in any table.
    const file = world.url.slice("file:".length);
    for (const path of [file, `${file}-wal`]) {
      if (!existsSync(path)) continue;
      const bytes = readFileSync(path);
      expect(bytes.includes(Buffer.from(plain)), path).toBe(false);
      expect(bytes.includes(Buffer.from(plain.slice(3, 23))), path).toBe(false);
    }
  });

  it("creates a new key when the user revoked the playground key on the keys page", async () => {
    const old = await world.db.apiKey.findFirstOrThrow({ where: { userId, name: PLAYGROUND_KEY_NAME, revokedAt: null } });
    const revoked = await client.json(`/api/keys/${old.id}`, "DELETE");
    expect(revoked.status).toBeLessThan(300);
    const response = await chat({ messages: [userMessage("After revoking")], model: "sandbox-chat" });
    expect(response.status).toBe(200);
    const metadata = finishOf(parseUiStream(await response.text()))!;
    const log = await world.logOf(metadata.requestId!);
    expect(log.apiKeyId).not.toBe(old.id);
    expect(await world.db.apiKey.count({ where: { userId, name: PLAYGROUND_KEY_NAME, revokedAt: null } })).toBe(1);
  });

  it("explains an insufficient balance on a paid model, streamed or not", async () => {
    await world.channel({ name: "sandbox-paid", type: "sandbox", models: ["sandbox-paid"] });
    await world.price("sandbox-paid", 2_000_000n, 8_000_000n);
    // The server's catalogs (the portal's and the gateway's) pick up the new model within seconds.
    await eventually(async () => {
      const { data } = (await (await client.request("/api/playground/models")).json()) as { data: PlaygroundModel[] };
      expect(data.find((m) => m.id === "sandbox-paid")).toMatchObject({ free: false, priceLabel: "$2.00 in · $8.00 out / 1M tokens" });
      expect((await chat({ messages: [userMessage("Ready?")], model: "sandbox-paid" })).status).not.toBe(404);
    }, 10_000);

    for (const stream of [true, false]) {
      const response = await chat({ messages: [userMessage("Costs money")], model: "sandbox-paid", stream });
      expect(response.status).toBe(402);
      const { error } = (await response.json()) as { error: { message: string; code: string; status: number; requestId?: string } };
      expect(error.code).toBe("insufficient_quota");
      expect(error.status).toBe(402);
      expect(error.message).toMatch(/^Insufficient balance — top up/);
      expect(error.message).toContain("your balance is $0.00");
      // The refused call is logged like any other.
      const log = await world.logOf(error.requestId!);
      expect(log).toMatchObject({ userId, status: 402, model: "sandbox-paid" });
    }
    expect((await world.balance(userId)).balance).toBe(0n);
  });

  it("shows the gateway's message for an unknown model, and refuses invalid settings", async () => {
    const missing = await chat({ messages: [userMessage("hi")], model: "no-such-model" });
    expect(missing.status).toBe(404);
    const { error } = (await missing.json()) as { error: { message: string; code: string } };
    expect(error.code).toBe("model_not_found");
    expect(error.message).toContain("The model `no-such-model` does not exist");

    const hot = await chat({ messages: [userMessage("hi")], model: "sandbox-chat", temperature: 3 });
    expect(hot.status).toBe(400);
    expect(((await hot.json()) as { error: { field: string } }).error.field).toBe("temperature");

    const tiny = await chat({ messages: [userMessage("hi")], model: "sandbox-chat", api: "responses", maxTokens: 5 });
    expect(tiny.status).toBe(400);

    const noUser = await chat({ messages: [assistantMessage("only me")], model: "sandbox-chat" });
    expect(noUser.status).toBe(400);
  });

  it("cuts the /v1 call when the browser stops reading (Stop), and bills only what was streamed", async () => {
    const before = new Date();
    const controller = new AbortController();
    const response = await client.request("/api/playground/chat", {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ messages: [userMessage("A slow answer that we stop early [sandbox:delay=300]")], model: "sandbox-chat" }),
      signal: controller.signal,
    });
    expect(response.status).toBe(200);
    const reader = response.body!.getReader();
    let seen = "";
    while (!seen.includes('"text-delta"')) seen += new TextDecoder().decode((await reader.read()).value);
    controller.abort();
    await reader.cancel().catch(() => {});

    // The full answer takes ~25 words × 300 ms; the gateway settles the cut call long before that.
    const log = await eventually(async () => {
      const row = await world.db.requestLog.findFirst({ where: { userId, createdAt: { gte: before } }, orderBy: { createdAt: "desc" } });
      expect(row).not.toBeNull();
      return row!;
    }, 4_000);
    expect(log.estimated).toBe(true);
    expect(log.completionTokens).toBeLessThan(10);
  });

  it("passes the sandbox's mid-stream error on as a readable error chunk", async () => {
    const response = await chat({ messages: [userMessage("Break please [sandbox:error_after=3]")], model: "sandbox-chat" });
    expect(response.status).toBe(200);
    const chunks = parseUiStream(await response.text());
    const error = chunks.find((c) => c.type === "error");
    expect(error).toBeDefined();
    const body = JSON.parse(error!.errorText!) as { error: { message: string } };
    expect(body.error.message.length).toBeGreaterThan(0);
    expect(body.error.message).not.toBe("An error occurred.");
  });

  it("View code: the curl and Node snippets run as shown, the Python one parses", async () => {
    const dir = path.join(ROOT, "test-results", "playground-snippets");
    mkdirSync(dir, { recursive: true });
    const env = { ...process.env, ROOTAPI_KEY: directKey };
    const turns = [
      { role: "user" as const, content: "Snippet question" },
      { role: "assistant" as const, content: "It's an \"answer\" with 'quotes'\nand a newline." },
      { role: "user" as const, content: "Snippet follow-up" },
    ];
    for (const api of ["chat", "responses", "messages"] as const) {
      for (const stream of [true, false]) {
        const settings = { model: "sandbox-chat", system: "Be brief.", temperature: 0.5, maxTokens: 100, stream, api };
        const snippets = buildSnippets(`${world.server.url}/v1`, settings, turns);
        const label = `${api}, stream ${stream}`;

        const curl = execFileSync("bash", ["-c", snippets.curl], { env, encoding: "utf8", stdio: "pipe" });
        expect(curl, label).toContain(stream ? ({ chat: "[DONE]", responses: "response.completed", messages: "message_stop" } as const)[api] : "Snippet follow-up");

        const file = path.join(dir, `${api}-${stream}.mjs`);
        writeFileSync(file, snippets.node);
        const node = execFileSync(process.execPath, [file], { env, encoding: "utf8" });
        expect(node, label).toContain('You said: "Snippet follow-up"');
        expect(node, label).toContain("It also read a system prompt of 2 words.");

        execFileSync("python3", ["-c", "import ast, sys; ast.parse(sys.stdin.read())"], { input: snippets.python });
        expect(snippets.python).toContain(api === "responses" ? "max_output_tokens=100" : "max_tokens=100");
      }
    }
  });

  it("reaches the gateway on the loopback address of a wildcard bind", () => {
    expect(loopbackHost(undefined)).toBe("127.0.0.1");
    expect(loopbackHost("0.0.0.0")).toBe("127.0.0.1");
    expect(loopbackHost("::")).toBe("127.0.0.1");
    expect(loopbackHost("10.1.2.3")).toBe("10.1.2.3");
    expect(loopbackHost("::1")).toBe("[::1]");
  });
});
