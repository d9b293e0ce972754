import { describe, expect, it } from "vitest";
import { repairedChatBody } from "../../lib/gateway/providers/openai/repair";

/** What OpenAI-compatible servers answer when a translated request carries what a model refuses. */
const refusal = (message: string, param: string | null = null) => new TextEncoder().encode(JSON.stringify({ error: { message, type: "invalid_request_error", param, code: "unsupported_parameter" } }));

describe("repairedChatBody", () => {
  const body = { model: "m", messages: [], max_tokens: 64000, reasoning_effort: "high", temperature: 0.5 };

  it("moves max_tokens to max_completion_tokens for reasoning models", () => {
    const fixed = repairedChatBody(body, refusal("Unsupported parameter: 'max_tokens' is not supported with this model. Use 'max_completion_tokens' instead.", "max_tokens"));
    expect(fixed).toEqual({ model: "m", messages: [], max_completion_tokens: 64000, reasoning_effort: "high", temperature: 0.5 });
  });

  it("lowers the output limit to what the model supports", () => {
    const message = "max_tokens is too large: 64000. This model supports at most 16384 completion tokens, whereas you provided 64000.";
    expect(repairedChatBody(body, refusal(message, "max_tokens"))).toEqual({ ...body, max_tokens: 16384 });
  });

  it("drops a parameter the model does not take, named by param or in the message", () => {
    const { reasoning_effort: _, ...withoutEffort } = body;
    expect(repairedChatBody(body, refusal("Unrecognized request argument supplied: reasoning_effort"))).toEqual(withoutEffort);
    const { temperature: __, ...withoutTemperature } = body;
    expect(repairedChatBody(body, refusal("Unsupported value: 'temperature' does not support 0.5 with this model.", "temperature"))).toEqual(withoutTemperature);
  });

  it("leaves anything else to the client", () => {
    expect(repairedChatBody(body, refusal("Invalid schema for function 'x'", "tools[0]"))).toBeNull();
    expect(repairedChatBody(body, new TextEncoder().encode("Bad Request"))).toBeNull();
    // A complaint about a parameter the body does not carry cannot be repaired by removing it.
    expect(repairedChatBody({ model: "m", messages: [] }, refusal("reasoning_effort is not supported"))).toBeNull();
    // Nor a limit already at or below what the model takes.
    expect(repairedChatBody({ ...body, max_tokens: 100 }, refusal("This model supports at most 16384 completion tokens", "max_tokens"))).toBeNull();
  });
});
