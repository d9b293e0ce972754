import { describe, expect, it } from "vitest";
import pg from "pg";
import { isDatabaseUnavailable } from "@/lib/gateway/store/unavailable";
import { failureOf } from "@/lib/gateway/pipeline/steps";

const withCode = (message: string, code: string) => Object.assign(new Error(message), { code });

describe("database unavailability", () => {
  it("recognises a database that is down, restarting or cut off", () => {
    expect(isDatabaseUnavailable(withCode("connect ECONNREFUSED 127.0.0.1:5432", "ECONNREFUSED"))).toBe(true);
    expect(isDatabaseUnavailable(withCode("terminating connection due to administrator command", "57P01"))).toBe(true);
    expect(isDatabaseUnavailable(withCode("the database system is starting up", "57P03"))).toBe(true);
    expect(isDatabaseUnavailable(withCode("connection failure", "08006"))).toBe(true);
    expect(isDatabaseUnavailable(new Error("Connection terminated unexpectedly"))).toBe(true);
    expect(isDatabaseUnavailable(new Error("timeout exceeded when trying to connect"))).toBe(true);
    expect(isDatabaseUnavailable(new AggregateError([withCode("connect ECONNREFUSED ::1:5432", "ECONNREFUSED")]))).toBe(true);
    expect(isDatabaseUnavailable(new Error("wrapped", { cause: withCode("Can't reach database server", "P1001") }))).toBe(true);
  });

  it("leaves real query errors alone", () => {
    expect(isDatabaseUnavailable(withCode("duplicate key value violates unique constraint", "23505"))).toBe(false);
    expect(isDatabaseUnavailable(withCode('relation "User" does not exist', "42P01"))).toBe(false);
    expect(isDatabaseUnavailable(new TypeError("x is undefined"))).toBe(false);
    expect(isDatabaseUnavailable(null)).toBe(false);
  });

  it("answers a request that could not reach the database with an OpenAI-shaped 503", async () => {
    // A real connection attempt to a port nothing listens on.
    const client = new pg.Client({ connectionString: "postgresql://postgres@127.0.0.1:1/none", connectionTimeoutMillis: 2_000 });
    const error = await client.connect().catch((e: unknown) => e);
    const failure = failureOf(error, "req_test");
    expect(failure.status).toBe(503);
    expect(JSON.parse(failure.toBody())).toEqual({ error: { message: expect.stringContaining("database"), type: "service_unavailable", param: null, code: "database_unavailable" } });
  });
});
