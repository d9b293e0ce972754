import { expect, type APIRequestContext, type Browser } from "@playwright/test";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { ADMIN_EMAIL, e2eDataDir, prepareAdminTour, runCli, type AdminTour } from "./portal";

/**
 * The data a page tour needs to find layout bugs: what real installs accumulate, at the lengths that
 * break layouts. Made through the product's own doors (admin API, portal API, /v1 on the sandbox,
 * the CLI), so every table, chart and ledger agrees with what the pages read.
 */
export const LONG_MODEL = "accounts/fireworks/models/llama-v3p1-405b-instruct-long-context";
export const LONG_CHANNEL = "Fireworks AI production pool (us-east-1, dedicated deployment, failover group B)";
/** Key names are at most 64 characters: both are at the limit's edge. */
export const LONG_KEY_NAME = "production-backend-eu-west-1-customer-facing-chat-assistant-v2-x";
export const CJK_KEY_NAME = "生产环境后端服务密钥（欧洲西部一区，面向客户的智能聊天助手第二版，供移动端与网页端共用，请勿删除或随意轮换）";
export const LOG_ROWS = 1_000;
/** Calls in flight at once while filling the log: enough to be quick, few enough for a shared 2-core machine. */
const CONCURRENCY = 16;

export interface RealisticTour extends AdminTour {
  ids: AdminTour["ids"] & { longKeyId: string; longModelRequestId: string };
  /** How long seeding took (ms), for the report. */
  seedMs: number;
}

/**
 * Kept in the e2e server's data dir: Playwright starts a new worker (and reruns beforeAll) after a
 * failed test, and the server (whose data dir is wiped at each start) still has the data.
 */
const marker = () => path.join(e2eDataDir(), "page-tour.json");

export async function prepareRealisticTour(browser: Browser): Promise<RealisticTour> {
  if (existsSync(marker())) return JSON.parse(readFileSync(marker(), "utf8")) as RealisticTour;
  const started = Date.now();
  const base = await prepareAdminTour(browser);
  runCli(["credit", "--email", ADMIN_EMAIL, "--usd", "100", "--note", "page tour"]);
  const context = await browser.newContext({ storageState: base.state });
  const request = context.request;

  await expectCreated(request.post("/api/admin/channels", {
    data: { name: LONG_CHANNEL, type: "sandbox", models: [LONG_MODEL], modelMapping: { [LONG_MODEL]: "sandbox-chat" } },
  }));
  await expectCreated(request.post("/api/admin/prices", {
    data: { model: LONG_MODEL, inputUsd: "3", outputUsd: "3", visible: true, description: "Llama 3.1 405B Instruct with a long context window, served by a dedicated deployment." },
  }));
  const longKey = await createKey(request, LONG_KEY_NAME);
  const cjkKey = await createKey(request, CJK_KEY_NAME);

  const requestIds = await fillLog(request, [longKey.key, cjkKey.key, base.ids.apiKey]);
  await context.close();
  const tour: RealisticTour = {
    ...base,
    ids: { ...base.ids, longKeyId: longKey.id, longModelRequestId: requestIds.find((r) => r.model === LONG_MODEL)!.id },
    seedMs: Date.now() - started,
  };
  writeFileSync(marker(), JSON.stringify(tour));
  return tour;
}

async function expectCreated(response: Promise<{ status(): number; text(): Promise<string> }>): Promise<void> {
  const done = await response;
  expect(done.status(), await done.text()).toBe(201);
}

async function createKey(request: APIRequestContext, name: string): Promise<{ key: string; id: string }> {
  const created = await request.post("/api/keys", { data: { name } });
  expect(created.status(), await created.text()).toBe(201);
  const { key, data } = (await created.json()) as { key: string; data: { id: string } };
  return { key, id: data.id };
}

/**
 * LOG_ROWS real /v1 calls across keys and models, one in 25 refused by the sandbox with a 400 (so
 * the log shows errors without tripping the channel's failure count, which only upstream faults feed).
 */
async function fillLog(request: APIRequestContext, keys: string[]): Promise<Array<{ id: string; model: string }>> {
  const ids: Array<{ id: string; model: string }> = [];
  let next = 0;
  const call = async (i: number) => {
    const model = i % 3 === 0 ? "sandbox-chat" : LONG_MODEL;
    const fail = i % 25 === 0;
    const response = await request.post("/v1/chat/completions", {
      headers: { authorization: `Bearer ${keys[i % keys.length]}` },
      data: { model, messages: [{ role: "user", content: `${fail ? "[sandbox:status=400] " : ""}Tour request ${i}: summarise the quarterly report.` }] },
    });
    expect(response.status(), await response.text()).toBe(fail ? 400 : 200);
    ids.push({ id: response.headers()["x-request-id"]!, model });
  };
  await Promise.all(Array.from({ length: CONCURRENCY }, async () => {
    while (next < LOG_ROWS) await call(next++);
  }));
  return ids;
}
