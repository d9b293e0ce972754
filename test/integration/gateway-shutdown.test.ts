import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { GatewayWorld } from "../helpers/gateway-world";
import { completion, startFakeUpstream, streamEvents, type FakeUpstream } from "../helpers/fake-upstream";

/** A request that reached the upstream is never left unlogged or unbilled, even when the server stops. */
describe("gateway shutdown (SIGTERM)", () => {
  const world = new GatewayWorld();
  let upstream: FakeUpstream;

  beforeAll(async () => {
    await world.setUp("sqlite");
    upstream = await startFakeUpstream((req) =>
      (req.body as { stream?: boolean }).stream
        ? { kind: "sse", events: streamEvents(Array.from({ length: 30 }, (_, i) => ` w${i}`), { prompt_tokens: 10, completion_tokens: 30 }), delayMs: 40 }
        : { kind: "json", body: completion("done", { prompt_tokens: 10, completion_tokens: 2 }) },
    );
    await world.channel({ name: "slow", baseUrl: upstream.url, apiKey: "k", models: ["gpt-slow"] });
    await world.price("gpt-slow", 1_000_000n, 1_000_000n);
  });

  afterAll(async () => {
    await world.tearDown();
    await upstream.close();
  });

  it("finishes in-flight streams and writes every log row and ledger entry before exiting", async () => {
    const payer = await world.user(10_000_000n);
    await world.start();
    const client = world.client(payer.apiKey);
    const quick = await Promise.all(Array.from({ length: 5 }, () => client.chat.completions.create({ model: "gpt-slow", messages: [{ role: "user", content: "x" }] })));
    const stream = await client.chat.completions.create({ model: "gpt-slow", messages: [{ role: "user", content: "x" }], stream: true });
    const reading = (async () => {
      let text = "";
      for await (const chunk of stream) text += chunk.choices[0]?.delta.content ?? "";
      return text;
    })();
    await new Promise((r) => setTimeout(r, 200));
    await world.server.stop(); // SIGTERM, waits for exit
    expect((await reading).split("w").length - 1).toBe(30);

    const ids = [...quick.map((q) => q._request_id!), stream._request_id!];
    const logs = await world.db.requestLog.findMany({ where: { id: { in: ids } } });
    expect(logs, world.server.logs()).toHaveLength(6);
    expect(logs.find((l) => l.id === stream._request_id)).toMatchObject({ status: 200, completionTokens: 30, cost: 40n });
    const balance = await world.balance(payer.user.id);
    expect(balance.balance).toBe(10_000_000n - 5n * 12n - 40n);
    expect(balance).toMatchObject({ held: 0n, ledgerSum: balance.balance });
  });
});
