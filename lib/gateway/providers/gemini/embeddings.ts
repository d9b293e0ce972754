import { countTokens } from "../../pipeline/tokens";
import { Untranslatable } from "../../translate/hub";
import { embeddingInputs, embeddingsToGemini, geminiToEmbeddings } from "../../translate/gemini/embeddings";
import { jsonAnswer } from "../upstream-answer";
import type { EmbeddingsCall, UpstreamResponse } from "../types";
import { pickHeaders } from "../upstream-http";
import { readJson, refusal } from "./answer";
import { RELAYED_HEADERS, postGemini } from "./api";
import { openAIErrorBody } from "./errors";

/**
 * OpenAI embeddings on a Gemini channel: `batchEmbedContents`, one call for up to EMBED_BATCH_LIMIT
 * inputs (Gemini refuses more in one batch; OpenAI takes up to 2,048), further calls one after the
 * other for the rest. A failing call answers for the whole request. Gemini reports no token counts
 * for embeddings, so `usage` is counted here with the gateway's tokenizer (o200k,
 * pipeline/tokens.ts): an estimate of Gemini's own count, and what gets billed.
 */

/** Gemini's limit: "at most 100 requests can be in one batch". */
export const EMBED_BATCH_LIMIT = 100;

export async function geminiEmbeddings(call: EmbeddingsCall): Promise<UpstreamResponse> {
  const model = String(call.body.model ?? "");
  let batches: Array<Record<string, unknown>>;
  let texts: string[];
  try {
    texts = embeddingInputs(call.body);
    batches = [];
    for (let at = 0; at === 0 || at < texts.length; at += EMBED_BATCH_LIMIT) batches.push(embeddingsToGemini({ ...call.body, input: texts.slice(at, at + EMBED_BATCH_LIMIT) }, model));
  } catch (error) {
    if (!(error instanceof Untranslatable)) throw error;
    return jsonAnswer(400, openAIErrorBody(`${error.message} (the channel speaks Gemini's API).`, "invalid_request_error", error.param));
  }

  const embeddings: unknown[] = [];
  let headers: Record<string, string> = {};
  for (const batch of batches) {
    const answer = await postGemini({ channel: call.channel, model, method: "batchEmbedContents", body: JSON.stringify(batch), signal: call.signal, requestId: call.requestId });
    headers = pickHeaders(answer.headers, RELAYED_HEADERS);
    if (answer.statusCode < 200 || answer.statusCode >= 300) return refusal(answer, headers, call.signal);
    const read = await readJson(answer, headers, call.signal);
    if (read.failed) return read.failed;
    const got = (read.json as { embeddings?: unknown } | null)?.embeddings;
    if (Array.isArray(got)) embeddings.push(...got);
  }
  const promptTokens = texts.reduce((sum, text) => sum + countTokens(text), 0);
  return jsonAnswer(200, JSON.stringify(geminiToEmbeddings({ embeddings }, { model, encodingFormat: call.body.encoding_format, promptTokens })), headers);
}
