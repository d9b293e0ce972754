import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { databaseProviders } from "../helpers/database-matrix";
import { GatewayWorld, eventually } from "../helpers/gateway-world";
import { PortalClient } from "../helpers/portal-client";
import { failedOnly, parseUsageFilters, requestLogPage, usageByDay, usageByKey, usageByModel, usageSummary, usageTotals } from "@/lib/usage/queries";
import { USAGE_DAY_BACKFILL } from "@/lib/usage/rollup";

const PASSWORD = "long enough pw";
const textOf = (html: string) => html.replace(/<!-- -->/g, "");

describe.each(await databaseProviders())("usage page and queries on %s", (provider) => {
  const world = new GatewayWorld();
  let client: PortalClient;
  let userId: string;
  let keyIds: string[];

  beforeAll(async () => {
    await world.setUp(provider);
    await world.start();
    client = new PortalClient(world.server.url);
    await client.signUp("usage@example.com", PASSWORD);
    await client.signIn("usage@example.com", PASSWORD);
    userId = (await world.db.user.findUniqueOrThrow({ where: { email: "usage@example.com" } })).id;
    keyIds = [];
    for (const name of ["alpha", "beta"]) keyIds.push((await world.db.apiKey.create({ data: { userId, name, keyHash: `hash-${name}-${provider}`, prefix: `sk-${name}` } })).id);
    // 120 requests over 3 days (today and the 2 before), two models, two keys, every 10th failed.
    const today = new Date(`${new Date().toISOString().slice(0, 10)}T12:00:00.000Z`).getTime();
    await world.db.requestLog.createMany({
      data: Array.from({ length: 120 }, (_, i) => ({
        id: `req_usage_${provider}_${String(i).padStart(3, "0")}`,
        userId,
        apiKeyId: keyIds[i % 2]!,
        model: i % 3 === 0 ? "gpt-big" : "gpt-small",
        endpoint: "/v1/chat/completions",
        status: i % 10 === 0 ? 502 : 200,
        promptTokens: 10,
        completionTokens: 5,
        cost: i % 10 === 0 ? 0n : 100n,
        latencyMs: 40,
        // The newest request read and wrote the prompt cache.
        ...(i === 117 ? { cachedTokens: 4, cacheWriteTokens: 3, cacheWrite1hTokens: 1 } : {}),
        createdAt: new Date(today - (i % 3) * 86_400_000 + i * 1000),
      })),
    });
    // Written past settlement, so UsageDay (the page's charts) is added up as the migration does.
    await world.db.$executeRawUnsafe(USAGE_DAY_BACKFILL[provider]);
  });

  afterAll(() => world.tearDown());

  it("adds up totals, days, models and keys", async () => {
    const filters = parseUsageFilters(userId, {});
    expect(await usageTotals(world.db, filters)).toEqual({ requests: 120, errors: 12, promptTokens: 1200, completionTokens: 600, cost: 10_800n });
    const days = await usageByDay(world.db, filters);
    expect(days).toHaveLength(7);
    expect(days.slice(-3).map((d) => d.requests)).toEqual([40, 40, 40]);
    expect((await usageByModel(world.db, filters)).map((m) => [m.model, m.requests])).toEqual([
      ["gpt-small", 80],
      ["gpt-big", 40],
    ]);
    expect((await usageByKey(world.db, filters)).map((k) => [k.name, k.requests]).sort()).toEqual([
      ["alpha", 60],
      ["beta", 60],
    ]);
    const onlyErrors = parseUsageFilters(userId, { status: "error", model: "gpt-big", key: keyIds[0] });
    expect((await usageTotals(world.db, onlyErrors)).requests).toBe(new Set([0, 30, 60, 90]).size);
    // The page's one-read summary (from UsageDay) agrees with the per-chart queries (from RequestLog).
    const summary = await usageSummary(world.db, filters);
    expect(summary.totals).toEqual(await usageTotals(world.db, filters));
    expect(summary.days).toEqual(days);
    expect(summary.models.map((m) => [m.model, m.requests])).toEqual([
      ["gpt-small", 80],
      ["gpt-big", 40],
    ]);
    expect(summary.keys.map((k) => [k.name, k.requests]).sort()).toEqual([
      ["alpha", 60],
      ["beta", 60],
    ]);
    expect((await usageSummary(world.db, onlyErrors)).totals).toEqual(await usageTotals(world.db, onlyErrors));
  });

  it("pages through the request log with a cursor, newest first, without gaps or repeats", async () => {
    const filters = parseUsageFilters(userId, {});
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const page = await requestLogPage(world.db, filters, cursor, 25);
      seen.push(...page.rows.map((r) => r.id));
      cursor = page.nextCursor;
    } while (cursor);
    expect(seen).toHaveLength(120);
    expect(new Set(seen).size).toBe(120);
    const times = await world.db.requestLog.findMany({ where: { id: { in: seen } }, select: { id: true, createdAt: true } });
    const at = new Map(times.map((t) => [t.id, t.createdAt.getTime()]));
    expect(seen.every((id, i) => i === 0 || at.get(seen[i - 1]!)! >= at.get(id)!)).toBe(true);
  });

  it("renders the page, the request detail (own only) and the CSV export", async () => {
    const page = textOf(await (await client.request("/usage")).text());
    expect(page).toContain("$0.0108");
    expect(page).toContain("10.0%");
    expect(page).toContain("gpt-small");
    const detail = await client.request(`/usage/requests/req_usage_${provider}_001`);
    expect(detail.status).toBe(200);
    const detailText = textOf(await detail.text());
    expect(detailText).toContain(`data-testid="request-id">req_usage_${provider}_001</code>`);
    expect(detailText).toContain("Copy request id");
    expect(detailText).toContain("x-request-id");

    const stranger = new PortalClient(world.server.url);
    await stranger.signUp("stranger@example.com", PASSWORD);
    await stranger.signIn("stranger@example.com", PASSWORD);
    expect((await stranger.request(`/usage/requests/req_usage_${provider}_001`)).status).toBe(404);
    expect(textOf(await (await stranger.request("/usage")).text())).toContain("No requests in this period");

    const overview = textOf(await (await client.request("/dashboard")).text());
    expect(overview).toContain("Spend today");
    expect(overview).toContain("Last 7 days");

    const models = textOf(await (await new PortalClient(world.server.url).request("/models")).text());
    expect(models).toContain("sandbox-chat");
    expect(models).toContain("Free");

    const csv = await (await client.request("/api/usage/requests.csv?status=error")).text();
    const lines = csv.trim().split("\n");
    expect(lines[0]).toMatch(/^id,time,key,model/);
    expect(lines).toHaveLength(13);
  });

  it("shows cache reads and writes in the log, the request detail and the CSV export", async () => {
    const id = `req_usage_${provider}_117`;
    const row = textOf(await (await client.request("/usage")).text());
    expect(row).toContain("Cache read/write");
    expect(row).toContain("4 / 3");
    const detail = textOf(await (await client.request(`/usage/requests/${id}`)).text());
    expect(detail).toContain("10 (cache reads 4)");
    expect(detail).toContain("3 (1-hour TTL 1; part of the prompt tokens)");
    const zh = textOf(await (await client.request(`/usage/requests/${id}`, { headers: { "accept-language": "zh-CN,zh;q=0.9" } })).text());
    expect(zh).toContain("3（其中 1 小时缓存 1；计入输入 tokens）");

    const lines = (await (await client.request("/api/usage/requests.csv")).text()).trim().split("\n");
    const header = lines[0]!.split(",");
    expect(header.slice(header.indexOf("prompt_tokens"), header.indexOf("reasoning_tokens") + 1)).toEqual([
      "prompt_tokens",
      "completion_tokens",
      "cached_tokens",
      "cache_write_tokens",
      "cache_write_1h_tokens",
      "reasoning_tokens",
    ]);
    const cells = lines.find((l) => l.startsWith(`${id},`))!.split(",");
    expect(cells.slice(header.indexOf("prompt_tokens"), header.indexOf("reasoning_tokens") + 1)).toEqual(["10", "5", "4", "3", "1", "0"]);
    const plain = lines.find((l) => l.startsWith(`req_usage_${provider}_116,`))!.split(",");
    expect(plain[header.indexOf("cache_write_tokens")]).toBe("0");
  });

  it("marks a model whose every request failed and cost nothing (an unknown model's 404), and says where free calls are", async () => {
    const { user, apiKey } = await world.user(0n);
    const unknown = "accounts/fireworks/models/llama-v3p1-405b-instruct-long-context";
    const call = (model: string) =>
      fetch(`${world.server.url}/v1/chat/completions`, {
        method: "POST",
        headers: { authorization: `Bearer ${apiKey}`, "content-type": "application/json" },
        body: JSON.stringify({ model, messages: [{ role: "user", content: "hi" }] }),
      });
    const ok = await call("sandbox-chat");
    expect(ok.status).toBe(200);
    const missing = await call(unknown);
    expect(missing.status).toBe(404);
    await world.logOf(ok.headers.get("x-request-id")!);
    await world.logOf(missing.headers.get("x-request-id")!);

    const filters = parseUsageFilters(user.id, {});
    const summary = await eventually(async () => {
      const s = await usageSummary(world.db, filters);
      expect(s.totals.requests).toBe(2);
      return s;
    });
    // The free sandbox call succeeded: it is not "failed only", though it cost nothing either.
    const expected = [
      ["sandbox-chat", 1, 0, false],
      [unknown, 1, 1, true],
    ];
    expect(summary.models.map((m) => [m.model, m.requests, m.errors, failedOnly(m)])).toEqual(expected);
    expect((await usageByModel(world.db, filters)).map((m) => [m.model, m.requests, m.errors, failedOnly(m)])).toEqual(expected);

    const portal = new PortalClient(world.server.url);
    await portal.signIn(user.email, PASSWORD);
    const usage = textOf(await (await portal.request("/usage")).text());
    // One row marked (the page's own markup, not its serialized payload), the unknown model's.
    expect(usage.match(/data-failed-only="true"/g)).toHaveLength(1);
    expect(usage).toMatch(/data-failed-only="true"[^<]*>[^]*?accounts\/fireworks[^]*?all requests failed/);

    // Free calls write no ledger entry: the empty history says so and points to usage.
    const history = textOf(await (await portal.request("/billing/history")).text());
    expect(history).toContain("No ledger entries yet");
    expect(history).toMatch(/Free calls cost nothing, so they do not appear in the ledger: <a[^>]*href="\/usage"[^>]*>see every call under Usage<\/a>/);

    // The overview: a key and a call made, no balance yet, so funds come next; its chart has an axis and a table of values.
    const overview = textOf(await (await portal.request("/dashboard")).text());
    expect(overview).toContain('data-step="funds"');
    expect(overview).not.toContain(">Register<");
    expect(overview.split('data-testid="chart-tick"').length - 1).toBeGreaterThanOrEqual(2);
    expect(overview).toContain("Show the values as a table");
    await world.db.apiKey.updateMany({ where: { userId: user.id }, data: { revokedAt: new Date() } });
    expect(textOf(await (await portal.request("/dashboard")).text())).toContain('data-step="key"');
  });
});
