import { spawnSync } from "node:child_process";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { databaseProviders } from "../helpers/database-matrix";
import { eventually, GatewayWorld } from "../helpers/gateway-world";
import { ROOT } from "../helpers/server";
import { completion, startFakeUpstream, streamEvents, type FakeUpstream } from "../helpers/fake-upstream";

/** A request that reached the upstream is never left unlogged or unbilled, even when the server stops. */
describe.each(await databaseProviders())("gateway shutdown on %s", (provider) => {
  const world = new GatewayWorld();
  let upstream: FakeUpstream;

  beforeAll(async () => {
    // The crash test kills the compiled server, what `npm start` runs: one process, as in production.
    const built = spawnSync(process.execPath, ["scripts/build-server.mjs"], { cwd: ROOT, encoding: "utf8" });
    expect(built.status, built.stderr).toBe(0);
    await world.setUp(provider);
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
    expect(await world.db.fundsLease.count()).toBe(0);
  });

  it("gives back the funds a crashed instance had leased, once its lease is no longer renewed", async () => {
    const payer = await world.user(10_000_000n);
    await world.start({ ROOTAPI_LEASE_TTL_SECONDS: "3" }, { compiled: true });
    const stream = await world.client(payer.apiKey).chat.completions.create({ model: "gpt-slow", messages: [{ role: "user", content: "x" }], stream: true });
    for await (const _chunk of stream) break; // in flight: its cost is reserved from the instance's lease
    const leased = await world.balance(payer.user.id);
    expect(leased.held).toBeGreaterThan(0n);
    expect(await world.db.fundsLease.findMany({ where: { subjectId: payer.user.id } })).toMatchObject([{ subject: "user", amount: leased.held }]);

    await world.server.crash();
    expect((await world.balance(payer.user.id)).held).toBe(leased.held);

    // Any other instance gives the dead one's lease back; the unsettled request died with it.
    await world.start({ ROOTAPI_LEASE_TTL_SECONDS: "3" }, { compiled: true });
    await eventually(async () => expect((await world.balance(payer.user.id)).held).toBe(0n), 10_000, 200);
    expect(await world.db.fundsLease.count()).toBe(0);
    expect(await world.balance(payer.user.id)).toEqual({ balance: 10_000_000n, held: 0n, ledgerSum: 10_000_000n });
  }, 60_000);
});
