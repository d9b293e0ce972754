import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { databaseProviders } from "../helpers/database-matrix";
import { createTestDatabase, type TestDatabase } from "../helpers/databases";
import { completion, startFakeUpstream, streamEvents, type FakeUpstream } from "../helpers/fake-upstream";
import { GatewayWorld } from "../helpers/gateway-world";
import { ROOT, startServer, type RunningServer } from "../helpers/server";

/**
 * What `npm start` runs: the server compiled by scripts/build-server.mjs (dist/server/index.js)
 * under plain node — migrations applied by its child process, /v1 answered, Next.js prepared on the
 * first portal request. The other integration tests run server/index.ts under tsx.
 */
beforeAll(() => {
  const built = spawnSync(process.execPath, ["scripts/build-server.mjs"], { cwd: ROOT, encoding: "utf8" });
  expect(built.status, built.stderr).toBe(0);
}, 60_000);

describe.each(await databaseProviders())("the compiled server on %s", (provider) => {
  let database: TestDatabase;
  let server: RunningServer | undefined;

  beforeAll(async () => {
    database = await createTestDatabase(provider);
  });

  afterAll(async () => {
    await server?.stop();
    await database.drop();
  });

  it("migrates a fresh database in a child process, then serves /v1 and the portal", async () => {
    server = await startServer(database.url, {}, { compiled: true });
    expect(server.logs()).toMatch(new RegExp(`Database \\(${provider}\\): applied \\d+_init`));
    expect(server.logs()).toContain("Seeded the built-in sandbox channel");

    const unauthenticated = await fetch(`${server.url}/v1/models`);
    expect(unauthenticated.status).toBe(401);
    expect((await unauthenticated.json()).error.code).toBe("invalid_api_key");

    const portal = await fetch(`${server.url}/`, { redirect: "manual" });
    expect(portal.status).toBeLessThan(500);
    await server.stop();

    // A restart finds nothing to apply.
    server = await startServer(database.url, {}, { compiled: true });
    expect(server.logs()).not.toContain("applied");
  }, 120_000);
});

describe("the compiled server's gateway", () => {
  const world = new GatewayWorld();
  let upstream: FakeUpstream;
  const importLogDir = mkdtempSync(path.join(os.tmpdir(), "rootapi-imports-"));
  const importLog = path.join(importLogDir, "imports.txt");
  const imported = () => readFileSync(importLog, "utf8");

  beforeAll(async () => {
    await world.setUp("sqlite");
    upstream = await startFakeUpstream((req) =>
      (req.body as { stream?: boolean }).stream
        ? { kind: "sse", events: streamEvents(["Hello", " there"], { prompt_tokens: 7, completion_tokens: 2 }) }
        : { kind: "json", body: completion("Hello there", { prompt_tokens: 7, completion_tokens: 2 }) },
    );
    await world.channel({ name: "up", baseUrl: upstream.url, apiKey: "k", models: ["gpt-test"] });
    await world.price("gpt-test", 1_000_000n, 2_000_000n);
    const preload = pathToFileURL(path.join(ROOT, "test/helpers/import-log.mjs")).href;
    await world.start({ NODE_OPTIONS: `--import=${preload}`, ROOTAPI_TEST_IMPORT_LOG: importLog }, { compiled: true });
  }, 120_000);

  afterAll(async () => {
    await world.tearDown();
    await upstream.close();
    rmSync(importLogDir, { recursive: true, force: true });
  });

  it("relays, bills and logs like the tsx server (the client's body reaching the upstream unchanged) without loading Prisma or Next.js", async () => {
    const payer = await world.user(1_000_000n);
    const client = world.client(payer.apiKey);
    const body = { model: "gpt-test", messages: [{ role: "user" as const, content: "Hi" }], some_new_field: { nested: [1, 2] } };
    const answer = await client.chat.completions.create(body as Parameters<typeof client.chat.completions.create>[0] & { stream?: false });
    expect(answer.choices[0]!.message.content).toBe("Hello there");
    expect(upstream.received.at(-1)!.body).toEqual(body);

    let text = "";
    const stream = await client.chat.completions.create({ model: "gpt-test", messages: [{ role: "user", content: "Hi" }], stream: true });
    for await (const chunk of stream) text += chunk.choices[0]?.delta.content ?? "";
    expect(text).toBe("Hello there");
    expect((await client.models.list()).data.map((m) => m.id)).toContain("gpt-test");
    // Stored responses, continued, retrieved and deleted.
    const first = await client.responses.create({ model: "gpt-test", input: "Hi" });
    const second = await client.responses.create({ model: "gpt-test", input: "Again", previous_response_id: first.id });
    expect(upstream.received.at(-1)!.body).toMatchObject({ messages: [{ role: "user" }, { role: "assistant", content: "Hello there" }, { role: "user" }] });
    expect((await client.responses.retrieve(second.id)).output_text).toBe("Hello there");
    await client.responses.delete(second.id);
    expect(await client.responses.retrieve(second.id).catch((e) => e.status)).toBe(404);

    // Serving /v1 never loads Prisma's query compiler (~100 MB) nor Next.js; a portal page does.
    expect(imported()).not.toMatch(/query_compiler|^next$/m);
    expect((await fetch(`${world.server.url}/models`)).status).toBe(200);
    expect(imported()).toMatch(/query_compiler/);

    await world.server.stop(); // SIGTERM flushes the settlement queue
    const logs = await world.db.requestLog.findMany({ where: { userId: payer.user.id } });
    expect(logs.map((l) => l.status)).toEqual([200, 200, 200, 200]);
    const balance = await world.balance(payer.user.id);
    expect(balance).toEqual({ balance: 1_000_000n - 4n * (7n + 2n * 2n), held: 0n, ledgerSum: 1_000_000n - 4n * (7n + 2n * 2n) });
  }, 60_000);
});
