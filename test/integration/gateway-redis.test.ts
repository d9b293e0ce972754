import OpenAI from "openai";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { completion, startFakeUpstream, type FakeUpstream } from "../helpers/fake-upstream";
import { GatewayWorld } from "../helpers/gateway-world";
import { redisAvailable, testRedisUrl } from "../helpers/redis";
import { startServer, type RunningServer } from "../helpers/server";

/** With REDIS_URL, a key's rate limit holds across every instance, not per instance. */
describe.runIf(await redisAvailable())("gateway rate limits shared through Redis", () => {
  const world = new GatewayWorld();
  let upstream: FakeUpstream;
  let second: RunningServer;

  beforeAll(async () => {
    await world.setUp("sqlite");
    upstream = await startFakeUpstream(() => ({ kind: "json", body: completion("ok", { prompt_tokens: 5, completion_tokens: 1 }) }));
    await world.channel({ name: "up", baseUrl: upstream.url, apiKey: "k", models: ["gpt-test"] });
    await world.price("gpt-test", 1_000_000n, 1_000_000n);
    await world.start({ REDIS_URL: testRedisUrl() });
    second = await startServer(world.url, { REDIS_URL: testRedisUrl() });
  });

  afterAll(async () => {
    await second?.stop();
    await world.tearDown();
    await upstream?.close();
  });

  it("admits a key's RPM once in total over two instances, then answers 429 with retry-after on both", async () => {
    const { apiKey } = await world.user(1_000_000n, { rpmLimit: 4 });
    const clients = [world.client(apiKey), new OpenAI({ apiKey, baseURL: `${second.url}/v1`, maxRetries: 0 })];
    const outcomes: Array<number> = [];
    for (let i = 0; i < 8; i++) {
      const result = await clients[i % 2]!.chat.completions.create({ model: "gpt-test", messages: [{ role: "user", content: "Hi" }] }).then(
        () => 200,
        (error: unknown) => {
          expect(error).toBeInstanceOf(OpenAI.RateLimitError);
          const retryAfter = Number((error as InstanceType<typeof OpenAI.RateLimitError>).headers?.get("retry-after"));
          expect(retryAfter).toBeGreaterThan(0);
          expect(retryAfter).toBeLessThanOrEqual(60);
          return (error as { status: number }).status;
        },
      );
      outcomes.push(result);
    }
    expect(outcomes).toEqual([200, 200, 200, 200, 429, 429, 429, 429]);
  });
});
