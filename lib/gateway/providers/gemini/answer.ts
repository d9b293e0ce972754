import type { UpstreamResponse } from "../types";
import { jsonAnswer, readBody, readErrorBody } from "../upstream-answer";
import type { UpstreamAnswer } from "../upstream-http";
import { chatError, geminiErrorOf, httpStatusOf, openAIErrorBody, openAIErrorOf, withRetryAfter } from "./errors";

/** Gemini's whole (not streamed) answers, read for the translators — or the answer to give instead. */

/** A non-2xx answer, as an OpenAI-shaped error with the status (and retry delay) the relay acts on. */
export async function refusal(answer: UpstreamAnswer, headers: Record<string, string>, signal: AbortSignal): Promise<UpstreamResponse> {
  const error = chatError(answer.statusCode, await readErrorBody(answer, signal));
  return jsonAnswer(error.status, error.body, withRetryAfter(headers, error.retryAfter));
}

/**
 * A 2xx body, parsed. One that is not JSON is a 502; a 200 whose body is an error answers with that
 * error's status, so the relay may fail over.
 */
export async function readJson(answer: UpstreamAnswer, headers: Record<string, string>, signal: AbortSignal): Promise<{ json: unknown; failed?: undefined } | { failed: UpstreamResponse }> {
  const bytes = await readBody(answer, signal);
  let json: unknown;
  try {
    json = JSON.parse(Buffer.from(bytes).toString("utf8"));
  } catch {
    return { failed: jsonAnswer(502, openAIErrorBody("The upstream answered with a body that is not JSON.", "api_error", null), headers) };
  }
  const error = geminiErrorOf(json);
  if (error) return { failed: jsonAnswer(httpStatusOf(error), openAIErrorOf(error), withRetryAfter(headers, error.retryAfter)) };
  return { json };
}
