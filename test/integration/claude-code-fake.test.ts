import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, beforeEach, describe, expect, it, onTestFinished } from "vitest";
import { CLAUDE_CODE_OFFLINE_ENV, claudeCodeAvailable, claudeCodeEnv, runClaudeCode, scrubClaudeCodeRecording } from "../helpers/claude-code";
import { FAKE_ANTHROPIC_API_KEY, errorReply, estimateInputTokens, estimateOutputTokens, message, startFakeAnthropic, textMessage, thinkingBlock, toolUseBlock, type FakeAnthropic } from "../helpers/fake-anthropic";

/**
 * Claude Code (the real binary, offline) against the fake Anthropic API. Also keeps the fixture of
 * the main-turn request it sends, test/fixtures/claude-code/messages-request{,.headers}.json: after
 * a Claude Code upgrade, re-record with RECORD_CLAUDE_CODE_FIXTURE=1.
 */
const MODEL = "claude-sonnet-5";
const AUTH_TOKEN = "cc-fake-auth-token";
const fixtures = path.resolve(import.meta.dirname, "../fixtures/claude-code");
const record = process.env.RECORD_CLAUDE_CODE_FIXTURE === "1";

/** Compares a scrubbed recording with its fixture (or writes the fixture when recording). */
function expectFixture(name: string, value: unknown) {
  const file = path.join(fixtures, name);
  if (record) {
    mkdirSync(fixtures, { recursive: true });
    writeFileSync(file, JSON.stringify(value, null, 2) + "\n");
  }
  expect(value, `Claude Code's request changed (${name}): re-record with RECORD_CLAUDE_CODE_FIXTURE=1`).toEqual(JSON.parse(readFileSync(file, "utf8")));
}

describe("Claude Code against the fake Anthropic API", () => {
  let fake: FakeAnthropic;

  beforeAll(async () => {
    fake = await startFakeAnthropic({ authToken: AUTH_TOKEN });
  });
  afterAll(() => fake.close());
  beforeEach(() => {
    fake.received.length = 0;
  });

  it("gives Claude Code a clean environment: none of the parent's ANTHROPIC_* or CLAUDE_* variables", () => {
    const saved = { ...process.env };
    Object.assign(process.env, { ANTHROPIC_API_KEY: "parent-key", ANTHROPIC_BASE_URL: "http://parent.invalid", CLAUDE_CONFIG_DIR: "/parent", HTTPS_PROXY: "http://proxy.invalid" });
    try {
      const env = claudeCodeEnv({ baseUrl: fake.origin, authToken: AUTH_TOKEN }, "/h", "/t");
      expect(env).toMatchObject({ ANTHROPIC_BASE_URL: fake.origin, ANTHROPIC_AUTH_TOKEN: AUTH_TOKEN, HOME: "/h", CLAUDE_CONFIG_DIR: "/h/.claude", TMPDIR: "/t", ...CLAUDE_CODE_OFFLINE_ENV });
      expect(env.ANTHROPIC_API_KEY).toBeUndefined();
      expect(env.HTTPS_PROXY).toBeUndefined();
      expect(Object.values(env)).not.toContain("/parent");
    } finally {
      for (const key of ["ANTHROPIC_API_KEY", "ANTHROPIC_BASE_URL", "CLAUDE_CONFIG_DIR", "HTTPS_PROXY"]) {
        if (saved[key] === undefined) delete process.env[key];
        else process.env[key] = saved[key];
      }
    }
  });

  it("answers `-p` with an API key (x-api-key), making exactly one request", async () => {
    const run = await runClaudeCode({ baseUrl: fake.origin, apiKey: FAKE_ANTHROPIC_API_KEY, model: MODEL, prompt: "Say hi" });
    expect(run, run.stderr).toMatchObject({ code: 0, timedOut: false });
    expect(run.stdout.trim()).toBe("You said: Say hi");
    console.info(`claude -p took ${run.durationMs} ms`);

    expect(fake.received.map((r) => `${r.method} ${r.path}`)).toEqual(["POST /v1/messages?beta=true"]);
    const [request] = fake.received;
    expect(request.headers).toMatchObject({ "x-api-key": FAKE_ANTHROPIC_API_KEY, "anthropic-version": "2023-06-01", "x-app": "cli" });
    expect(request.headers.authorization).toBeUndefined();
    expect(String(request.headers["anthropic-beta"]).split(",")).toContain("claude-code-20250219");
    const body = request.body as Record<string, any>;
    expect(body).toMatchObject({ model: MODEL, stream: true, thinking: { type: expect.any(String) }, context_management: { edits: expect.any(Array) } });
    expect(JSON.parse(body.metadata.user_id)).toMatchObject({ device_id: expect.any(String), session_id: expect.any(String) });
    expect(body.system.some((b: { cache_control?: unknown }) => b.cache_control)).toBe(true);
    expect(body.tools.some((t: { defer_loading?: boolean }) => t.defer_loading === true)).toBe(true);

    const scrubbed = scrubClaudeCodeRecording(body, run, [FAKE_ANTHROPIC_API_KEY]);
    const headers = scrubClaudeCodeRecording(request.headers, run, [FAKE_ANTHROPIC_API_KEY]);
    const text = JSON.stringify([scrubbed, headers]);
    for (const leak of [FAKE_ANTHROPIC_API_KEY, run.dirs.base, JSON.parse(body.metadata.user_id).device_id]) expect(text).not.toContain(leak);
    // The fixtures are exactly what this Claude Code version sends (minus the placeholders).
    expectFixture("messages-request.json", scrubbed);
    expectFixture("messages-request.headers.json", headers);
    // Newer models get the session's system reminders as a trailing `role: "system"` message.
    expect(body.messages.map((m: { role: string }) => m.role)).toEqual(["user", "system"]);
  });

  it("sends older models budgeted thinking and the reminders inside the user message", async () => {
    const run = await runClaudeCode({ baseUrl: fake.origin, apiKey: FAKE_ANTHROPIC_API_KEY, model: "claude-haiku-4-5", prompt: "Say hi" });
    expect(run, run.stderr).toMatchObject({ code: 0 });
    const body = fake.messages()[0].body as Record<string, any>;
    expect(body.thinking).toMatchObject({ type: "enabled", budget_tokens: expect.any(Number) });
    expect(body.messages.map((m: { role: string }) => m.role)).toEqual(["user"]);
    expectFixture("messages-request.claude-haiku-4-5.json", scrubClaudeCodeRecording(body, run, [FAKE_ANTHROPIC_API_KEY]));
  });

  it("answers `-p` with an auth token (Authorization: Bearer) and reports the fake's usage in JSON", async () => {
    const run = await runClaudeCode({ baseUrl: fake.origin, authToken: AUTH_TOKEN, model: MODEL, prompt: "Say hi", outputFormat: "json" });
    expect(run, run.stderr).toMatchObject({ code: 0, timedOut: false });
    const [request] = fake.messages();
    expect(request.headers.authorization).toBe(`Bearer ${AUTH_TOKEN}`);
    expect(request.headers["x-api-key"]).toBeUndefined();
    expect(run.json).toMatchObject({ type: "result", is_error: false, result: "You said: Say hi", num_turns: 1 });
    expect(run.json!.usage).toMatchObject({ input_tokens: estimateInputTokens(request.body), output_tokens: estimateOutputTokens("You said: Say hi"), cache_read_input_tokens: 0 });
  });

  it("fails cleanly on a wrong key", async () => {
    const run = await runClaudeCode({ baseUrl: fake.origin, apiKey: "sk-ant-wrong", model: MODEL, prompt: "Say hi", outputFormat: "json" });
    expect(run.code).toBe(1);
    expect(run.json).toMatchObject({ is_error: true, api_error_status: 401 });
    expect(fake.received.map((r) => r.path)).toEqual(["/v1/messages?beta=true"]);
  });

  it("runs a tool the fake asks for and sends thinking and the tool_result back, with cache usage reported", async () => {
    // Outside the repository: Claude Code reads CLAUDE.md files from the working directory upwards.
    const cwd = mkdtempSync(path.join(os.tmpdir(), "claude-code-tool-"));
    onTestFinished(() => rmSync(cwd, { recursive: true, force: true }));
    writeFileSync(path.join(cwd, "note.txt"), "the secret word is pineapple\n");
    fake.enqueue(
      { kind: "message", message: message([thinkingBlock("The user wants the word; read the file.", "sig-read-1"), toolUseBlock("Read", { file_path: path.join(cwd, "note.txt") }, "toolu_read_1")]) },
      {
        kind: "message",
        message: textMessage("The word is pineapple.", { usage: { input_tokens: 50, output_tokens: 6, cache_read_input_tokens: 1000, cache_creation: { ephemeral_5m_input_tokens: 200, ephemeral_1h_input_tokens: 0 } } }),
      },
    );
    const run = await runClaudeCode({ baseUrl: fake.origin, apiKey: FAKE_ANTHROPIC_API_KEY, model: MODEL, prompt: "What is the secret word in note.txt?", cwd, outputFormat: "json" });
    expect(run, run.stderr).toMatchObject({ code: 0 });
    expect(run.json).toMatchObject({ result: "The word is pineapple.", num_turns: 2 });
    const turns = fake.messages();
    expect(turns).toHaveLength(2);
    const second = turns[1].body as { messages: Array<{ role: string; content: string | Array<Record<string, unknown>> }> };
    // user prompt, system reminders (string content now), the tool call, its result, a trailing system reminder
    expect(second.messages.map((m) => m.role)).toEqual(["user", "system", "assistant", "user", "system"]);
    // The thinking block goes back with its signature, before the tool call.
    expect(second.messages[2].content).toEqual([
      expect.objectContaining({ type: "thinking", thinking: "The user wants the word; read the file.", signature: "sig-read-1" }),
      expect.objectContaining({ type: "tool_use", id: "toolu_read_1", name: "Read" }),
    ]);
    const result = (second.messages[3].content as Array<Record<string, unknown>>).find((b) => b.type === "tool_result")!;
    expect(result).toMatchObject({ tool_use_id: "toolu_read_1" });
    expect(JSON.stringify(result.content)).toContain("pineapple");
    expect(run.json!.usage).toMatchObject({ cache_read_input_tokens: 1000, cache_creation_input_tokens: 200 });
    expectFixture("messages-request.tool-result.json", scrubClaudeCodeRecording(second, run, [FAKE_ANTHROPIC_API_KEY]));
  });

  it("shows an upstream error without retrying forever (CLAUDE_CODE_MAX_RETRIES=0)", async () => {
    fake.enqueue(errorReply(529, { message: "Overloaded right now" }));
    const run = await runClaudeCode({ baseUrl: fake.origin, apiKey: FAKE_ANTHROPIC_API_KEY, model: MODEL, prompt: "Say hi", outputFormat: "json", env: { CLAUDE_CODE_MAX_RETRIES: "0" } });
    expect(run.code).toBe(1);
    expect(run.json).toMatchObject({ is_error: true, api_error_status: 529 });
    expect(run.json!.result).toContain("Overloaded right now");
    expect(fake.messages()).toHaveLength(1);
  });
});
