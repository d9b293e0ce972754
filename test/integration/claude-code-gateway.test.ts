import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runClaudeCode } from "../helpers/claude-code";
import { databaseProviders } from "../helpers/database-matrix";
import { FAKE_ANTHROPIC_API_KEY, startFakeAnthropic, type FakeAnthropic } from "../helpers/fake-anthropic";
import { completion, startFakeUpstream, streamEvents, type FakeUpstream } from "../helpers/fake-upstream";
import { eventually, GatewayWorld } from "../helpers/gateway-world";

/**
 * Claude Code's own binary, unmodified and offline, pointed at RootAPI (ANTHROPIC_BASE_URL) with a
 * RootAPI key — on an Anthropic channel (native), an OpenAI-compatible one and the sandbox
 * (translated). Each run is billed and logged like any other request.
 */
describe.each(await databaseProviders())("Claude Code through RootAPI on %s", (provider) => {
  const world = new GatewayWorld();
  let anthropic: FakeAnthropic;
  let chat: FakeUpstream;
  let user: Awaited<ReturnType<GatewayWorld["user"]>>;

  beforeAll(async () => {
    await world.setUp(provider);
    anthropic = await startFakeAnthropic();
    chat = await startFakeUpstream((req) =>
      (req.body as { stream?: boolean }).stream
        ? { kind: "sse", events: streamEvents(["Hi", " from", " chat", "."], { prompt_tokens: 900, completion_tokens: 4 }) }
        : { kind: "json", body: completion("Hi from chat.", { prompt_tokens: 900, completion_tokens: 4 }) },
    );
    await world.channel({ name: "anthropic", type: "anthropic", baseUrl: anthropic.origin, apiKey: FAKE_ANTHROPIC_API_KEY, models: ["claude-native"], modelMapping: { "claude-native": "claude-sonnet-5" } });
    await world.channel({ name: "chat", baseUrl: chat.url, apiKey: "chat-key", models: ["chat-model"] });
    for (const model of ["claude-native", "chat-model"]) await world.price(model, 3_000_000n, 15_000_000n);
    user = await world.user(50_000_000n);
    await world.start();
  });

  afterAll(async () => {
    await world.tearDown();
    await anthropic?.close();
    await chat?.close();
  });

  const logsOf = () => world.db.requestLog.findMany({ where: { userId: user.user.id, endpoint: "/v1/messages" }, orderBy: { createdAt: "asc" } });
  /** The log rows of one model once `count` of them are written (settlement writes them just behind the answers). */
  const logsFor = (model: string, count = 1) =>
    eventually(async () => {
      const rows = (await logsOf()).filter((row) => row.model === model);
      expect(rows.length).toBeGreaterThanOrEqual(count);
      return rows;
    });

  it("works on an Anthropic channel (natively) with ANTHROPIC_API_KEY", async () => {
    const run = await runClaudeCode({ baseUrl: world.server.url, apiKey: user.apiKey, model: "claude-native", prompt: "Say hi" });
    expect(run, run.stderr).toMatchObject({ code: 0, timedOut: false });
    expect(run.stdout.trim()).toBe("You said: Say hi");
    const [sent] = anthropic.messages();
    // Claude Code's body and headers went upstream as it sent them, with the channel's key and model.
    expect(sent!.body).toMatchObject({ model: "claude-sonnet-5", stream: true, context_management: expect.any(Object) });
    expect(sent!.headers).toMatchObject({ "x-api-key": FAKE_ANTHROPIC_API_KEY, "anthropic-version": "2023-06-01" });
    expect(String(sent!.headers["anthropic-beta"])).toContain("claude-code-20250219");
    const [log] = await logsFor("claude-native");
    expect(log).toMatchObject({ status: 200, stream: true, estimated: false });
    expect(log!.cost).toBeGreaterThan(0n);
  });

  it("works on an OpenAI-compatible channel (translated) with ANTHROPIC_AUTH_TOKEN", async () => {
    const run = await runClaudeCode({ baseUrl: world.server.url, authToken: user.apiKey, model: "chat-model", prompt: "Say hi" });
    expect(run, run.stderr).toMatchObject({ code: 0, timedOut: false });
    expect(run.stdout.trim()).toBe("Hi from chat.");
    const sent = chat.received.at(-1)!.body as { messages: Array<{ role: string }>; tools: unknown[] };
    expect(sent.messages[0]!.role).toBe("system");
    expect(sent.tools.length).toBeGreaterThan(5);
    // 900 × $3 + 4 × $15 per 1M tokens
    expect((await logsFor("chat-model"))[0]).toMatchObject({ status: 200, promptTokens: 900, completionTokens: 4, cost: 2_760n });
  });

  it("works on the sandbox, and an agent turn with a tool call comes to an end", async () => {
    const plain = await runClaudeCode({ baseUrl: world.server.url, apiKey: user.apiKey, model: "sandbox-chat", prompt: "Hello sandbox" });
    expect(plain, plain.stderr).toMatchObject({ code: 0, timedOut: false });
    // The sandbox echoes the last user message (Claude Code's system reminders come first in it).
    expect(plain.stdout).toContain("sandbox-chat echoes your last message");

    const before = (await logsFor("sandbox-chat")).length;
    const agent = await runClaudeCode({ baseUrl: world.server.url, apiKey: user.apiKey, model: "sandbox-chat", prompt: "Look at a file [sandbox:tool=Read]", timeoutMs: 60_000 });
    expect(agent, agent.stderr).toMatchObject({ code: 0, timedOut: false });
    // The tool call, then (its result sent back, without the directive) a text answer that ends the turn.
    const turns = (await logsFor("sandbox-chat", before + 2)).slice(before);
    expect(turns.length).toBe(2);
    expect(turns.every((log) => log.status === 200)).toBe(true);
  });
});
