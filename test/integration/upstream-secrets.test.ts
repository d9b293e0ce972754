import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { APIError } from "openai";
import { startFakeUpstream, type FakeUpstream, type Handler } from "../helpers/fake-upstream";
import { GatewayWorld } from "../helpers/gateway-world";
import { PortalClient } from "../helpers/portal-client";

const SECRET = "UPSTREAM-SECRET-KEY-123";
const CHANNEL = "acme-private-gpu";
const PASSWORD = "long enough pw";

/**
 * A careless upstream: its errors quote the request's headers (Authorization included) and its own
 * address, as some proxies and self-hosted servers do.
 */
const echoing: Handler = (req) => {
  const echo = `Rejected request with authorization: ${req.headers.authorization} sent to ${req.headers.host} (headers: ${JSON.stringify(req.headers)})`;
  if (req.path.endsWith("/responses")) {
    // A native Responses upstream failing mid-stream: an error event, then the failed response.
    const failed = { id: "resp_up", object: "response", status: "failed", output: [], error: { code: "server_error", message: echo } };
    return {
      kind: "sse",
      events: [
        `event: response.created\ndata: ${JSON.stringify({ type: "response.created", sequence_number: 0, response: { ...failed, status: "in_progress", error: null } })}\n\n`,
        `event: error\ndata: ${JSON.stringify({ type: "error", sequence_number: 1, code: "server_error", message: echo, param: null })}\n\n`,
        `event: response.failed\ndata: ${JSON.stringify({ type: "response.failed", sequence_number: 2, response: failed })}\n\n`,
      ],
    };
  }
  const body = req.body as { stream?: boolean; messages?: Array<{ content: unknown }> };
  const prompt = JSON.stringify(body.messages?.at(-1)?.content ?? "");
  if (prompt.includes("stream me")) {
    return { kind: "sse", events: [`data: ${JSON.stringify({ error: { message: echo, type: "server_error" } })}\n\n`] };
  }
  if (prompt.includes("crash")) return { kind: "json", status: 500, body: { error: { message: echo, type: "server_error" } } };
  return { kind: "json", status: 400, body: { error: { message: echo, type: "invalid_request_error", param: null, code: "bad_header" }, request_headers: req.headers } };
};

describe("upstream secrets never reach tenants", () => {
  const world = new GatewayWorld();
  let upstream: FakeUpstream;
  let upstreamHost: string;
  let tenant: Awaited<ReturnType<GatewayWorld["user"]>>;
  let admin: Awaited<ReturnType<GatewayWorld["user"]>>;
  const requestIds: string[] = [];

  /** Everything that would betray the channel: its key, its name, its address. */
  const expectClean = (text: string) => {
    expect(text).not.toContain(SECRET);
    expect(text).not.toContain(CHANNEL);
    expect(text).not.toContain(upstreamHost);
    expect(text).not.toMatch(/Bearer [^[]/);
  };

  beforeAll(async () => {
    await world.setUp("sqlite");
    upstream = await startFakeUpstream(echoing);
    upstreamHost = new URL(upstream.url).host;
    await world.channel({ name: CHANNEL, baseUrl: upstream.url, apiKey: SECRET, models: ["gpt-echo"] });
    await world.channel({ name: `${CHANNEL}-native`, baseUrl: upstream.url, apiKey: SECRET, models: ["gpt-echo-native"], supportsResponses: true });
    await world.price("gpt-echo", 1_000_000n, 1_000_000n);
    await world.price("gpt-echo-native", 1_000_000n, 1_000_000n);
    admin = await world.user(0n); // the first account administers the platform
    tenant = await world.user(10_000_000n);
    await world.start({ ROOTAPI_CHANNEL_FAILURE_THRESHOLD: "100" });
  });

  afterAll(async () => {
    await world.tearDown();
    await upstream?.close();
  });

  const failure = async (call: () => Promise<unknown>): Promise<APIError> => {
    const error = await call().then(
      () => null,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(APIError);
    const apiError = error as APIError;
    if (apiError.requestID) requestIds.push(apiError.requestID);
    return apiError;
  };

  it("a relayed 400 keeps its meaning but not the channel's key or address", async () => {
    const client = world.client(tenant.apiKey);
    const error = await failure(() => client.chat.completions.create({ model: "gpt-echo", messages: [{ role: "user", content: "hello" }] }));
    expect(error.status).toBe(400);
    expect(error.message).toMatch(/Rejected request with authorization: (Bearer )?\[redacted\]/);
    expectClean(error.message);
    expectClean(JSON.stringify(error.error));
    // The upstream did receive the real key: the redaction is on the way back only.
    expect(upstream.received.at(-1)!.headers.authorization).toBe(`Bearer ${SECRET}`);
  });

  it("the 502 summary of a failed upstream hides the key", async () => {
    const client = world.client(tenant.apiKey);
    const error = await failure(() => client.chat.completions.create({ model: "gpt-echo", messages: [{ role: "user", content: "crash" }] }));
    expect(error.status).toBe(502);
    expect(error.message).toContain("The upstream failed");
    expectClean(error.message);
  });

  it("a relayed 400 on /v1/responses hides the key too", async () => {
    const client = world.client(tenant.apiKey);
    const error = await failure(() => client.responses.create({ model: "gpt-echo", input: "hello" }));
    expect(error.status).toBe(400);
    expectClean(error.message);
  });

  it("an upstream error inside a translated stream is redacted in the error event", async () => {
    const response = await fetch(`${world.server.url}/v1/responses`, {
      method: "POST",
      headers: { authorization: `Bearer ${tenant.apiKey}`, "content-type": "application/json" },
      body: JSON.stringify({ model: "gpt-echo", input: "stream me", stream: true }),
    });
    const text = await response.text();
    expect(text).toContain("The upstream stream failed");
    expectClean(text);
    requestIds.push(response.headers.get("x-request-id")!);
  });

  it("an upstream error event relayed inside a chat stream is redacted", async () => {
    const client = world.client(tenant.apiKey);
    const events: string[] = [];
    const error = await client.chat.completions
      .create({ model: "gpt-echo", messages: [{ role: "user", content: "stream me" }], stream: true })
      .then(async (stream) => {
        for await (const chunk of stream) events.push(JSON.stringify(chunk));
        return null;
      })
      .catch((e: unknown) => e as Error);
    // The SDK raises the event's error: its message is what the tenant reads.
    expect(error).toBeInstanceOf(Error);
    expect(error!.message).toContain("Rejected request");
    expectClean(error!.message);
    expectClean(events.join("\n"));
  });

  it("a native Responses stream's error event and failed response are redacted", async () => {
    const response = await fetch(`${world.server.url}/v1/responses`, {
      method: "POST",
      headers: { authorization: `Bearer ${tenant.apiKey}`, "content-type": "application/json" },
      body: JSON.stringify({ model: "gpt-echo-native", input: "hello", stream: true }),
    });
    const text = await response.text();
    expect(text).toContain("event: error");
    expect(text).toContain("event: response.failed");
    expect(text).toContain("Rejected request");
    expectClean(text);
  });

  it("the tenant's request log and CSV export hold only the redacted text", async () => {
    for (const id of requestIds) {
      const row = await world.logOf(id);
      expect(row.errorMessage, id).toBeTruthy();
      expectClean(row.errorMessage!);
    }
    const portal = new PortalClient(world.server.url);
    expect(await portal.signIn(tenant.user.email, PASSWORD)).toBeNull();
    const csv = await portal.request("/api/usage/requests.csv");
    expect(csv.status).toBe(200);
    const body = await csv.text();
    for (const id of requestIds) expect(body).toContain(id);
    expect(body).toContain("[redacted]");
    expectClean(body);
    const page = await portal.request(`/usage/requests/${requestIds[0]}`);
    expect(page.status).toBe(200);
    expectClean(await page.text());
  });

  it("the admin still sees the upstream's full text in the channel's last failure", async () => {
    const portal = new PortalClient(world.server.url);
    expect(await portal.signIn(admin.user.email, PASSWORD)).toBeNull();
    const response = await portal.request("/api/admin/channels");
    expect(response.status).toBe(200);
    const { data } = (await response.json()) as { data: Array<{ name: string; lastError: string | null }> };
    const channel = data.find((c) => c.name === CHANNEL)!;
    expect(channel.lastError).toContain(`Bearer ${SECRET}`);
    expect(channel.lastError).toContain(upstreamHost);
  });
});
