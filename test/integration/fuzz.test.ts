import http from "node:http";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { findLedgerMismatches } from "@/lib/billing/ledger";
import { createUser } from "@/lib/users/users";
import { GatewayWorld } from "../helpers/gateway-world";
import { PortalClient } from "../helpers/portal-client";

/**
 * Thousands of generated bad requests — malformed and mistyped bodies, wrong and missing content
 * types, broken encodings, hostile headers and path segments — at every /v1 endpoint and every
 * portal API route, signed in as an administrator and as nobody. Every answer must be a 4xx (a
 * clear refusal), never a 5xx or a dropped connection, and the ledger must still balance.
 * Deterministic: the generator is seeded, so a failure names a request that can be replayed.
 */
const SEED = 20261204;

function prng(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const FIELDS = ["model", "messages", "input", "role", "content", "stream", "max_tokens", "tools", "tool_choice", "n", "temperature", "previous_response_id", "email", "password", "name", "amountUsd", "status", "code", "note", "models", "baseUrl", "apiKey", "type", "inputPrice", "outputPrice", "amount", "method", "path", "body", "settings", "__proto__", "constructor"];

interface Probe {
  method: string;
  path: string;
  headers: Record<string, string>;
  body?: Buffer;
  describe: string;
}

class Generator {
  readonly random: () => number;
  constructor(seed: number) {
    this.random = prng(seed);
  }
  int(n: number): number {
    return Math.floor(this.random() * n);
  }
  pick<T>(items: readonly T[]): T {
    return items[this.int(items.length)]!;
  }

  /** A value of a type no field expects in that place (objects, arrays, odd numbers and strings). */
  wrongValue(depth = 0): unknown {
    switch (this.int(depth > 3 ? 6 : 9)) {
      case 0: return null;
      case 1: return this.pick([-1, 0, 1e308, -1e308, 1.5, 2 ** 53 + 1, -0]);
      case 2: return this.pick(["", " ", "\u0000", "😀".repeat(50), "x".repeat(5000), "<script>alert(1)</script>", "' OR 1=1 --", "../../etc/passwd", "%00"]);
      case 3: return this.random() < 0.5;
      case 4: return [];
      case 5: return {};
      case 6: return Array.from({ length: this.int(4) }, () => this.wrongValue(depth + 1));
      case 7: return Object.fromEntries(Array.from({ length: this.int(4) }, () => [this.pick(FIELDS), this.wrongValue(depth + 1)]));
      default: return { [this.pick(FIELDS)]: this.wrongValue(depth + 1) };
    }
  }

  /** Bytes that are not a usable JSON object body. */
  badBody(): { body: Buffer; contentType: string | null; describe: string } {
    const json = "application/json";
    switch (this.int(10)) {
      case 0: return { body: Buffer.from(`{"model": "x", "messages": [`), contentType: json, describe: "truncated JSON" };
      case 1: return { body: Buffer.from([0x7b, 0x22, 0xff, 0xfe, 0x22, 0x3a, 0x31, 0x7d]), contentType: json, describe: "invalid UTF-8" };
      case 2: return { body: Buffer.from(this.pick(["null", "[]", "\"text\"", "42", "true", "[{}]"])), contentType: json, describe: "non-object root" };
      case 3: return { body: Buffer.from(`${"[".repeat(200 + this.int(5000))}`), contentType: json, describe: "deep nesting" };
      case 4: return { body: Buffer.from(JSON.stringify({ model: "x" })), contentType: this.pick(["text/plain", "application/x-www-form-urlencoded", "multipart/form-data; boundary=x"]), describe: "wrong content type" };
      case 5: return { body: Buffer.from("{}"), contentType: null, describe: "no content type" };
      case 6: return { body: Buffer.from("\ufeff{\"a\":1}"), contentType: json, describe: "BOM" };
      case 7: return { body: Buffer.from(`{"a":1,"a":${"9".repeat(400)}}`), contentType: json, describe: "huge number" };
      default: {
        // Known fields with values of the wrong type; the ones most routes require are always wrong.
        const value: Record<string, unknown> = {};
        for (const field of FIELDS) if (this.random() < 0.4) value[field] = this.wrongValue();
        value.model = this.pick([null, 42, [], {}, true]);
        value.email = this.pick([null, 42, [], {}, "not-an-address"]);
        value.name = this.pick([42, [], {}, true]);
        return { body: Buffer.from(JSON.stringify(value)), contentType: json, describe: "mistyped fields" };
      }
    }
  }

  badSegment(): string {
    return this.pick(["%", "%zz", "%E0%A4%A", "%C0%AF", "..%2F..%2F", "%00", "x".repeat(3000), "%F0%9F%98", "null", "-1"]);
  }

  badAuthorization(): string | null {
    return this.pick([null, "", "Bearer", "Bearer ", "Basic Zm9vOmJhcg==", "Bearer sk-does-not-exist", `Bearer ${"a".repeat(8000)}`, "Bearer rk_\u00e9\u00e8", "bearer\tsk-x"]);
  }
}

const V1_POSTS = ["/v1/chat/completions", "/v1/embeddings", "/v1/responses", "/v1/messages", "/v1/messages/count_tokens"];
const V1_GETS = ["/v1/models", "/v1/dashboard/billing/subscription", "/v1/dashboard/billing/usage"];
const V1_DYNAMIC = (s: string) => [["GET", `/v1/models/${s}`], ["GET", `/v1/responses/${s}`], ["DELETE", `/v1/responses/${s}`], ["GET", `/v1/responses/${s}/input_items?limit=${s}&order=${s}`]] as const;

const PORTAL_WRITES: Array<[string, string]> = [
  ["POST", "/api/admin/channels"], ["PATCH", "/api/admin/channels/{id}"], ["POST", "/api/admin/channels/{id}/status"], ["POST", "/api/admin/channels/{id}/test"],
  ["POST", "/api/admin/prices"], ["PATCH", "/api/admin/prices/{id}"], ["POST", "/api/admin/redemption-codes"], ["POST", "/api/admin/users/{id}/adjust"],
  ["PATCH", "/api/admin/users/{id}"], ["POST", "/api/billing/checkout"], ["POST", "/api/billing/redeem"], ["PUT", "/api/billing/settings"],
  ["POST", "/api/docs/try"], ["POST", "/api/keys"], ["POST", "/api/playground/chat"], ["POST", "/api/signup"], ["POST", "/api/stripe/webhook"],
];
const PORTAL_DYNAMIC_READS = ["/api/admin/channels/{id}", "/api/admin/users/{id}", "/api/billing/payments/{id}", "/api/docs/requests/{id}"];
const PORTAL_DYNAMIC_DELETES = ["/api/admin/channels/{id}", "/api/admin/prices/{id}", "/api/keys/{id}"];

function send(base: string, probe: Probe): Promise<number> {
  return new Promise((resolve, reject) => {
    const headers: Record<string, string> = { ...probe.headers };
    if (probe.body) headers["content-length"] = String(probe.body.length);
    const req = http.request(`${base}${probe.path}`, { method: probe.method, headers }, (res) => {
      res.resume();
      res.on("end", () => resolve(res.statusCode!));
    });
    req.setTimeout(30_000, () => req.destroy(new Error("timed out")));
    req.on("error", reject);
    req.end(probe.body);
  });
}

describe("fuzzing every endpoint with bad requests", () => {
  const world = new GatewayWorld();
  let apiKey: string;
  let cookie: string;

  beforeAll(async () => {
    await world.setUp("sqlite");
    // Stripe configured (with nowhere to reach): a bad body must be refused before any Stripe call.
    await world.start({ STRIPE_SECRET_KEY: "sk_test_fuzz", STRIPE_WEBHOOK_SECRET: "whsec_fuzz", STRIPE_API_BASE: "http://127.0.0.1:9" });
    const user = await world.user(5_000_000n);
    apiKey = user.apiKey;
    const email = `fuzz-admin-${Date.now()}@example.com`;
    await createUser(world.db, { email, password: "fuzzing password", admin: true });
    const portal = new PortalClient(world.server.url);
    expect(await portal.signIn(email, "fuzzing password")).toBeNull();
    const session = await portal.request("/api/keys");
    expect(session.status).toBe(200);
    cookie = [...(portal as unknown as { cookies: Map<string, string> }).cookies].map(([k, v]) => `${k}=${v}`).join("; ");
  });

  afterAll(() => world.tearDown());

  it("answers thousands of generated bad requests with 4xx only, and the ledger still balances", async () => {
    const gen = new Generator(SEED);
    const origin = world.server.url;
    const probes: Probe[] = [];
    const authHeader = (): Record<string, string> => {
      const bad = gen.random() < 0.3 ? gen.badAuthorization() : `Bearer ${apiKey}`;
      return bad === null ? {} : { authorization: bad };
    };
    const withBody = (method: string, path: string, headers: Record<string, string>) => {
      const { body, contentType, describe } = gen.badBody();
      const extra: Record<string, string> = contentType ? { "content-type": contentType } : {};
      if (gen.random() < 0.05) extra["content-encoding"] = "gzip";
      probes.push({ method, path, headers: { ...headers, ...extra }, body, describe });
    };

    for (let i = 0; i < 700; i++) withBody("POST", gen.pick(V1_POSTS), authHeader());
    for (let i = 0; i < 300; i++) {
      const [method, path] = gen.pick(V1_DYNAMIC(gen.badSegment()));
      probes.push({ method, path, headers: authHeader(), describe: "bad path segment" });
    }
    for (let i = 0; i < 150; i++) {
      const bad = gen.badAuthorization();
      probes.push({ method: "GET", path: gen.pick(V1_GETS), headers: bad === null ? {} : { authorization: bad }, describe: "bad key" });
    }
    for (let i = 0; i < 50; i++) probes.push({ method: gen.pick(["PUT", "PATCH", "DELETE"]), path: gen.pick([...V1_POSTS, ...V1_GETS]), headers: authHeader(), describe: "wrong method" });

    const portalHeaders = (signedIn: boolean): Record<string, string> => ({
      ...(signedIn ? { cookie } : {}),
      ...(gen.random() < 0.1 ? { origin: gen.pick(["null", "http://evil.example", "::::", "http://"]) } : {}),
    });
    for (let i = 0; i < 1200; i++) {
      const [method, template] = gen.pick(PORTAL_WRITES);
      withBody(method, template.replace("{id}", gen.badSegment()), portalHeaders(gen.random() < 0.8));
    }
    for (let i = 0; i < 200; i++) {
      const path = gen.pick(PORTAL_DYNAMIC_READS).replace("{id}", gen.badSegment());
      probes.push({ method: "GET", path, headers: portalHeaders(gen.random() < 0.8), describe: "bad id" });
    }
    for (let i = 0; i < 100; i++) {
      const path = gen.pick(PORTAL_DYNAMIC_DELETES).replace("{id}", gen.badSegment());
      probes.push({ method: "DELETE", path, headers: portalHeaders(true), describe: "delete a bad id" });
    }
    for (let i = 0; i < 100; i++) {
      // Parameters that are validated (the usage filters forgive on purpose: they come from page URLs).
      const path = `/api/billing/ledger.csv?${gen.pick(["from", "to"])}=${gen.badSegment()}`;
      probes.push({ method: "GET", path, headers: portalHeaders(gen.random() < 0.3), describe: "bad query" });
    }

    const failures: string[] = [];
    const statuses = new Map<number, number>();
    // A few at a time: the point is bad input, not load.
    for (let i = 0; i < probes.length; i += 8) {
      await Promise.all(
        probes.slice(i, i + 8).map(async (probe) => {
          const status = await send(origin, probe).catch(() => -1);
          statuses.set(status, (statuses.get(status) ?? 0) + 1);
          if (status < 400 || status >= 500) failures.push(`${status} ${probe.method} ${probe.path.slice(0, 120)} (${probe.describe}; ${JSON.stringify(probe.headers).slice(0, 200)})`);
        }),
      );
    }
    console.log(`${probes.length} bad requests; statuses:`, Object.fromEntries([...statuses].sort()));
    expect(probes.length).toBeGreaterThan(2500);
    expect(failures.slice(0, 30), world.server.logs().slice(-4000)).toEqual([]);
    expect(world.server.logs()).not.toMatch(/Unhandled error|Request failed|    at /);
    expect(await findLedgerMismatches(world.db)).toEqual([]);
  });
});
