import http from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { GatewayWorld } from "../helpers/gateway-world";

/**
 * A gateway holds many long streams at once, all to the same upstream: over HTTP/1.1 each holds
 * its own upstream connection for its whole length. A cap on the upstream pool's connections (it was
 * 512) queued every stream beyond it until an earlier one ended — with minute-long streams, a
 * minute of silence for the client. Here the upstream only starts answering once all of them are
 * in, so a queue anywhere in the gateway shows as streams that never finish.
 */
const STREAMS = 600;

describe("many concurrent streams to one upstream", () => {
  const world = new GatewayWorld();
  let upstream: http.Server;
  let upstreamUrl = "";
  let concurrent = 0;
  let peak = 0;
  const waiting: Array<() => void> = [];

  beforeAll(async () => {
    upstream = http.createServer((req, res) => {
      req.resume();
      req.on("end", () => {
        res.writeHead(200, { "content-type": "text/event-stream" });
        const chunk = (data: object) => res.write(`data: ${JSON.stringify({ id: "c", object: "chat.completion.chunk", created: 1, model: "m", ...data })}\n\n`);
        chunk({ choices: [{ index: 0, delta: { role: "assistant", content: "" }, finish_reason: null }] });
        const finish = () => {
          chunk({ choices: [{ index: 0, delta: { content: "all here" }, finish_reason: "stop" }] });
          chunk({ choices: [], usage: { prompt_tokens: 5, completion_tokens: 2, total_tokens: 7 } });
          res.end("data: [DONE]\n\n");
          concurrent--;
        };
        peak = Math.max(peak, ++concurrent);
        waiting.push(finish);
        if (waiting.length === STREAMS) for (const release of waiting.splice(0)) release();
      });
    });
    await new Promise<void>((resolve) => upstream.listen(0, "127.0.0.1", resolve));
    upstreamUrl = `http://127.0.0.1:${(upstream.address() as AddressInfo).port}/v1`;
    await world.setUp("sqlite");
    await world.channel({ name: "held", baseUrl: upstreamUrl, apiKey: "k", models: ["held-model"] });
    await world.price("held-model", 1_000_000n, 1_000_000n);
    await world.start();
  });

  afterAll(async () => {
    for (const release of waiting.splice(0)) release();
    await world.tearDown();
    upstream.closeAllConnections();
    await new Promise((resolve) => upstream.close(resolve));
  });

  it(`relays ${STREAMS} streams held open at once, none queued behind another`, async () => {
    const payer = await world.user(100_000_000n);
    const agent = new http.Agent({ keepAlive: false, maxSockets: Infinity });
    const body = JSON.stringify({ model: "held-model", messages: [{ role: "user", content: "wait for the others" }], stream: true });
    const stream = () =>
      new Promise<string>((resolve, reject) => {
        const req = http.request(
          `${world.server.url}/v1/chat/completions`,
          { method: "POST", agent, headers: { authorization: `Bearer ${payer.apiKey}`, "content-type": "application/json", "content-length": Buffer.byteLength(body) } },
          (res) => {
            let text = "";
            res.setEncoding("utf8");
            res.on("data", (c: string) => (text += c));
            res.on("end", () => resolve(text));
            res.on("error", reject);
          },
        );
        req.on("error", reject);
        req.end(body);
      });
    const answers = await Promise.all(Array.from({ length: STREAMS }, stream));
    agent.destroy();
    expect(peak).toBe(STREAMS);
    expect(answers.filter((a) => a.includes("all here") && a.trimEnd().endsWith("data: [DONE]"))).toHaveLength(STREAMS);
  }, 60_000);
});
