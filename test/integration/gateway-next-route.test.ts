import { afterAll, beforeAll, describe, expect, it } from "vitest";
import OpenAI from "openai";
import { GatewayWorld } from "../helpers/gateway-world";

/**
 * The /v1 route handler inside Next.js (used on hosts without our custom server, and selectable with
 * ROOTAPI_V1_VIA_NEXT=1) must behave exactly like the direct dispatch.
 */
describe("gateway through the Next.js route handler", () => {
  const world = new GatewayWorld();
  let key: string;

  beforeAll(async () => {
    await world.setUp("sqlite");
    key = (await world.user(0n)).apiKey;
    await world.start({ ROOTAPI_V1_VIA_NEXT: "1" });
  });

  afterAll(() => world.tearDown());

  it("serves completions, streams and models", async () => {
    const client = world.client(key);
    const answer = await client.chat.completions.create({ model: "sandbox-chat", messages: [{ role: "user", content: "via next" }] });
    expect(answer.choices[0]!.message.content).toContain("via next");
    const stream = await client.chat.completions.create({ model: "sandbox-chat", messages: [{ role: "user", content: "via next" }], stream: true, stream_options: { include_usage: true } });
    let text = "";
    let usage = 0;
    for await (const chunk of stream) {
      text += chunk.choices[0]?.delta.content ?? "";
      if (chunk.usage) usage++;
    }
    expect(text).toBe(answer.choices[0]!.message.content);
    expect(usage).toBe(1);
    expect((await client.models.list()).data.map((m) => m.id)).toContain("sandbox-chat");
    const log = await world.logOf(stream._request_id!);
    expect(log).toMatchObject({ stream: true, status: 200, estimated: false });
  });

  it("answers errors in OpenAI's shape", async () => {
    const bad = await new OpenAI({ apiKey: "sk-nope", baseURL: `${world.server.url}/v1`, maxRetries: 0 }).models.list().catch((e) => e);
    expect(bad).toBeInstanceOf(OpenAI.AuthenticationError);
    const invalid = await world.client(key).chat.completions.create({ model: "sandbox-chat", messages: [] }).catch((e) => e);
    expect(invalid).toBeInstanceOf(OpenAI.BadRequestError);
    expect(invalid.param).toBe("messages");
    const unknown = await fetch(`${world.server.url}/v1/nope`, { headers: { authorization: `Bearer ${key}` } });
    expect(unknown.status).toBe(404);
    expect((await unknown.json()).error.code).toBe("unknown_url");
  });
});
