import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { databaseProviders } from "../helpers/database-matrix";
import { eventually, GatewayWorld } from "../helpers/gateway-world";
import { PortalClient } from "../helpers/portal-client";
import { runCli } from "../helpers/server";
import { completion, startFakeUpstream, type FakeUpstream } from "../helpers/fake-upstream";

const PASSWORD = "long enough pw";

/** Server-rendered HTML separates adjacent text with <!-- --> markers; read it as a person would. */
const textOf = (html: string) => html.replace(/<!-- -->/g, "");

describe.each(await databaseProviders())("billing: codes, sign-up credit, budgets, history on %s", (provider) => {
  const world = new GatewayWorld();
  let upstream: FakeUpstream;

  beforeAll(async () => {
    await world.setUp(provider);
    upstream = await startFakeUpstream(() => ({ kind: "json", body: completion("ok", { prompt_tokens: 100, completion_tokens: 50 }) }));
    await world.channel({ name: "paid", baseUrl: upstream.url, apiKey: "k", models: ["gpt-paid"] });
    await world.price("gpt-paid", 1_000_000n, 2_000_000n); // 100 × 1 + 50 × 2 = 200 µ$ per call
    await world.start({ SIGNUP_CREDIT_USD: "1.5" });
  });

  afterAll(async () => {
    await world.tearDown();
    await upstream?.close();
  });

  async function signedIn(email: string) {
    const client = new PortalClient(world.server.url);
    expect((await client.signUp(email, PASSWORD)).status).toBe(201);
    expect(await client.signIn(email, PASSWORD)).toBeNull();
    const user = await world.db.user.findUniqueOrThrow({ where: { email } });
    return { client, user };
  }

  it("credits SIGNUP_CREDIT_USD once to every new account", async () => {
    const { user } = await signedIn("welcome@example.com");
    expect(await world.balance(user.id)).toMatchObject({ balance: 1_500_000n, ledgerSum: 1_500_000n });
    const entries = await world.db.ledgerEntry.findMany({ where: { userId: user.id } });
    expect(entries).toMatchObject([{ kind: "SIGNUP_CREDIT", amount: 1_500_000n }]);
  });

  it("redeems a code exactly once, even when raced", async () => {
    const made = await runCli(["code", "create", "--usd", "2.25", "--count", "2", "--note", "conference"], world.server.env);
    expect(made.code, made.stderr).toBe(0);
    const codes = made.stdout.trim().split("\n").slice(-2);
    expect(codes.every((c) => /^RA-[0-9A-Za-z]{24}$/.test(c))).toBe(true);
    expect(made.value).toBe(codes[1]);

    const { client, user } = await signedIn("redeemer@example.com");
    const attempts = await Promise.all(Array.from({ length: 10 }, () => client.json("/api/billing/redeem", "POST", { code: codes[0] })));
    expect(attempts.filter((r) => r.status === 200)).toHaveLength(1);
    const refused = attempts.find((r) => r.status === 400)!;
    expect((await refused.json()).error).toMatchObject({ code: "invalid_code", field: "code" });
    expect((await world.balance(user.id)).balance).toBe(1_500_000n + 2_250_000n);

    const other = await signedIn("second-redeemer@example.com");
    expect((await other.client.json("/api/billing/redeem", "POST", { code: codes[0] })).status).toBe(400);
    expect((await other.client.json("/api/billing/redeem", "POST", { code: "RA-nonsense" })).status).toBe(400);
    const ok = await other.client.json("/api/billing/redeem", "POST", { code: codes[1] });
    expect(await ok.json()).toEqual({ amount: "2250000", balance: "3750000" });
  });

  it("enforces a monthly key budget and starts it over in a new month", async () => {
    const payer = await world.user(10_000_000n, { budget: 500n, budgetPeriod: "MONTHLY" });
    const client = world.client(payer.apiKey);
    // Each call holds up to its prompt bound + 1000 output tokens × $2 — more than 500 µ$, so set max_tokens.
    await client.chat.completions.create({ model: "gpt-paid", messages: [{ role: "user", content: "x" }], max_tokens: 50 });
    await client.chat.completions.create({ model: "gpt-paid", messages: [{ role: "user", content: "x" }], max_tokens: 50 });
    const refused = await client.chat.completions.create({ model: "gpt-paid", messages: [{ role: "user", content: "x" }], max_tokens: 50 }).catch((e) => e);
    expect(refused.status).toBe(402);
    const key = await eventually(async () => {
      const row = await world.db.apiKey.findUniqueOrThrow({ where: { id: payer.keyId } });
      expect(row.spent).toBe(400n);
      return row;
    });
    expect(key.periodStart?.getUTCDate()).toBe(1);

    // Last month's spending: the next request opens a new month, in a fresh server (per-process month cache).
    await world.db.apiKey.update({ where: { id: payer.keyId }, data: { periodStart: new Date(Date.UTC(2020, 0, 1)) } });
    await world.server.stop();
    await world.start({ SIGNUP_CREDIT_USD: "1.5" });
    await world.client(payer.apiKey).chat.completions.create({ model: "gpt-paid", messages: [{ role: "user", content: "x" }], max_tokens: 50 });
    await eventually(async () => expect((await world.db.apiKey.findUniqueOrThrow({ where: { id: payer.keyId } })).spent).toBe(200n));
  });

  it("shows the history with usage per day and model, and exports every entry as CSV", async () => {
    const { client, user } = await signedIn("historian@example.com");
    const key = await client.json("/api/keys", "POST", { name: "h", budgetUsd: "1", rpmLimit: 100, allowedModels: "gpt-paid" });
    const { key: apiKey, data } = await key.json();
    expect(data).toMatchObject({ budget: "1000000", budgetPeriod: "TOTAL", rpmLimit: 100, allowedModels: ["gpt-paid"], spent: "0" });
    for (let i = 0; i < 3; i++) await world.client(apiKey).chat.completions.create({ model: "gpt-paid", messages: [{ role: "user", content: "x" }], max_tokens: 50 });
    await eventually(async () => expect((await world.balance(user.id)).balance).toBe(1_499_400n));

    const page = textOf(await (await client.request("/billing/history")).text());
    expect(page).toContain("gpt-paid · 3 requests");
    expect(page).toContain("Welcome credit");

    const csv = await client.request("/api/billing/ledger.csv");
    expect(csv.headers.get("content-type")).toContain("text/csv");
    const lines = (await csv.text()).trim().split("\n");
    expect(lines[0]).toBe("id,time,kind,amount_usd,balance_after_usd,note,request_id");
    expect(lines.slice(1).map((l) => l.split(",")[2])).toEqual(["SIGNUP_CREDIT", "USAGE", "USAGE", "USAGE"]);
    expect(lines.at(-1)!.split(",").slice(3, 5)).toEqual(["-0.000200", "1.499400"]);
    expect((await world.balance(user.id)).balance).toBe(1_499_400n);
    const verify = await runCli(["ledger", "verify"], world.server.env);
    expect(verify.code, verify.stdout).toBe(0);
  });

  it("saves the low-balance warning and refuses auto-recharge without a saved card", async () => {
    const { client } = await signedIn("settings@example.com");
    const saved = await client.json("/api/billing/settings", "PUT", { lowBalanceThresholdUsd: "5" });
    expect((await saved.json()).data.lowBalanceThreshold).toBe("5000000");
    const dashboard = textOf(await (await client.request("/dashboard")).text());
    expect(dashboard).toContain("below your $5.00 warning level");
    const noCard = await client.json("/api/billing/settings", "PUT", { autoRecharge: { enabled: true, thresholdUsd: "2", amountUsd: "20" } });
    expect(noCard.status).toBe(400);
    expect((await noCard.json()).error.code).toBe("no_saved_card");
    expect((await client.json("/api/billing/settings", "PUT", { lowBalanceThresholdUsd: "-1" })).status).toBe(400);
  });
});
