import { afterAll, beforeAll, describe, expect, it } from "vitest";
import OpenAI from "openai";
import { databaseProviders } from "../helpers/database-matrix";
import { completion, startFakeUpstream, streamEvents, type FakeUpstream, type Handler } from "../helpers/fake-upstream";
import { eventually, GatewayWorld } from "../helpers/gateway-world";
import { startServer } from "../helpers/server";

/** µ$ per 1M tokens: $2 input, $8 output, $0.50 cached input. */
const IN = 2_000_000n;
const OUT = 8_000_000n;
const CACHED = 500_000n;

/** The main upstream: special prompts script special answers. */
const mainHandler: Handler = (req) => {
  const body = req.body as { stream?: boolean; messages: Array<{ content: unknown }> };
  const last = JSON.stringify(body.messages.at(-1)?.content ?? "");
  if (last.includes("bad tool")) return { kind: "json", status: 400, body: { error: { message: "Invalid schema for function 'x'", type: "invalid_request_error", param: "tools[0]", code: "invalid_function_parameters" } } };
  if (last.includes("detail error")) return { kind: "json", status: 422, body: { detail: "max_tokens is too large for this model" } };
  if (last.includes("slow stream")) return { kind: "sse", events: streamEvents(Array.from({ length: 40 }, (_, i) => ` word${i}`)), delayMs: 50 };
  if (last.includes("no usage")) return body.stream ? { kind: "sse", events: streamEvents(["Hello", " there", "!"]) } : { kind: "json", body: { ...completion("Hello there!"), usage: undefined } };
  if (body.stream) return { kind: "sse", events: streamEvents(["Hello", " from", " upstream", "."], { prompt_tokens: 20, completion_tokens: 4 }) };
  return { kind: "json", body: completion("Hello from upstream.", { prompt_tokens: 20, completion_tokens: 4 }) };
};

describe.each(await databaseProviders())("gateway /v1/chat/completions on %s", (provider) => {
  const world = new GatewayWorld();
  let main: FakeUpstream;
  let broken: FakeUpstream;
  let flaky: FakeUpstream;
  let flakyHealthy = false;
  let rich: Awaited<ReturnType<GatewayWorld["user"]>>;

  beforeAll(async () => {
    await world.setUp(provider);
    main = await startFakeUpstream(mainHandler);
    broken = await startFakeUpstream(() => ({ kind: "json", status: 500, body: { error: { message: "upstream exploded", type: "server_error" } } }));
    flaky = await startFakeUpstream(() => (flakyHealthy ? { kind: "json", body: completion("back again") } : { kind: "json", status: 503, body: "overloaded" }));

    await world.channel({ name: "main", baseUrl: main.url, apiKey: "upstream-key-main", models: ["gpt-test", "gpt-mapped", "gpt-failover"], modelMapping: { "gpt-mapped": "real-upstream-name" }, priority: 0 });
    await world.channel({ name: "broken-first", baseUrl: broken.url, apiKey: "k", models: ["gpt-failover"], priority: 10 });
    await world.channel({ name: "flaky", baseUrl: flaky.url, apiKey: "k", models: ["gpt-flaky"] });
    await world.channel({ name: "dead", baseUrl: "http://127.0.0.1:9/v1", apiKey: "k", models: ["gpt-dead"] });
    for (const model of ["gpt-test", "gpt-mapped", "gpt-failover", "gpt-flaky", "gpt-dead"]) await world.price(model, IN, OUT, CACHED);
    await world.price("gpt-unrouted", IN, OUT);
    rich = await world.user(100_000_000n);
    // A zone far from UTC: the gateway reads timestamps with the database driver directly, and a
    // zone-less PostgreSQL timestamp taken for local time would be 14 hours off.
    await world.start({ ROOTAPI_CHANNEL_FAILURE_THRESHOLD: "3", ROOTAPI_CHANNEL_RETEST_SECONDS: "1", TZ: "Pacific/Kiritimati" });
  });

  afterAll(async () => {
    await world.tearDown();
    await Promise.all([main, broken, flaky].map((u) => u?.close()));
  });

  it("relays a completion unchanged and bills its exact cost", async () => {
    const client = world.client(rich.apiKey);
    const before = await world.balance(rich.user.id);
    const result = await client.chat.completions.create({ model: "gpt-test", messages: [{ role: "user", content: "Hi" }] });
    expect(result).toMatchObject(completion("Hello from upstream.", { prompt_tokens: 20, completion_tokens: 4 }));
    const log = await world.logOf(result._request_id!);
    // 20 × $2/1M + 4 × $8/1M = 40 + 32 = 72 µ$
    expect(log).toMatchObject({ status: 200, promptTokens: 20, completionTokens: 4, cost: 72n, estimated: false, model: "gpt-test", endpoint: "/v1/chat/completions" });
    const after = await world.balance(rich.user.id);
    expect(before.balance - after.balance).toBe(72n);
    expect(after.balance).toBe(after.ledgerSum);
    const entry = await world.db.ledgerEntry.findUniqueOrThrow({ where: { idempotencyKey: `usage:${result._request_id}` } });
    expect(entry).toMatchObject({ kind: "USAGE", amount: -72n, balanceAfter: after.balance });
  });

  it("forwards every field (unknown ones, images, tools, logprobs) and maps the model name", async () => {
    const client = world.client(rich.apiKey);
    const tools = [{ type: "function" as const, function: { name: "get_weather", description: "Weather", parameters: { type: "object", properties: { city: { type: "string" } }, required: ["city"] } } }];
    const messages = [
      { role: "developer" as const, content: "Be brief." },
      { role: "user" as const, content: [{ type: "text" as const, text: "What is this?" }, { type: "image_url" as const, image_url: { url: "data:image/png;base64,iVBORw0KGgo=", detail: "low" as const } }] },
    ];
    await client.chat.completions.create({
      model: "gpt-mapped",
      messages,
      tools,
      tool_choice: "auto",
      parallel_tool_calls: false,
      temperature: 0.2,
      top_p: 0.9,
      max_completion_tokens: 50,
      logprobs: true,
      top_logprobs: 2,
      seed: 7,
      stop: ["\n\n"],
      user: "end-user-1",
      metadata: { purpose: "test" },
      response_format: { type: "text" },
      // @ts-expect-error: a provider-specific field the SDK does not know must still be forwarded
      repetition_penalty: 1.1,
    });
    const received = main.received.at(-1)!;
    expect(received.path).toBe("/v1/chat/completions");
    expect(received.headers.authorization).toBe("Bearer upstream-key-main");
    expect(received.body).toEqual({
      model: "real-upstream-name",
      messages,
      tools,
      tool_choice: "auto",
      parallel_tool_calls: false,
      temperature: 0.2,
      top_p: 0.9,
      max_completion_tokens: 50,
      logprobs: true,
      top_logprobs: 2,
      seed: 7,
      stop: ["\n\n"],
      user: "end-user-1",
      metadata: { purpose: "test" },
      response_format: { type: "text" },
      repetition_penalty: 1.1,
    });
  });

  it("relays tool calls and logprobs exactly", async () => {
    const answer = completion("", { prompt_tokens: 30, completion_tokens: 12 });
    answer.choices[0] = {
      index: 0,
      message: { role: "assistant", content: null as unknown as string, refusal: null, annotations: [], tool_calls: [{ id: "call_1", type: "function", function: { name: "get_weather", arguments: '{"city":"Paris"}' } }] } as never,
      logprobs: { content: [{ token: "Hi", logprob: -0.0123, bytes: [72, 105], top_logprobs: [{ token: "Hi", logprob: -0.0123, bytes: [72, 105] }, { token: "Hey", logprob: -4.5, bytes: [72, 101, 121] }] }], refusal: null } as never,
      finish_reason: "tool_calls",
    };
    main.setHandler(() => ({ kind: "json", body: answer }));
    try {
      const raw = await fetch(`${world.server.url}/v1/chat/completions`, {
        method: "POST",
        headers: { authorization: `Bearer ${rich.apiKey}`, "content-type": "application/json" },
        body: JSON.stringify({ model: "gpt-test", messages: [{ role: "user", content: "weather?" }], logprobs: true, top_logprobs: 2 }),
      });
      expect(raw.status).toBe(200);
      expect(await raw.text()).toBe(JSON.stringify(answer));
    } finally {
      main.setHandler(mainHandler);
    }
  });

  it("streams text identically, ends with [DONE], and shows the usage chunk only when asked", async () => {
    const client = world.client(rich.apiKey);
    const plain = await client.chat.completions.create({ model: "gpt-test", messages: [{ role: "user", content: "Hi" }], stream: true });
    let text = "";
    let usageChunks = 0;
    for await (const chunk of plain) {
      text += chunk.choices[0]?.delta.content ?? "";
      if (chunk.usage) usageChunks++;
    }
    expect(text).toBe("Hello from upstream.");
    expect(usageChunks).toBe(0);
    // We still asked the upstream for usage, to bill it.
    expect(main.received.at(-1)!.body.stream_options).toEqual({ include_usage: true });
    const log = await world.logOf(plain._request_id!);
    expect(log).toMatchObject({ stream: true, status: 200, promptTokens: 20, completionTokens: 4, cost: 72n, estimated: false });
    expect(log.ttfbMs).not.toBeNull();

    const withUsage = await client.chat.completions.create({ model: "gpt-test", messages: [{ role: "user", content: "Hi" }], stream: true, stream_options: { include_usage: true } });
    const usages = [];
    for await (const chunk of withUsage) if (chunk.usage) usages.push(chunk.usage);
    expect(usages).toEqual([{ prompt_tokens: 20, completion_tokens: 4, total_tokens: 24 }]);

    const raw = await fetch(`${world.server.url}/v1/chat/completions`, {
      method: "POST",
      headers: { authorization: `Bearer ${rich.apiKey}`, "content-type": "application/json" },
      body: JSON.stringify({ model: "gpt-test", messages: [{ role: "user", content: "Hi" }], stream: true }),
    });
    expect(raw.headers.get("content-type")).toContain("text/event-stream");
    const body = await raw.text();
    const expected = streamEvents(["Hello", " from", " upstream", "."], { prompt_tokens: 20, completion_tokens: 4 });
    expected.splice(expected.length - 2, 1); // the usage-only chunk is stripped
    expect(body).toBe(expected.join(""));
  });

  it("estimates with the tokenizer when the upstream sends no usage", async () => {
    const client = world.client(rich.apiKey);
    const result = await client.chat.completions.create({ model: "gpt-test", messages: [{ role: "user", content: "no usage please" }] });
    const log = await world.logOf(result._request_id!);
    expect(log.estimated).toBe(true);
    expect(log.completionTokens).toBe(3); // "Hello there!" in o200k_base
    expect(log.promptTokens).toBeGreaterThan(3);
    expect(log.cost).toBe((BigInt(log.promptTokens) * IN + BigInt(log.completionTokens) * OUT + 999_999n) / 1_000_000n);

    const stream = await client.chat.completions.create({ model: "gpt-test", messages: [{ role: "user", content: "no usage please" }], stream: true });
    for await (const _ of stream) void _;
    const streamed = await world.logOf(stream._request_id!);
    expect(streamed).toMatchObject({ estimated: true, completionTokens: 3, status: 200 });
  });

  it("aborting mid-stream aborts the upstream and bills what was streamed", async () => {
    const client = world.client(rich.apiKey);
    const controller = new AbortController();
    const stream = await client.chat.completions.create({ model: "gpt-test", messages: [{ role: "user", content: "slow stream" }], stream: true }, { signal: controller.signal });
    let received = "";
    // Depending on timing the SDK either ends the iteration or throws an abort error; both are fine.
    try {
      for await (const chunk of stream) {
        received += chunk.choices[0]?.delta.content ?? "";
        if (received.split("word").length > 5) controller.abort();
      }
    } catch (error) {
      expect((error as Error).name).toMatch(/Abort/);
    }
    const log = await world.logOf(stream._request_id!);
    expect(log).toMatchObject({ status: 499, estimated: true, errorCode: "client_closed_request" });
    expect(log.completionTokens).toBeGreaterThanOrEqual(5);
    expect(log.completionTokens).toBeLessThan(40);
    expect(log.cost).toBeGreaterThan(0n);
    await eventually(async () => expect(main.received.at(-1)!.aborted).toBe(true));
  });

  it("fails over to the next channel on a 5xx", async () => {
    const client = world.client(rich.apiKey);
    const before = broken.received.length;
    const result = await client.chat.completions.create({ model: "gpt-failover", messages: [{ role: "user", content: "Hi" }] });
    expect(result.choices[0]!.message.content).toBe("Hello from upstream.");
    expect(broken.received.length).toBe(before + 1);
    const log = await world.logOf(result._request_id!);
    expect(log.attempts).toBe(2);
  });

  it("auto-disables a channel after repeated failures and re-enables it when it recovers", async () => {
    const client = world.client(rich.apiKey);
    for (let i = 0; i < 3; i++) {
      const error = await client.chat.completions.create({ model: "gpt-flaky", messages: [{ role: "user", content: "Hi" }] }).catch((e) => e);
      expect(error).toBeInstanceOf(OpenAI.APIError);
      expect(error.status).toBe(502);
      expect(error.message).toContain("HTTP 503");
    }
    const channel = await eventually(async () => {
      const row = await world.db.channel.findUniqueOrThrow({ where: { name: "flaky" } });
      expect(row.status).toBe("AUTO_DISABLED");
      return row;
    });
    expect(channel.disabledReason).toContain("3 consecutive failures");
    expect(channel.lastError).toContain("HTTP 503");
    flakyHealthy = true;
    await eventually(async () => expect((await world.db.channel.findUniqueOrThrow({ where: { name: "flaky" } })).status).toBe("ENABLED"), 10_000);
  });

  it("answers 504/502 when no upstream can be reached, and relays the upstream's own 4xx", async () => {
    const client = world.client(rich.apiKey);
    const dead = await client.chat.completions.create({ model: "gpt-dead", messages: [{ role: "user", content: "Hi" }] }).catch((e) => e);
    expect(dead).toBeInstanceOf(OpenAI.InternalServerError);
    expect(dead.status).toBe(502);

    const bad = await client.chat.completions.create({ model: "gpt-test", messages: [{ role: "user", content: "bad tool" }] }).catch((e) => e);
    expect(bad).toBeInstanceOf(OpenAI.BadRequestError);
    expect(bad.message).toContain("Invalid schema for function 'x'");
    expect(bad.param).toBe("tools[0]");

    const detail = await client.chat.completions.create({ model: "gpt-test", messages: [{ role: "user", content: "detail error" }] }).catch((e) => e);
    expect(detail).toBeInstanceOf(OpenAI.UnprocessableEntityError);
    expect(detail.message).toContain("max_tokens is too large");
  });

  it("gives each error its status and the SDK's error class", async () => {
    const client = world.client(rich.apiKey);
    const noKey = await new OpenAI({ apiKey: "sk-wrong", baseURL: `${world.server.url}/v1`, maxRetries: 0 }).models.list().catch((e) => e);
    expect(noKey).toBeInstanceOf(OpenAI.AuthenticationError);
    expect(noKey.code).toBe("invalid_api_key");

    const missing = await fetch(`${world.server.url}/v1/models`);
    expect(missing.status).toBe(401);
    expect(await missing.json()).toEqual({ error: { message: expect.stringContaining("didn't provide an API key"), type: "invalid_request_error", param: null, code: "invalid_api_key" } });

    const badJson = await fetch(`${world.server.url}/v1/chat/completions`, { method: "POST", headers: { authorization: `Bearer ${rich.apiKey}`, "content-type": "application/json" }, body: "{nope" });
    expect(badJson.status).toBe(400);
    expect((await badJson.json()).error.code).toBe("invalid_json");

    const badRole = await client.chat.completions.create({ model: "gpt-test", messages: [{ role: "wizard" as "user", content: "x" }] }).catch((e) => e);
    expect(badRole).toBeInstanceOf(OpenAI.BadRequestError);
    expect(badRole.param).toBe("messages[0].role");
    const badTemp = await client.chat.completions.create({ model: "gpt-test", messages: [{ role: "user", content: "x" }], temperature: 5 }).catch((e) => e);
    expect(badTemp.param).toBe("temperature");
    const noMessages = await client.chat.completions.create({ model: "gpt-test", messages: [] }).catch((e) => e);
    expect(noMessages.param).toBe("messages");

    const unknown = await client.chat.completions.create({ model: "gpt-nope", messages: [{ role: "user", content: "x" }] }).catch((e) => e);
    expect(unknown).toBeInstanceOf(OpenAI.NotFoundError);
    expect(unknown.code).toBe("model_not_found");
    expect(unknown.message).toContain("gpt-test");
    const unrouted = await client.chat.completions.create({ model: "gpt-unrouted", messages: [{ role: "user", content: "x" }] }).catch((e) => e);
    expect(unrouted).toBeInstanceOf(OpenAI.NotFoundError);

    const huge = await fetch(`${world.server.url}/v1/chat/completions`, {
      method: "POST",
      headers: { authorization: `Bearer ${rich.apiKey}`, "content-type": "application/json" },
      body: JSON.stringify({ model: "gpt-test", messages: [{ role: "user", content: "x".repeat(21 * 1024 * 1024) }] }),
    });
    expect(huge.status).toBe(413);
    expect((await huge.json()).error.code).toBe("request_too_large");

    const wrongPath = await fetch(`${world.server.url}/v1/nothing-here`, { headers: { authorization: `Bearer ${rich.apiKey}` } });
    expect(wrongPath.status).toBe(404);
  });

  it("refuses a model outside the key's allow-list (403) and lists only allowed models", async () => {
    const limited = await world.user(10_000_000n, { allowedModels: ["gpt-test"] });
    const client = world.client(limited.apiKey);
    const denied = await client.chat.completions.create({ model: "gpt-failover", messages: [{ role: "user", content: "x" }] }).catch((e) => e);
    expect(denied).toBeInstanceOf(OpenAI.PermissionDeniedError);
    expect((await client.models.list()).data.map((m) => m.id)).toEqual(["gpt-test"]);
    expect((await client.models.retrieve("gpt-test")).id).toBe("gpt-test");
    expect(await client.models.retrieve("gpt-failover").catch((e) => e)).toBeInstanceOf(OpenAI.NotFoundError);

    const everything = (await world.client(rich.apiKey).models.list()).data.map((m) => m.id);
    expect(everything).toEqual(expect.arrayContaining(["gpt-test", "gpt-mapped", "gpt-failover", "sandbox-chat"]));
    expect(everything).not.toContain("gpt-unrouted");
    expect((await world.client(rich.apiKey).models.list()).data[0]).toMatchObject({ object: "model", owned_by: expect.any(String), created: expect.any(Number) });
  });

  it("rate limits per key with retry-after", async () => {
    const limited = await world.user(10_000_000n, { rpmLimit: 2 });
    const client = world.client(limited.apiKey);
    for (let i = 0; i < 2; i++) await client.chat.completions.create({ model: "gpt-test", messages: [{ role: "user", content: "x" }] });
    const third = await client.chat.completions.create({ model: "gpt-test", messages: [{ role: "user", content: "x" }] }).catch((e) => e);
    expect(third).toBeInstanceOf(OpenAI.RateLimitError);
    expect(Number(third.headers.get("retry-after"))).toBeGreaterThanOrEqual(1);
    expect(third.message).toContain("2 requests per minute");
  });

  it("refuses with 402 when the balance or the key budget cannot cover the call, before any upstream call", async () => {
    const poor = await world.user(0n);
    const upstreamCalls = main.received.length;
    const broke = await world.client(poor.apiKey).chat.completions.create({ model: "gpt-test", messages: [{ role: "user", content: "x" }] }).catch((e) => e);
    expect(broke.status).toBe(402);
    expect(broke.code).toBe("insufficient_quota");
    const budgeted = await world.user(10_000_000n, { budget: 10n });
    const overBudget = await world.client(budgeted.apiKey).chat.completions.create({ model: "gpt-test", messages: [{ role: "user", content: "x" }], max_tokens: 100 }).catch((e) => e);
    expect(overBudget.status).toBe(402);
    expect(overBudget.message).toContain("budget");
    expect(main.received.length).toBe(upstreamCalls);
    // The user's funds stay leased to the instance for a moment, then go back.
    await eventually(async () => expect((await world.balance(budgeted.user.id)).held).toBe(0n), 6_000, 200);
  });

  it("honours a key's expiry time exactly, whatever the server's time zone", async () => {
    const soon = await world.user(1_000_000n, { expiresAt: new Date(Date.now() + 60 * 60_000) });
    expect((await world.client(soon.apiKey).models.list()).data.length).toBeGreaterThan(0);
    const expired = await world.user(1_000_000n, { expiresAt: new Date(Date.now() + 60_000) });
    await world.db.apiKey.update({ where: { id: expired.keyId }, data: { expiresAt: new Date(Date.now() - 60_000) } });
    const refused = await world.client(expired.apiKey).models.list().catch((e) => e);
    expect(refused).toBeInstanceOf(OpenAI.AuthenticationError);
    expect(refused.message).toContain("expired");
  });

  it("stops accepting a revoked key within 5 seconds", async () => {
    const fresh = await world.user(1_000_000n);
    const client = world.client(fresh.apiKey);
    await client.models.list();
    const revokedAt = Date.now();
    await world.db.apiKey.update({ where: { id: fresh.keyId }, data: { revokedAt: new Date() } });
    await eventually(async () => expect(await client.models.list().catch((e) => e)).toBeInstanceOf(OpenAI.AuthenticationError), 6_000, 200);
    expect(Date.now() - revokedAt).toBeLessThan(5_000);
  });

  it("never overdraws under concurrency: ledger sum == balance == expected", async () => {
    // Each call holds up to 20+ prompt bytes × $2 + 10 × $8 … and costs exactly 72 µ$.
    const balance = 1_000n;
    const payer = await world.user(balance);
    const client = world.client(payer.apiKey);
    const results = await Promise.allSettled(
      Array.from({ length: 30 }, () => client.chat.completions.create({ model: "gpt-test", messages: [{ role: "user", content: "Hi" }], max_tokens: 10 })),
    );
    const ok = results.filter((r) => r.status === "fulfilled").length;
    const refused = results.filter((r) => r.status === "rejected" && (r.reason as { status?: number }).status === 402).length;
    expect(ok + refused).toBe(30);
    expect(ok).toBeGreaterThan(0);
    await eventually(async () => expect((await world.balance(payer.user.id)).held).toBe(0n));
    const final = await world.balance(payer.user.id);
    expect(final.balance).toBe(balance - BigInt(ok) * 72n);
    expect(final.balance).toBe(final.ledgerSum);
    expect(final.balance).toBeGreaterThanOrEqual(0n);
    await eventually(async () => expect(await world.db.requestLog.count({ where: { userId: payer.user.id } })).toBe(30));
    // The daily rollup the usage page reads agrees with the log, row for row.
    const rollup = await world.db.usageDay.aggregate({ where: { userId: payer.user.id }, _sum: { requests: true, cost: true, promptTokens: true } });
    const logged = await world.db.requestLog.aggregate({ where: { userId: payer.user.id }, _sum: { cost: true, promptTokens: true } });
    expect(rollup._sum.requests).toBe(30);
    expect(rollup._sum.cost).toBe(logged._sum.cost);
    expect(rollup._sum.cost).toBe(BigInt(ok) * 72n);
    expect(BigInt(rollup._sum.promptTokens ?? 0)).toBe(BigInt(logged._sum.promptTokens ?? 0));
    expect(await world.db.usageDay.aggregate({ where: { userId: payer.user.id, error: true }, _sum: { requests: true } })).toMatchObject({ _sum: { requests: refused } });
  });

  it("never overdraws with two instances sharing the database", async () => {
    const balance = 1_000n;
    const payer = await world.user(balance);
    const second = await startServer(world.url);
    try {
      const clients = [world.client(payer.apiKey), new OpenAI({ apiKey: payer.apiKey, baseURL: `${second.url}/v1`, maxRetries: 0 })];
      const results = await Promise.allSettled(
        Array.from({ length: 40 }, (_, i) => clients[i % 2]!.chat.completions.create({ model: "gpt-test", messages: [{ role: "user", content: "Hi" }], max_tokens: 10 })),
      );
      const ok = results.filter((r) => r.status === "fulfilled").length;
      const refused = results.filter((r) => r.status === "rejected" && (r.reason as { status?: number }).status === 402).length;
      expect(ok + refused).toBe(40);
      expect(ok).toBeGreaterThan(0);
      // Both instances give their leases back once idle; what was spent is exactly what was answered.
      await eventually(async () => expect((await world.balance(payer.user.id)).held).toBe(0n), 6_000, 200);
      const final = await world.balance(payer.user.id);
      expect(final).toEqual({ balance: balance - BigInt(ok) * 72n, held: 0n, ledgerSum: balance - BigInt(ok) * 72n });
      expect(final.balance).toBeGreaterThanOrEqual(0n);
      expect(await world.db.fundsLease.count({ where: { subjectId: payer.user.id } })).toBe(0);
    } finally {
      await second.stop();
    }
  });

  it("serves the seeded sandbox to a brand-new key with no balance", async () => {
    const newcomer = await world.user(0n);
    const result = await world.client(newcomer.apiKey).chat.completions.create({ model: "sandbox-chat", messages: [{ role: "user", content: "Hello sandbox" }] });
    expect(result.choices[0]!.message.content).toContain("Hello sandbox");
    expect((await world.logOf(result._request_id!)).cost).toBe(0n);

    const stream = await world.client(newcomer.apiKey).chat.completions.create({ model: "sandbox-chat", messages: [{ role: "user", content: "Hello sandbox" }], stream: true });
    let text = "";
    for await (const chunk of stream) text += chunk.choices[0]?.delta.content ?? "";
    expect(text).toBe(result.choices[0]!.message.content);
  });

  it("relays failures simulated by the sandbox without failing over or hurting the channel", async () => {
    const client = world.client(rich.apiKey);
    for (let i = 0; i < 6; i++) {
      const limited = await client.chat.completions.create({ model: "sandbox-chat", messages: [{ role: "user", content: "retry me [sandbox:status=429]" }] }).catch((e) => e);
      expect(limited).toBeInstanceOf(OpenAI.RateLimitError);
      expect(limited.headers.get("retry-after")).toBe("1");
    }
    const failed = await client.chat.completions.create({ model: "sandbox-chat", messages: [{ role: "user", content: "[sandbox:status=503]" }], stream: true }).catch((e) => e);
    expect(failed).toBeInstanceOf(OpenAI.InternalServerError);
    expect(failed.status).toBe(503);
    const broken = await client.chat.completions.create({ model: "sandbox-chat", messages: [{ role: "user", content: "one two three four five [sandbox:error_after=2]" }], stream: true });
    const streamError = await (async () => {
      for await (const _ of broken) void _;
    })().catch((e) => e);
    expect(streamError).toBeInstanceOf(OpenAI.APIError);
    expect(streamError.message).toContain("upstream stream failed");
    expect(await world.logOf(broken._request_id!)).toMatchObject({ status: 502, errorCode: "upstream_stream_error", estimated: true });
    const sandbox = await world.db.channel.findUniqueOrThrow({ where: { name: "sandbox" } });
    expect(sandbox).toMatchObject({ status: "ENABLED", consecutiveFailures: 0 });
  });

  it("answers the one-api billing endpoints for third-party clients", async () => {
    const budgeted = await world.user(5_000_000n, { budget: 2_000_000n });
    const sub = await fetch(`${world.server.url}/v1/dashboard/billing/subscription`, { headers: { authorization: `Bearer ${budgeted.apiKey}` } });
    expect(await sub.json()).toMatchObject({ object: "billing_subscription", hard_limit_usd: 2 });
    const plain = await world.user(3_000_000n);
    await world.client(plain.apiKey).chat.completions.create({ model: "gpt-test", messages: [{ role: "user", content: "Hi" }] });
    await eventually(async () => {
      const usage = await (await fetch(`${world.server.url}/v1/dashboard/billing/usage`, { headers: { authorization: `Bearer ${plain.apiKey}` } })).json();
      expect(usage).toEqual({ object: "list", total_usage: 0.0072 });
    });
    const subscription = await (await fetch(`${world.server.url}/v1/dashboard/billing/subscription`, { headers: { authorization: `Bearer ${plain.apiKey}` } })).json();
    expect(subscription.hard_limit_usd).toBe(3);
  });
});

