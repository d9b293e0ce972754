import { afterAll, beforeAll, describe, expect, it } from "vitest";
import OpenAI from "openai";
import { databaseProviders } from "../helpers/database-matrix";
import { completion, startFakeUpstream, streamEvents, type FakeUpstream, type Handler } from "../helpers/fake-upstream";
import { nativeResponse, nativeStreamEvents } from "../helpers/fake-responses";
import { eventually, GatewayWorld } from "../helpers/gateway-world";
import { startServer } from "../helpers/server";

/**
 * Findings of the hardening review on the gateway's money paths and error answers: each test
 * reproduces one finding (it failed on the code before the fix).
 */
const IN = 2_000_000n; // µ$ per 1M tokens
const OUT = 8_000_000n;

const last = (body: Record<string, unknown>) => JSON.stringify((body.messages as Array<{ content: unknown }> | undefined)?.at(-1)?.content ?? body.input ?? "");

const handler: Handler = (req) => {
  const body = req.body;
  const text = last(body);
  if (text.includes("slow answer")) return { kind: "json", body: completion("took a while", { prompt_tokens: 40, completion_tokens: 60 }), delayMs: 600 };
  if (text.includes("cut short")) return { kind: "truncated", body: completion("this answer never arrives whole"), sent: 60 };
  if (text.includes("too long")) return { kind: "json", body: completion("long", { prompt_tokens: 10, completion_tokens: 200_000 }) };
  if (text.includes("slow stream")) return { kind: "sse", events: streamEvents(Array.from({ length: 60 }, (_, i) => ` w${i}`), { prompt_tokens: 10, completion_tokens: 60 }), delayMs: 100 };
  if (body.stream) return { kind: "sse", events: streamEvents(["Hi", "!"], { prompt_tokens: 10, completion_tokens: 2 }) };
  return { kind: "json", body: completion("Hi!", { prompt_tokens: 10, completion_tokens: 2 }) };
};

describe.each(await databaseProviders())("gateway hardening on %s", (provider) => {
  const world = new GatewayWorld();
  let main: FakeUpstream;
  let limited: FakeUpstream;
  let failing: FakeUpstream;
  let native: FakeUpstream;
  let limitedHealthy = false;

  beforeAll(async () => {
    await world.setUp(provider);
    main = await startFakeUpstream(handler);
    limited = await startFakeUpstream(() =>
      limitedHealthy ? { kind: "json", body: completion("capacity again") } : { kind: "json", status: 429, body: { error: { message: "Rate limit reached", type: "requests" } }, headers: { "retry-after": "3" } },
    );
    failing = await startFakeUpstream(() => ({ kind: "json", status: 500, body: { error: { message: "boom", type: "server_error" } } }));
    // A native Responses upstream that reuses one response id: the second turn cannot be stored.
    native = await startFakeUpstream((req) => {
      const reused = (s: string) => s.replace(/resp_native_\d+_\d+/g, "resp_reused_by_upstream");
      if ((req.body as { stream?: boolean }).stream) return { kind: "sse", events: nativeStreamEvents("stored twice").map(reused) };
      return { kind: "json", body: { ...nativeResponse("stored twice"), id: "resp_reused_by_upstream" } };
    });
    await world.channel({ name: "main", baseUrl: main.url, apiKey: "k", models: ["gpt-h"] });
    await world.channel({ name: "limited", baseUrl: limited.url, apiKey: "k", models: ["gpt-limited"] });
    await world.channel({ name: "failing", baseUrl: failing.url, apiKey: "k", models: ["gpt-failing"] });
    await world.channel({ name: "native", baseUrl: native.url, apiKey: "k", models: ["gpt-native"], supportsResponses: true });
    for (const model of ["gpt-h", "gpt-limited", "gpt-failing", "gpt-native"]) await world.price(model, IN, OUT);
    await world.start({ ROOTAPI_CHANNEL_FAILURE_THRESHOLD: "3", ROOTAPI_CHANNEL_RETEST_SECONDS: "600" });
  });

  afterAll(async () => {
    await world.tearDown();
    await Promise.all([main, limited, failing, native].map((u) => u?.close()));
  });

  const settled = async (userId: string) =>
    eventually(async () => {
      const funds = await world.balance(userId);
      expect(funds.held).toBe(0n);
      expect(funds.ledgerSum).toBe(funds.balance);
      return funds;
    });

  it("answers 400, not 500, to a malformed percent-encoding in the path", async () => {
    const { apiKey } = await world.user(0n);
    for (const path of ["/v1/models/%", "/v1/responses/%", "/v1/responses/%zz/input_items"]) {
      const res = await fetch(`${world.server.url}${path}`, { headers: { authorization: `Bearer ${apiKey}` } });
      expect(res.status, path).toBe(400);
      expect((await res.json()).error).toMatchObject({ type: "invalid_request_error", code: "invalid_url" });
    }
  });

  it("answers 502 to an upstream that cuts a non-stream answer short, and counts it against the channel", async () => {
    const { apiKey } = await world.user(10_000_000n);
    const error = await world.client(apiKey).chat.completions.create({ model: "gpt-h", messages: [{ role: "user", content: "cut short" }] }).catch((e) => e);
    expect(error).toBeInstanceOf(OpenAI.InternalServerError);
    expect(error.status).toBe(502);
    expect(error.message).toContain("cut short");
    const channel = await eventually(async () => {
      const row = await world.db.channel.findUniqueOrThrow({ where: { name: "main" } });
      expect(row.consecutiveFailures).toBe(1);
      return row;
    });
    expect(channel.lastError).toContain("cut short");
    // And a healthy answer counts the channel healthy again.
    await world.client(apiKey).chat.completions.create({ model: "gpt-h", messages: [{ role: "user", content: "hello" }] });
    await eventually(async () => expect((await world.db.channel.findUniqueOrThrow({ where: { name: "main" } })).consecutiveFailures).toBe(0));
  });

  it("cools a channel down on 429 instead of disabling it, and says 429 with retry-after meanwhile", async () => {
    const tenants = await Promise.all([world.user(10_000_000n), world.user(10_000_000n)]);
    const client = world.client(tenants[0]!.apiKey);
    const burst = [];
    for (let i = 0; i < 6; i++) burst.push(await client.chat.completions.create({ model: "gpt-limited", messages: [{ role: "user", content: "x" }] }).catch((e) => e));
    for (const error of burst) {
      expect(error).toBeInstanceOf(OpenAI.RateLimitError);
      expect(Number(error.headers.get("retry-after"))).toBeGreaterThanOrEqual(1);
    }
    // Cooling for the upstream's retry-after: only the first call reached it.
    expect(limited.received.length).toBe(1);
    const row = await world.db.channel.findUniqueOrThrow({ where: { name: "limited" } });
    expect(row.status).toBe("ENABLED");
    expect(row.consecutiveFailures).toBe(0);
    // Another tenant is served as soon as the upstream has capacity again.
    limitedHealthy = true;
    await new Promise((r) => setTimeout(r, 3_100));
    const answer = await world.client(tenants[1]!.apiKey).chat.completions.create({ model: "gpt-limited", messages: [{ role: "user", content: "x" }] });
    expect(answer.choices[0]!.message.content).toBe("capacity again");
  });

  it("answers 503, not 404 model_not_found, while every channel of a model is disabled automatically", async () => {
    const { apiKey } = await world.user(10_000_000n);
    const client = world.client(apiKey);
    for (let i = 0; i < 3; i++) await client.chat.completions.create({ model: "gpt-failing", messages: [{ role: "user", content: "x" }] }).catch(() => undefined);
    await eventually(async () => expect((await world.db.channel.findUniqueOrThrow({ where: { name: "failing" } })).status).toBe("AUTO_DISABLED"));
    const error = await eventually(async () => {
      const e = await client.chat.completions.create({ model: "gpt-failing", messages: [{ role: "user", content: "x" }] }).catch((x) => x);
      expect(e.status).toBe(503);
      return e;
    });
    expect(error.code).toBe("no_available_channel");
    expect(error.message).toContain("temporarily unavailable");
    // An unknown model is still a 404.
    expect((await client.chat.completions.create({ model: "gpt-nowhere", messages: [{ role: "user", content: "x" }] }).catch((e) => e)).status).toBe(404);
  });

  it("bills a non-stream answer whose client left after the upstream was called", async () => {
    const { user, apiKey } = await world.user(10_000_000n);
    const controller = new AbortController();
    const call = world.client(apiKey).chat.completions.create({ model: "gpt-h", messages: [{ role: "user", content: "slow answer" }] }, { signal: controller.signal, maxRetries: 0 });
    const before = main.received.length;
    await eventually(async () => expect(main.received.length).toBe(before + 1), 2_000, 20);
    controller.abort();
    await expect(call).rejects.toThrow();
    const row = await eventually(async () => {
      const found = await world.db.requestLog.findFirst({ where: { userId: user.id } });
      expect(found).not.toBeNull();
      return found!;
    });
    expect(row).toMatchObject({ status: 499, promptTokens: 40, completionTokens: 60, cost: 40n * 2n + 60n * 8n, estimated: false });
    expect(main.received.at(-1)!.aborted).toBe(false);
    expect((await settled(user.id)).balance).toBe(10_000_000n - 560n);
  });

  it("counts a request's token bound against TPM at admission: a burst cannot pass the limit", async () => {
    const { apiKey } = await world.user(10_000_000n, { tpmLimit: 100 });
    const client = world.client(apiKey);
    const results = await Promise.all(
      Array.from({ length: 10 }, () => client.chat.completions.create({ model: "gpt-h", messages: [{ role: "user", content: "x" }], max_tokens: 20 }).catch((e) => e)),
    );
    const ok = results.filter((r) => !(r instanceof Error));
    expect(ok).toHaveLength(1);
    for (const refused of results.filter((r) => r instanceof Error)) {
      expect(refused).toBeInstanceOf(OpenAI.RateLimitError);
      expect(refused.message).toContain("tokens per minute");
    }
  });

  it("reserves for Responses input images as for chat images: a balance that cannot cover them is a 402 on both", async () => {
    const { user, apiKey } = await world.user(50_000n); // $0.05; 100 images may cost ~$0.15
    const client = world.client(apiKey);
    const url = "https://example.com/cat.png";
    const chat = await client.chat.completions
      .create({ model: "gpt-h", max_tokens: 10, messages: [{ role: "user", content: Array.from({ length: 100 }, () => ({ type: "image_url" as const, image_url: { url } })) }] })
      .catch((e) => e);
    expect(chat.status).toBe(402);
    const responses = await client.responses
      .create({ model: "gpt-h", max_output_tokens: 16, input: [{ role: "user", content: Array.from({ length: 100 }, () => ({ type: "input_image" as const, image_url: url, detail: "auto" as const })) }] })
      .catch((e) => e);
    expect(responses.status).toBe(402);
    expect((await world.balance(user.id)).balance).toBe(50_000n);
  });

  it("bills an upstream's overrun in full, marks it, and refuses paid calls until the balance is positive", async () => {
    const { user, apiKey } = await world.user(20_000n);
    const client = world.client(apiKey);
    const answer = await client.chat.completions.create({ model: "gpt-h", max_tokens: 10, messages: [{ role: "user", content: "too long" }] });
    const row = await world.logOf(answer._request_id!);
    expect(row).toMatchObject({ status: 200, cost: 10n * 2n + 200_000n * 8n, errorCode: "reservation_overrun" });
    const funds = await settled(user.id);
    expect(funds.balance).toBe(20_000n - 1_600_020n);
    const refused = await client.chat.completions.create({ model: "gpt-h", max_tokens: 1, messages: [{ role: "user", content: "x" }] }).catch((e) => e);
    expect(refused.status).toBe(402);
  });

  it("logs, bills and ends with an error a native Responses turn that cannot be stored", async () => {
    const { user, apiKey } = await world.user(10_000_000n);
    const client = world.client(apiKey);
    const first = await client.responses.create({ model: "gpt-native", input: "hello" });
    expect(first.id).toBe("resp_reused_by_upstream");

    const second = await client.responses.create({ model: "gpt-native", input: "hello again" }).catch((e) => e);
    expect(second).toBeInstanceOf(OpenAI.InternalServerError);
    expect(second.message).toContain("could not be stored");

    const stream = await client.responses.create({ model: "gpt-native", input: "and a stream", stream: true });
    const seen: string[] = [];
    const failure = await (async () => {
      for await (const event of stream) seen.push(event.type);
    })().catch((e) => e);
    expect(failure).toBeInstanceOf(Error);
    expect(String(failure.message)).toContain("could not be stored");
    expect(seen).not.toContain("response.completed");

    const rows = await eventually(async () => {
      const found = await world.db.requestLog.findMany({ where: { userId: user.id }, orderBy: { createdAt: "asc" } });
      expect(found).toHaveLength(3);
      return found;
    });
    expect(rows.map((r) => r.status)).toEqual([200, 500, 500]);
    for (const row of rows.slice(1)) expect(row).toMatchObject({ errorCode: "response_not_stored", cost: 30n * 2n + 6n * 8n });
    expect((await settled(user.id)).balance).toBe(10_000_000n - 3n * 108n);
  });

  it("lets streams finish within ROOTAPI_SHUTDOWN_GRACE_SECONDS, then cuts and logs them as server shutdown", async () => {
    const { user, apiKey } = await world.user(10_000_000n);
    const server = await startServer(world.url, { ROOTAPI_SHUTDOWN_GRACE_SECONDS: "1" });
    try {
      const client = new OpenAI({ apiKey, baseURL: `${server.url}/v1`, maxRetries: 0 });
      const stream = await client.chat.completions.create({ model: "gpt-h", stream: true, messages: [{ role: "user", content: "slow stream" }] });
      let words = 0;
      const reading = (async () => {
        for await (const chunk of stream) if (chunk.choices[0]?.delta.content) words++;
      })().catch(() => undefined);
      await new Promise((r) => setTimeout(r, 300));
      const stopped = server.stop();
      // New connections are refused at once.
      await new Promise((r) => setTimeout(r, 100));
      await expect(fetch(`${server.url}/v1/models`, { headers: { authorization: `Bearer ${apiKey}` } })).rejects.toThrow();
      await stopped;
      await reading;
      expect(words).toBeGreaterThan(5);
      expect(words).toBeLessThan(60);
      const row = await world.db.requestLog.findFirstOrThrow({ where: { userId: user.id } });
      expect(row).toMatchObject({ status: 503, errorCode: "server_shutdown", estimated: true });
      expect(row.completionTokens).toBeGreaterThan(0);
      expect(await world.balance(user.id)).toMatchObject({ held: 0n, balance: 10_000_000n - row.cost });
    } finally {
      await server.stop();
    }
  });
});
