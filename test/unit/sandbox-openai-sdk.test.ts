import http from "node:http";
import type { AddressInfo } from "node:net";
import OpenAI, { InternalServerError, RateLimitError } from "openai";
import { zodFunction, zodResponseFormat } from "openai/helpers/zod";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { z } from "zod";
import { sandboxProvider } from "@/lib/gateway/providers/sandbox";

/**
 * Proves the official SDK accepts the sandbox's bytes: a bare HTTP server relays exactly what the
 * provider produces, with no gateway in between.
 */
let server: http.Server;
let client: OpenAI;
let requests = 0;

beforeAll(async () => {
  server = http.createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const body = JSON.parse(Buffer.concat(chunks).toString("utf8")) as Record<string, unknown>;
    const abort = new AbortController();
    res.on("close", () => abort.abort());
    try {
      const upstream = await sandboxProvider.chatCompletions({
        channel: { id: "ch", name: "Sandbox", type: "sandbox", baseUrl: null, apiKey: null, timeoutMs: 30_000, config: { streamDelayMs: 0 } },
        body,
        stream: body.stream === true,
        signal: abort.signal,
        requestId: `req_sdk_${++requests}`,
      });
      res.writeHead(upstream.status, upstream.headers).flushHeaders();
      for await (const bytes of upstream.body) res.write(bytes);
      res.end();
    } catch {
      res.destroy();
    }
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  client = new OpenAI({ apiKey: "sk-sandbox-test", baseURL: `http://127.0.0.1:${port}/v1`, maxRetries: 0, timeout: 10_000 });
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

const WEATHER = z.object({ city: z.string(), unit: z.enum(["celsius", "fahrenheit"]), days: z.number().int().min(1).max(7) });

describe("sandbox channel through the official openai SDK", () => {
  it("parses a non-stream completion", async () => {
    const completion = await client.chat.completions.create({ model: "sandbox-chat", messages: [{ role: "user", content: "Hello from the SDK" }] });
    expect(completion.id).toMatch(/^chatcmpl-/);
    expect(completion.choices[0].message.content).toContain('You said: "Hello from the SDK"');
    expect(completion.choices[0].finish_reason).toBe("stop");
    expect(completion.usage?.total_tokens).toBe((completion.usage?.prompt_tokens ?? 0) + (completion.usage?.completion_tokens ?? 0));
    const { response } = await client.chat.completions.create({ model: "sandbox-chat", messages: [{ role: "user", content: "x" }] }).withResponse();
    expect(response.headers.get("x-request-id")).toMatch(/^req_sdk_/);
  });

  it("parses a stream, ending with the usage chunk", async () => {
    const messages = [{ role: "user" as const, content: "Stream through the SDK, please" }];
    const expected = await client.chat.completions.create({ model: "sandbox-chat", messages });
    const stream = await client.chat.completions.create({ model: "sandbox-chat", messages, stream: true, stream_options: { include_usage: true } });
    let text = "";
    let usage: OpenAI.CompletionUsage | null | undefined;
    let finish: string | null = null;
    for await (const chunk of stream) {
      text += chunk.choices[0]?.delta.content ?? "";
      finish = chunk.choices[0]?.finish_reason ?? finish;
      usage = chunk.usage ?? usage;
    }
    expect(text).toBe(expected.choices[0].message.content);
    expect(finish).toBe("stop");
    expect(usage).toEqual(expected.usage);
  });

  it("accumulates streamed tool calls, n choices and logprobs with the stream helper", async () => {
    const params = {
      model: "sandbox-chat",
      messages: [{ role: "user" as const, content: "Weather in Lisbon?" }],
      tools: [{ type: "function" as const, function: { name: "get_weather", parameters: z.toJSONSchema(WEATHER) } }],
      tool_choice: "required" as const,
      n: 2,
    };
    const expected = await client.chat.completions.create(params);
    const final = await client.chat.completions.stream(params).finalChatCompletion();
    expect(final.choices).toHaveLength(2);
    for (const choice of final.choices) {
      expect(choice.finish_reason).toBe("tool_calls");
      const call = choice.message.tool_calls?.[0];
      expect(call?.type).toBe("function");
      if (call?.type !== "function") throw new Error("expected a function call");
      expect(call.function.name).toBe("get_weather");
      const unstreamed = expected.choices[choice.index].message.tool_calls?.[0];
      expect(call.function.arguments).toBe(unstreamed?.type === "function" ? unstreamed.function.arguments : undefined);
      expect(WEATHER.parse(JSON.parse(call.function.arguments))).toBeTruthy();
    }

    const withLogprobs = { model: "sandbox-chat", messages: [{ role: "user" as const, content: "logprobs via the helper" }], logprobs: true, top_logprobs: 2 };
    const plain = await client.chat.completions.create(withLogprobs);
    const streamed = await client.chat.completions.stream(withLogprobs).finalChatCompletion();
    expect(streamed.choices[0].message.content).toBe(plain.choices[0].message.content);
    expect(streamed.choices[0].logprobs?.content).toEqual(plain.choices[0].logprobs?.content);
  });

  it("works with structured outputs: parse() with a zod response format and zod function tools", async () => {
    const Review = z.object({ title: z.string(), stars: z.number().int().min(1).max(5), tags: z.array(z.string()), verdict: z.enum(["buy", "skip"]) });
    const parsed = await client.chat.completions.parse({
      model: "sandbox-chat",
      messages: [{ role: "user", content: "Review this book" }],
      response_format: zodResponseFormat(Review, "review"),
    });
    expect(Review.parse(parsed.choices[0].message.parsed)).toEqual(parsed.choices[0].message.parsed);

    const tooled = await client.chat.completions.parse({
      model: "sandbox-chat",
      messages: [{ role: "user", content: "Weather in Oslo" }],
      tools: [zodFunction({ name: "get_weather", parameters: WEATHER })],
      tool_choice: "required",
    });
    const call = tooled.choices[0].message.tool_calls?.[0];
    if (call?.type !== "function") throw new Error("expected a function call");
    expect(WEATHER.parse(call.function.parsed_arguments)).toEqual(call.function.parsed_arguments);
  });

  it("raises the SDK's error classes for simulated failures", async () => {
    const rateLimited = await client.chat.completions.create({ model: "sandbox-chat", messages: [{ role: "user", content: "[sandbox:status=429]" }] }).catch((e: unknown) => e);
    expect(rateLimited).toBeInstanceOf(RateLimitError);
    expect((rateLimited as RateLimitError).code).toBe("rate_limit_exceeded");
    expect((rateLimited as RateLimitError).headers?.get("retry-after")).toBe("1");

    const broken = await client.chat.completions.create({ model: "sandbox-chat", messages: [{ role: "user", content: "[sandbox:status=500]" }], stream: true }).catch((e: unknown) => e);
    expect(broken).toBeInstanceOf(InternalServerError);
    expect((broken as InternalServerError).message).toContain("Simulated 500 from the sandbox channel");
  });

  it("surfaces a dropped stream as an error", async () => {
    const stream = await client.chat.completions.create({ model: "sandbox-chat", messages: [{ role: "user", content: "one two three four [sandbox:error_after=2] [sandbox:delay=20]" }], stream: true });
    let received = 0;
    await expect(
      (async () => {
        for await (const chunk of stream) if (chunk.choices[0]?.delta.content) received++;
      })(),
    ).rejects.toThrow();
    expect(received).toBe(2);
  });
});
