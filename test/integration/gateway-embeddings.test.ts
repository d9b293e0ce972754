import { afterAll, beforeAll, describe, expect, it } from "vitest";
import OpenAI from "openai";
import { databaseProviders } from "../helpers/database-matrix";
import { startFakeUpstream, type FakeUpstream, type Handler } from "../helpers/fake-upstream";
import { eventually, GatewayWorld } from "../helpers/gateway-world";
import { countTokens } from "@/lib/gateway/pipeline/tokens";
import { seedSandbox } from "@/lib/gateway/seed";

/** µ$ per 1M tokens: $0.02 input (text-embedding-3-small's price), an output price that must never apply. */
const IN = 20_000n;
const OUT = 9_000_000n;
/** A costly model, so cents show: $100 per 1M input tokens. */
const DEAR = 100_000_000n;

/** `[0.5, -0.25]` as little-endian float32, base64. */
const BASE64_VECTOR = Buffer.from(new Float32Array([0.5, -0.25]).buffer).toString("base64");

/** An answer with odd spacing and key order: relayed byte for byte, never re-serialised. */
const answerText = (model: string, base64: boolean, usage = true) =>
  `{"object": "list", "data": [{"object":"embedding","index":0,"embedding":${base64 ? JSON.stringify(BASE64_VECTOR) : "[0.5, -0.25]"}}],` +
  `  "model":"${model}"${usage ? ', "usage": {"prompt_tokens": 37, "total_tokens": 37}' : ""}}`;

const mainHandler: Handler = (req) => {
  const body = req.body as { model: string; input: unknown; encoding_format?: string };
  const text = JSON.stringify(body);
  if (text.includes("bad input")) return { kind: "json", status: 400, body: { error: { message: "This model's maximum context length is 8192 tokens", type: "invalid_request_error", param: "input", code: null } } };
  return { kind: "json", body: answerText(body.model, body.encoding_format === "base64", !text.includes("no usage")) };
};

describe.each(await databaseProviders())("gateway /v1/embeddings on %s", (provider) => {
  const world = new GatewayWorld();
  let main: FakeUpstream;
  let broken: FakeUpstream;
  let rich: Awaited<ReturnType<GatewayWorld["user"]>>;

  beforeAll(async () => {
    await world.setUp(provider);
    main = await startFakeUpstream(mainHandler);
    broken = await startFakeUpstream(() => ({ kind: "json", status: 500, body: { error: { message: "upstream exploded", type: "server_error" } } }));
    await world.channel({ name: "main", baseUrl: main.url, apiKey: "upstream-key-main", models: ["emb-test", "emb-mapped", "emb-failover", "emb-dear"], modelMapping: { "emb-mapped": "text-embedding-3-small" } });
    await world.channel({ name: "broken-first", baseUrl: broken.url, apiKey: "k", models: ["emb-failover"], priority: 10 });
    for (const model of ["emb-test", "emb-mapped", "emb-failover"]) await world.price(model, IN, OUT);
    await world.price("emb-dear", DEAR, OUT);
    rich = await world.user(100_000_000n);
    await world.start();
  });

  afterAll(async () => {
    await world.tearDown();
    await Promise.all([main, broken].map((u) => u?.close()));
  });

  const post = (body: unknown, apiKey = rich.apiKey) =>
    fetch(`${world.server.url}/v1/embeddings`, { method: "POST", headers: { authorization: `Bearer ${apiKey}`, "content-type": "application/json" }, body: JSON.stringify(body) });

  it("relays float and base64 answers byte for byte, maps the model and bills prompt tokens at the input price", async () => {
    const client = world.client(rich.apiKey);
    const before = await world.balance(rich.user.id);

    const floats = await client.embeddings.create({ model: "emb-mapped", input: ["hello", "world"], encoding_format: "float", dimensions: 2, user: "u-1" });
    expect(floats.data[0]!.embedding).toEqual([0.5, -0.25]);
    expect(main.received.at(-1)).toMatchObject({
      path: "/v1/embeddings",
      headers: expect.objectContaining({ authorization: "Bearer upstream-key-main" }),
      body: { model: "text-embedding-3-small", input: ["hello", "world"], encoding_format: "float", dimensions: 2, user: "u-1" },
    });
    // 37 × $100/1M would be 3700 µ$; at $0.02/1M it is 0.74 µ$, rounded up once: 1 µ$.
    expect(await world.logOf(floats._request_id!)).toMatchObject({ status: 200, endpoint: "/v1/embeddings", model: "emb-mapped", promptTokens: 37, completionTokens: 0, cost: 1n, estimated: false });

    // The SDK asks for base64 by default and decodes it.
    const decoded = await client.embeddings.create({ model: "emb-test", input: "hello" });
    expect(main.received.at(-1)!.body).toEqual({ model: "emb-test", input: "hello", encoding_format: "base64" });
    expect(decoded.data[0]!.embedding).toEqual([0.5, -0.25]);

    const raw = await post({ model: "emb-dear", input: [[1, 2, 3]], encoding_format: "base64" });
    expect(raw.status).toBe(200);
    expect(await raw.text()).toBe(answerText("emb-dear", true));
    const log = await world.logOf(raw.headers.get("x-request-id")!);
    expect(log).toMatchObject({ endpoint: "/v1/embeddings", promptTokens: 37, completionTokens: 0, cost: 3700n, estimated: false });

    const after = await world.balance(rich.user.id);
    expect(before.balance - after.balance).toBe(1n + 1n + 3700n);
    expect(after.balance).toBe(after.ledgerSum);
  });

  it("counts the inputs with the tokenizer when the upstream sends no usage", async () => {
    const input = ["no usage here, please count", "and this one too"];
    const result = await world.client(rich.apiKey).embeddings.create({ model: "emb-dear", input, encoding_format: "float" });
    const tokens = countTokens(input[0]!) + countTokens(input[1]!);
    expect(await world.logOf(result._request_id!)).toMatchObject({ status: 200, promptTokens: tokens, completionTokens: 0, cost: BigInt(tokens) * 100n, estimated: true });
    // Token ids count as they are.
    const ids = await post({ model: "emb-dear", input: [[5, 6, 7, 8]], user: "no usage" });
    expect(ids.status).toBe(200);
    expect(await world.logOf(ids.headers.get("x-request-id")!)).toMatchObject({ promptTokens: 4, cost: 400n, estimated: true });
  });

  it("serves the seeded sandbox free: deterministic unit vectors, dimensions and base64", async () => {
    const newcomer = await world.user(0n);
    const client = world.client(newcomer.apiKey);
    const first = await client.embeddings.create({ model: "sandbox-embedding", input: ["The cat sat on the mat", "A cat sat on a mat", "Quarterly revenue grew"], encoding_format: "float" });
    const again = await client.embeddings.create({ model: "sandbox-embedding", input: "The cat sat on the mat" });
    expect(first.data).toHaveLength(3);
    expect(first.data[0]!.embedding).toHaveLength(256);
    const [cat, similar, unrelated] = first.data.map((d) => d.embedding);
    const dot = (a: number[], b: number[]) => a.reduce((sum, x, i) => sum + x * b[i]!, 0);
    expect(dot(cat!, cat!)).toBeCloseTo(1, 5);
    expect(dot(cat!, similar!)).toBeGreaterThan(dot(cat!, unrelated!));
    // base64 (the SDK's default) decodes to the same float32 values.
    expect(again.data[0]!.embedding).toEqual(cat!.map(Math.fround));
    const log = await world.logOf(first._request_id!);
    expect(log).toMatchObject({ status: 200, endpoint: "/v1/embeddings", cost: 0n, estimated: false });
    expect(log.promptTokens).toBeGreaterThan(0);

    const small = await client.embeddings.create({ model: "sandbox-embedding", input: "hello", dimensions: 32, encoding_format: "float" });
    expect(small.data[0]!.embedding).toHaveLength(32);
    expect(dot(small.data[0]!.embedding, small.data[0]!.embedding)).toBeCloseTo(1, 5);
  });

  it("answers errors in OpenAI's shape: 400 with param, 401, 402, 404, upstream 4xx relayed, failover on 5xx", async () => {
    const client = world.client(rich.apiKey);
    const empty = await client.embeddings.create({ model: "emb-test", input: ["ok", ""] }).catch((e) => e);
    expect(empty).toBeInstanceOf(OpenAI.BadRequestError);
    expect(empty.param).toBe("input[1]");
    const tooMany = await client.embeddings.create({ model: "emb-test", input: Array.from({ length: 2049 }, () => "x") }).catch((e) => e);
    expect(tooMany.param).toBe("input");
    const dims = await client.embeddings.create({ model: "emb-test", input: "x", dimensions: 0 }).catch((e) => e);
    expect(dims.param).toBe("dimensions");
    const format = await post({ model: "emb-test", input: "x", encoding_format: "int8" });
    expect(format.status).toBe(400);
    expect((await format.json()).error.param).toBe("encoding_format");
    const streamed = await post({ model: "emb-test", input: "x", stream: true });
    expect(streamed.status).toBe(400);
    expect((await streamed.json()).error.param).toBe("stream");

    const noKey = await new OpenAI({ apiKey: "sk-wrong", baseURL: `${world.server.url}/v1`, maxRetries: 0 }).embeddings.create({ model: "emb-test", input: "x" }).catch((e) => e);
    expect(noKey).toBeInstanceOf(OpenAI.AuthenticationError);

    const upstreamCalls = main.received.length;
    const poor = await world.user(0n);
    const broke = await world.client(poor.apiKey).embeddings.create({ model: "emb-dear", input: "x" }).catch((e) => e);
    expect(broke.status).toBe(402);
    expect(broke.code).toBe("insufficient_quota");
    expect(main.received.length).toBe(upstreamCalls);

    const unknown = await client.embeddings.create({ model: "emb-nope", input: "x" }).catch((e) => e);
    expect(unknown).toBeInstanceOf(OpenAI.NotFoundError);
    expect(unknown.code).toBe("model_not_found");

    const refused = await client.embeddings.create({ model: "emb-test", input: "bad input" }).catch((e) => e);
    expect(refused).toBeInstanceOf(OpenAI.BadRequestError);
    expect(refused.message).toContain("maximum context length");
    expect(refused.param).toBe("input");
    expect(await world.logOf(refused.requestID)).toMatchObject({ status: 400, endpoint: "/v1/embeddings", cost: 0n });

    const before = broken.received.length;
    const failedOver = await client.embeddings.create({ model: "emb-failover", input: "hello", encoding_format: "float" });
    expect(failedOver.data[0]!.embedding).toEqual([0.5, -0.25]);
    expect(broken.received.length).toBe(before + 1);
    expect(broken.received.at(-1)!.path).toBe("/v1/embeddings");
    expect(await world.logOf(failedOver._request_id!)).toMatchObject({ status: 200, attempts: 2 });

    const wrongMethod = await fetch(`${world.server.url}/v1/embeddings`, { headers: { authorization: `Bearer ${rich.apiKey}` } });
    expect(wrongMethod.status).toBe(405);
  });

  it("lists embedding models in /v1/models like any other", async () => {
    const ids = (await world.client(rich.apiKey).models.list()).data.map((m) => m.id);
    expect(ids).toEqual(expect.arrayContaining(["emb-test", "emb-mapped", "emb-dear", "sandbox-embedding", "sandbox-chat"]));
    await eventually(async () => expect((await world.balance(rich.user.id)).held).toBe(0n), 6_000, 200);
  });
});

describe.each(await databaseProviders())("the sandbox embedding seed on %s", (provider) => {
  const world = new GatewayWorld();
  beforeAll(() => world.setUp(provider));
  afterAll(() => world.tearDown());

  it("seeds both sandbox models on a fresh install, and adds the embedding model once to installs seeded before it", async () => {
    expect(await seedSandbox(world.db)).toBe(true);
    const sandbox = await world.db.channel.findUniqueOrThrow({ where: { name: "sandbox" } });
    expect(sandbox.models).toEqual(["sandbox-chat", "sandbox-embedding"]);
    expect(await world.db.modelPrice.findUnique({ where: { model: "sandbox-embedding" } })).toMatchObject({ inputPrice: 0n, outputPrice: 0n });

    // An install seeded before embeddings existed.
    await world.db.channel.update({ where: { id: sandbox.id }, data: { models: ["sandbox-chat", "sandbox-other"] } });
    await world.db.modelPrice.delete({ where: { model: "sandbox-embedding" } });
    await world.db.setting.delete({ where: { key: "seed.sandbox.embedding" } });
    expect(await seedSandbox(world.db)).toBe(false);
    expect((await world.db.channel.findUniqueOrThrow({ where: { id: sandbox.id } })).models).toEqual(["sandbox-chat", "sandbox-other", "sandbox-embedding"]);
    expect(await world.db.modelPrice.findUnique({ where: { model: "sandbox-embedding" } })).toMatchObject({ inputPrice: 0n });

    // Once: an admin who removes it does not see it come back.
    await world.db.channel.update({ where: { id: sandbox.id }, data: { models: ["sandbox-chat"] } });
    await seedSandbox(world.db);
    expect((await world.db.channel.findUniqueOrThrow({ where: { id: sandbox.id } })).models).toEqual(["sandbox-chat"]);
  });
});
