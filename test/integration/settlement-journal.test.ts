import { copyFileSync, mkdtempSync, readdirSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { databaseProviders } from "../helpers/database-matrix";
import { eventually, GatewayWorld } from "../helpers/gateway-world";
import { completion, startFakeUpstream, type FakeUpstream } from "../helpers/fake-upstream";
import { TcpProxy } from "../helpers/tcp-proxy";

const journals = (dir: string) => readdirSync(dir).filter((name) => name.startsWith("unsettled-"));

/**
 * A server stopped while its database is unreachable: it used to retry its settlements forever and
 * never exit (until the orchestrator's SIGKILL lost them). It now journals them, exits, and the next
 * start writes them exactly once. PostgreSQL only: the database has to go away under a running server.
 */
describe.runIf((await databaseProviders()).includes("postgresql"))("settlements a stopping server cannot write", () => {
  const world = new GatewayWorld();
  let upstream: FakeUpstream;
  let proxy: TcpProxy;
  let dataDir: string;
  let env: Record<string, string>;

  beforeAll(async () => {
    await world.setUp("postgresql");
    upstream = await startFakeUpstream(() => ({ kind: "json", body: completion("done", { prompt_tokens: 10, completion_tokens: 2 }) }));
    await world.channel({ name: "up", baseUrl: upstream.url, apiKey: "k", models: ["gpt-j"] });
    await world.price("gpt-j", 1_000_000n, 1_000_000n); // 12 µ$ a call
    const target = new URL(world.url);
    proxy = new TcpProxy(target.hostname, Number(target.port || 5432));
    await proxy.open();
    const viaProxy = new URL(world.url);
    viaProxy.host = `127.0.0.1:${proxy.port}`;
    dataDir = mkdtempSync(path.join(os.tmpdir(), "rootapi-journal-"));
    env = { DATABASE_URL: viaProxy.toString(), ROOTAPI_DATA_DIR: dataDir, ROOTAPI_SETTLEMENT_DRAIN_SECONDS: "1", ROOTAPI_LEASE_TTL_SECONDS: "3" };
  });

  afterAll(async () => {
    await proxy.open().catch(() => undefined);
    await world.tearDown();
    await proxy.cut();
    await upstream.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it("are journaled when the database is down for the whole shutdown, and settled exactly once by the next start", async () => {
    const payer = await world.user(10_000_000n);
    await world.start(env);
    const call = () => world.client(payer.apiKey).chat.completions.create({ model: "gpt-j", messages: [{ role: "user", content: "x" }] });
    const before = await call();
    await world.logOf(before._request_id!);

    // The database goes away; the key, prices and the instance's lease still answer three calls.
    await proxy.cut();
    const during = await Promise.all([call(), call(), call()]);
    const ids = during.map((c) => c._request_id!);

    const stopping = Date.now();
    await world.server.stop();
    const logs = world.server.logs();
    // By itself, long before the test helper's SIGKILL (10 s): one second of retries, then the journal.
    expect(Date.now() - stopping, logs).toBeLessThan(8_000);
    expect(logs).toContain('"event":"settlement.journaled"');
    expect(logs).toContain('"event":"server.stopped"');
    const [journal] = journals(dataDir);
    expect(journals(dataDir)).toHaveLength(1);
    const copy = path.join(os.tmpdir(), `${path.basename(dataDir)}-${journal}`);
    copyFileSync(path.join(dataDir, journal!), copy);

    await proxy.open();
    expect(await world.db.requestLog.count({ where: { id: { in: ids } } })).toBe(0);
    expect((await world.balance(payer.user.id)).balance).toBe(10_000_000n - 12n);

    // The next start writes them before it answers anything.
    await world.start(env);
    expect(world.server.logs()).toContain('"event":"settlement.journal_replayed"');
    expect(journals(dataDir)).toEqual([]);
    const rows = await world.db.requestLog.findMany({ where: { id: { in: ids } } });
    expect(rows.map((r) => [r.status, r.cost])).toEqual([
      [200, 12n],
      [200, 12n],
      [200, 12n],
    ]);
    const usage = await world.db.ledgerEntry.findMany({ where: { userId: payer.user.id, kind: "USAGE" } });
    expect(usage).toHaveLength(4);
    const settled = { balance: 10_000_000n - 4n * 12n, ledgerSum: 10_000_000n - 4n * 12n };
    expect(await world.balance(payer.user.id)).toMatchObject(settled);

    // The same journal again (a copy restored from a backup, two instances on one volume): nothing twice.
    await world.server.stop();
    copyFileSync(copy, path.join(dataDir, journal!));
    rmSync(copy);
    await world.start(env);
    expect(world.server.logs()).toContain('"event":"settlement.journal_replayed"');
    expect(journals(dataDir)).toEqual([]);
    expect(await world.db.ledgerEntry.count({ where: { userId: payer.user.id, kind: "USAGE" } })).toBe(4);
    expect(await world.balance(payer.user.id)).toMatchObject(settled);
    // The stopped instance's lease could not be given back: it expires, and the running one sweeps it.
    await eventually(async () => expect(await world.balance(payer.user.id)).toEqual({ ...settled, held: 0n }), 15_000, 250);
  }, 90_000);
});
