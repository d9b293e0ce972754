import { createHash } from "node:crypto";
import http from "node:http";
import type { AddressInfo } from "node:net";
import type {
  Candidate,
  Content,
  ContentEmbedding,
  FinishReason,
  FunctionCall,
  GenerateContentResponse,
  GenerateContentResponseUsageMetadata,
  MediaModality,
  Part,
} from "@google/genai";

/**
 * A scripted fake of Google's Gemini API (the Developer API, generativelanguage) for tests,
 * speaking its documented wire format (bodies typed from `@google/genai`'s types).
 *
 * - `POST /{v1beta|v1|v1alpha}/models/{model}:generateContent` → one `GenerateContentResponse`.
 * - `POST …/models/{model}:streamGenerateContent?alt=sse` → SSE, each event one
 *   `GenerateContentResponse` chunk framed `data: <json>\r\n\r\n` as Google frames it; every chunk
 *   carries `usageMetadata` (cumulative), the last one the final counts and the `finishReason`.
 *   Without `alt=sse` Google answers a JSON array of chunks; so does the fake.
 * - `POST …/models/{model}:batchEmbedContents` → `{ embeddings: [{ values }] }`, deterministic
 *   vectors ({@link embeddingValues}) honouring each request's `outputDimensionality`; more than
 *   {@link MAX_EMBED_BATCH} requests in one call → 400, as Google answers.
 * - `POST …/models/{model}:countTokens` → `{ totalTokens }` ({@link estimateInputTokens}).
 * - Auth like Google: `x-goog-api-key: <apiKey>` or `?key=<apiKey>`; none → 403
 *   `PERMISSION_DENIED`, a wrong one → 400 `INVALID_ARGUMENT` (reason `API_KEY_INVALID`).
 * - Bodies are checked like Google's JSON parser does for the fields a gateway writes: unknown
 *   fields (top level, `generationConfig`, contents and parts, camelCase or snake_case) → 400
 *   `Invalid JSON payload received. Unknown name …`; roles other than `user`/`model`, non-base64
 *   `inlineData.data`, a `functionResponse.response` that is not an object, `thinkingLevel` with
 *   `thinkingBudget`, a 0 budget for 2.5 Pro → 400.
 * - `requireThoughtSignatures` (Gemini 3): a request whose current turn has a model step whose first
 *   `functionCall` part lacks its `thoughtSignature` → 400 `INVALID_ARGUMENT`, Google's message.
 * - Every request is recorded (path, headers, parsed body) in `received`.
 *
 * Tests script answers with `enqueue(...replies)` (served in order to generateContent and
 * streamGenerateContent, before the handler) or `setHandler(request => reply | undefined)` (any
 * call; undefined → the default answer: `You said: <last user text>` with deterministic usage).
 */

export const FAKE_GEMINI_API_KEY = "AIzaFakeGeminiKeyForTests0000000000000";
export const FAKE_GEMINI_MODEL = "gemini-3-pro-preview";
/** The most requests one batchEmbedContents call takes. */
export const MAX_EMBED_BATCH = 100;
/** gemini-embedding-001's full size; smaller `outputDimensionality` truncates it. */
export const FAKE_GEMINI_EMBEDDING_DIMENSIONS = 3072;

/** The wire body of a generateContent answer (and of each stream chunk): the SDK class's data fields. */
export type GeminiResponse = Pick<GenerateContentResponse, "candidates" | "usageMetadata" | "modelVersion" | "responseId" | "promptFeedback">;

export type GeminiAction = "generateContent" | "streamGenerateContent" | "batchEmbedContents" | "countTokens" | (string & {});

export interface GeminiReceivedRequest {
  method: string;
  /** The request target as sent, query included. */
  path: string;
  pathname: string;
  /** `v1beta`, `v1`, … */
  apiVersion: string;
  /** The model of the path, without `models/`. */
  model: string;
  action: GeminiAction;
  query: Record<string, string>;
  headers: http.IncomingHttpHeaders;
  body: Record<string, unknown>;
  /** Set when the client closed the connection before the answer was complete. */
  aborted: boolean;
}

/** Google's canonical status names by HTTP status (https://ai.google.dev/gemini-api/docs/troubleshooting). */
export const GEMINI_ERROR_STATUSES = {
  400: "INVALID_ARGUMENT",
  401: "UNAUTHENTICATED",
  403: "PERMISSION_DENIED",
  404: "NOT_FOUND",
  429: "RESOURCE_EXHAUSTED",
  500: "INTERNAL",
  503: "UNAVAILABLE",
  504: "DEADLINE_EXCEEDED",
} as const;

/** `{"error":{"code","message","status","details"?}}` as Google sends it (body, and SSE event mid-stream). */
export interface GeminiErrorBody {
  error: { code: number; message: string; status: string; details?: Record<string, unknown>[] };
}

export interface EmbeddingsReply {
  embeddings: ContentEmbedding[];
}

export type GeminiReply =
  /** A whole answer: JSON for generateContent, {@link streamChunks} of it for streams. */
  | { kind: "response"; response: GeminiResponse | ((request: GeminiReceivedRequest) => GeminiResponse); delayMs?: number; chunkDelayMs?: number }
  /** Exactly these stream chunks (a non-stream request gets the last one). */
  | { kind: "chunks"; chunks: GeminiResponse[]; chunkDelayMs?: number }
  /** An HTTP error in Google's shape (see {@link errorReply}). */
  | { kind: "error"; status: number; body: GeminiErrorBody; headers?: Record<string, string> }
  /** HTTP 200, the first `afterChunks` chunks of the answer, then a `data: {"error":…}` event and the end. */
  | { kind: "stream-error"; response: GeminiResponse; afterChunks: number; error: GeminiErrorBody }
  /** Never answers; with `afterChunks`, a stream sends its first chunks then stalls. */
  | { kind: "hang"; afterChunks?: number; response?: GeminiResponse }
  /** Drops the connection: before the status line, or (`afterChunks`) in the middle of a stream. */
  | { kind: "drop"; afterChunks?: number; response?: GeminiResponse }
  /** batchEmbedContents' answer. */
  | { kind: "embeddings"; body: EmbeddingsReply }
  /** Anything else, verbatim. */
  | { kind: "raw"; status: number; body: string; headers?: Record<string, string> };

export type GeminiHandler = (request: GeminiReceivedRequest) => GeminiReply | undefined | Promise<GeminiReply | undefined>;

export interface FakeGeminiOptions {
  /** The key `x-goog-api-key` or `?key=` must carry (default {@link FAKE_GEMINI_API_KEY}). */
  apiKey?: string;
  handler?: GeminiHandler;
  /** Refuse, like Gemini 3, a current turn whose model function calls lost their `thoughtSignature`. */
  requireThoughtSignatures?: boolean;
  /** When set, other models answer 404 `NOT_FOUND`. */
  models?: string[];
  /** Fixed usage for the default answer instead of the counts derived from the request. */
  defaultUsage?: Partial<UsageCounts>;
}

export interface FakeGemini {
  /** `http://127.0.0.1:<port>` — the SDK's `httpOptions.baseUrl` and a `gemini` channel's base URL. */
  origin: string;
  received: GeminiReceivedRequest[];
  /** generateContent and streamGenerateContent requests only. */
  generations(): GeminiReceivedRequest[];
  /** batchEmbedContents requests only. */
  embeddings(): GeminiReceivedRequest[];
  /** Replies served, in order, to the next generateContent / streamGenerateContent requests (before the handler). */
  enqueue(...replies: GeminiReply[]): void;
  setHandler(handler: GeminiHandler | undefined): void;
  setApiKey(apiKey: string): void;
  setRequireThoughtSignatures(required: boolean): void;
  close(): Promise<void>;
}

// ---------------------------------------------------------------------------------------------
// Deterministic token counts

/**
 * The fake's prompt token count for a generateContent body: ⌈UTF-8 bytes of
 * `JSON.stringify({ systemInstruction, contents, tools })` / 4⌉, at least 1 (absent → null).
 */
export function estimateInputTokens(body: Record<string, unknown>): number {
  const counted = JSON.stringify({ systemInstruction: body.systemInstruction ?? body.system_instruction ?? null, contents: body.contents ?? null, tools: body.tools ?? null });
  return Math.max(1, Math.ceil(Buffer.byteLength(counted, "utf8") / 4));
}

/** The fake's output token count for a text: ⌈UTF-8 bytes / 4⌉, at least 1. */
export function estimateOutputTokens(text: string): number {
  return Math.max(1, Math.ceil(Buffer.byteLength(text, "utf8") / 4));
}

/** The text of the last `user` content (its text parts joined with "\n"). */
export function lastUserText(body: Record<string, unknown>): string {
  const contents = Array.isArray(body.contents) ? (body.contents as Content[]) : [];
  const last = [...contents].reverse().find((c) => (c.role ?? "user") === "user" && c.parts?.some((p) => typeof p.text === "string"));
  return (last?.parts ?? []).filter((p) => typeof p.text === "string" && !p.thought).map((p) => p.text).join("\n");
}

// ---------------------------------------------------------------------------------------------
// Builders

export interface UsageCounts {
  /** All prompt tokens, the cached ones included (Google's promptTokenCount). */
  prompt: number;
  /** Visible output (candidatesTokenCount), thinking excluded. */
  candidates: number;
  /** Thinking (thoughtsTokenCount), billed by Google at the output rate. */
  thoughts?: number;
  /** The part of `prompt` served from the context cache (cachedContentTokenCount). */
  cached?: number;
  toolUsePrompt?: number;
}

/** `usageMetadata` as Google reports it: zero counts omitted, `totalTokenCount` the sum. */
export function usageMetadata(counts: UsageCounts): GenerateContentResponseUsageMetadata {
  const usage: GenerateContentResponseUsageMetadata = { promptTokenCount: counts.prompt };
  if (counts.candidates) usage.candidatesTokenCount = counts.candidates;
  usage.totalTokenCount = counts.prompt + counts.candidates + (counts.thoughts ?? 0) + (counts.toolUsePrompt ?? 0);
  usage.promptTokensDetails = [{ modality: "TEXT" as MediaModality, tokenCount: counts.prompt }];
  if (counts.cached) {
    usage.cachedContentTokenCount = counts.cached;
    usage.cacheTokensDetails = [{ modality: "TEXT" as MediaModality, tokenCount: counts.cached }];
  }
  if (counts.thoughts) usage.thoughtsTokenCount = counts.thoughts;
  if (counts.toolUsePrompt) usage.toolUsePromptTokenCount = counts.toolUsePrompt;
  return usage;
}

let counter = 0;
const nextId = (prefix: string) => `${prefix}${(++counter).toString(36).padStart(6, "0")}`;

/** A fake, opaque thought signature (base64, as Google's are). */
export function fakeSignature(seed = nextId("sig")): string {
  return Buffer.from(`fake-thought-signature:${seed}`).toString("base64");
}

export function textPart(text: string, thoughtSignature?: string): Part {
  return thoughtSignature === undefined ? { text } : { text, thoughtSignature };
}

/** A thought summary part (`thought: true`), as sent when `thinkingConfig.includeThoughts` is on. */
export function thoughtPart(text: string): Part {
  return { text, thought: true };
}

/**
 * A `functionCall` part, with a thought signature (pass `null` for none, as on a parallel call
 * after the first) and, when given, the call's `id` (Gemini sends ids with some models and APIs).
 */
export function functionCallPart(name: string, args: Record<string, unknown>, thoughtSignature: string | null = fakeSignature(), id?: string): Part {
  const functionCall: FunctionCall = id === undefined ? { name, args } : { id, name, args };
  return thoughtSignature === null ? { functionCall } : { functionCall, thoughtSignature };
}

export interface ResponseOptions {
  model?: string;
  responseId?: string;
  usage?: UsageCounts;
  finishReason?: FinishReason | `${FinishReason}`;
}

const outputText = (parts: Part[], thought: boolean) =>
  parts
    .filter((p) => Boolean(p.thought) === thought)
    .map((p) => (typeof p.text === "string" ? p.text : p.functionCall ? JSON.stringify(p.functionCall.args ?? {}) : ""))
    .join("");

/** A whole answer with these parts (finish reason `STOP`, also for function calls, as Google does). */
export function response(parts: Part[], options: ResponseOptions = {}): GeminiResponse {
  const thoughts = outputText(parts, true);
  const usage = options.usage ?? { prompt: 10, candidates: estimateOutputTokens(outputText(parts, false)), thoughts: thoughts ? estimateOutputTokens(thoughts) : 0 };
  const candidate: Candidate = { content: { parts, role: "model" }, finishReason: (options.finishReason ?? "STOP") as FinishReason, index: 0 };
  return { candidates: [candidate], usageMetadata: usageMetadata(usage), modelVersion: options.model ?? FAKE_GEMINI_MODEL, responseId: options.responseId ?? nextId("fakeResp") };
}

export const textResponse = (text: string, options?: ResponseOptions) => response([textPart(text)], options);

/**
 * The fake's answer to an unscripted request: `You said: <last user text>`, the request's model,
 * usage `{ prompt: estimateInputTokens(body), candidates: estimateOutputTokens(text) }` (each
 * replaceable by `usageOverride`).
 */
export function defaultResponse(request: Pick<GeminiReceivedRequest, "body" | "model">, usageOverride: Partial<UsageCounts> = {}): GeminiResponse {
  const text = `You said: ${lastUserText(request.body)}`;
  return textResponse(text, { model: request.model || FAKE_GEMINI_MODEL, usage: { prompt: estimateInputTokens(request.body), candidates: estimateOutputTokens(text), ...usageOverride } });
}

export function errorBody(status: number, message?: string, details?: Record<string, unknown>[]): GeminiErrorBody {
  const name = (GEMINI_ERROR_STATUSES as Record<number, string>)[status] ?? "UNKNOWN";
  const defaults: Record<number, string> = {
    400: "Request contains an invalid argument.",
    403: "The caller does not have permission",
    404: "Requested entity was not found.",
    429: "You exceeded your current quota, please check your plan and billing details.",
    500: "An internal error has occurred. Please retry or report in https://developers.generativeai.google/guide/troubleshooting",
    503: "The model is overloaded. Please try again later.",
    504: "The request timed out. Please try again.",
  };
  const error: GeminiErrorBody["error"] = { code: status, message: message ?? defaults[status] ?? `Fake error (${status})`, status: name };
  if (details) error.details = details;
  return { error };
}

/**
 * An HTTP error in Google's shape. 429 carries a `google.rpc.RetryInfo` detail (`retryDelay`,
 * default "1s") as Google's quota errors do; Google sends no `retry-after` header.
 */
export function errorReply(status: number, options: { message?: string; retryDelaySeconds?: number; details?: Record<string, unknown>[]; headers?: Record<string, string> } = {}): GeminiReply {
  let details = options.details;
  if (!details && status === 429) details = [{ "@type": "type.googleapis.com/google.rpc.RetryInfo", retryDelay: `${options.retryDelaySeconds ?? 1}s` }];
  return { kind: "error", status, body: errorBody(status, options.message, details), headers: options.headers };
}

/** HTTP 200 then, after `afterChunks` chunks of `answer`, an error event (default 503 UNAVAILABLE). */
export function streamErrorReply(afterChunks = 1, error: GeminiErrorBody = errorBody(503), answer: GeminiResponse = textResponse("Half an answer that never ends")): GeminiReply {
  return { kind: "stream-error", response: answer, afterChunks, error };
}

/** Deterministic embedding of a text: a unit vector of `FAKE_GEMINI_EMBEDDING_DIMENSIONS` from its SHA-256, truncated (not renormalised) to `dimensions`. */
export function embeddingValues(text: string, dimensions = FAKE_GEMINI_EMBEDDING_DIMENSIONS): number[] {
  const full: number[] = [];
  for (let block = 0; full.length < FAKE_GEMINI_EMBEDDING_DIMENSIONS; block++) {
    const digest = createHash("sha256").update(`${block}:${text}`).digest();
    for (let i = 0; i + 1 < digest.length && full.length < FAKE_GEMINI_EMBEDDING_DIMENSIONS; i += 2) full.push(digest.readUInt16BE(i) / 32767.5 - 1);
  }
  const norm = Math.hypot(...full);
  return full.slice(0, Math.min(dimensions, FAKE_GEMINI_EMBEDDING_DIMENSIONS)).map((v) => Number((v / norm).toFixed(8)));
}

// ---------------------------------------------------------------------------------------------
// Streaming

/** Word-sized text fragments (each keeps its trailing space). */
function words(text: string): string[] {
  const parts = text.match(/\S+\s*\S*\s*|\s+/g) ?? [""];
  return parts.length ? parts : [""];
}

/**
 * The chunks Google streams for an answer: thought parts and text in fragments of about two
 * words, each chunk a one-part candidate; a function call whole in one chunk with its signature; a
 * text part's signature on its last fragment. Every chunk carries the model version, the response
 * id and cumulative `usageMetadata` (the prompt counts from the first chunk, output counts growing);
 * the last chunk has the finish reason and exactly the answer's final counts.
 */
export function streamChunks(answer: GeminiResponse): GeminiResponse[] {
  const candidate = answer.candidates?.[0];
  const parts = candidate?.content?.parts ?? [];
  const fragments: Part[] = [];
  for (const part of parts) {
    if (typeof part.text === "string" && !part.functionCall) {
      const pieces = words(part.text);
      pieces.forEach((text, i) => {
        const fragment: Part = { text };
        if (part.thought) fragment.thought = true;
        if (part.thoughtSignature && i === pieces.length - 1) fragment.thoughtSignature = part.thoughtSignature;
        fragments.push(fragment);
      });
    } else fragments.push(part);
  }
  if (fragments.length === 0) fragments.push({ text: "" });
  const final = answer.usageMetadata ?? {};
  const finalCandidates = final.candidatesTokenCount ?? 0;
  const finalThoughts = final.thoughtsTokenCount ?? 0;
  const visible = fragments.filter((f) => !f.thought).length;
  const thinking = fragments.length - visible;
  let seenVisible = 0;
  let seenThinking = 0;
  return fragments.map((part, i) => {
    const last = i === fragments.length - 1;
    if (part.thought) seenThinking++;
    else seenVisible++;
    const candidates = last ? finalCandidates : Math.floor((finalCandidates * seenVisible) / Math.max(1, visible));
    const thoughts = last ? finalThoughts : Math.floor((finalThoughts * seenThinking) / Math.max(1, thinking));
    const usage: GenerateContentResponseUsageMetadata = { promptTokenCount: final.promptTokenCount };
    if (candidates) usage.candidatesTokenCount = candidates;
    usage.totalTokenCount = (final.promptTokenCount ?? 0) + candidates + thoughts + (final.toolUsePromptTokenCount ?? 0);
    if (final.promptTokensDetails) usage.promptTokensDetails = final.promptTokensDetails;
    if (final.cachedContentTokenCount) usage.cachedContentTokenCount = final.cachedContentTokenCount;
    if (final.cacheTokensDetails) usage.cacheTokensDetails = final.cacheTokensDetails;
    if (thoughts) usage.thoughtsTokenCount = thoughts;
    if (final.toolUsePromptTokenCount) usage.toolUsePromptTokenCount = final.toolUsePromptTokenCount;
    const chunkCandidate: Candidate = { content: { parts: [part], role: "model" }, index: 0 };
    if (last && candidate?.finishReason) chunkCandidate.finishReason = candidate.finishReason;
    return { candidates: [chunkCandidate], usageMetadata: usage, modelVersion: answer.modelVersion, responseId: answer.responseId };
  });
}

/** One SSE event as Google frames it: `data: <json>` and a CRLF blank line. */
export function sseFrame(chunk: GeminiResponse | GeminiErrorBody): string {
  return `data: ${JSON.stringify(chunk)}\r\n\r\n`;
}

// ---------------------------------------------------------------------------------------------
// Request checks (what Google's JSON parser and validation refuse)

const camel = (name: string) => name.replace(/_([a-z])/g, (_, c: string) => c.toUpperCase());
const snake = (name: string) => name.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);

const REQUEST_FIELDS = new Set(["model", "contents", "systemInstruction", "tools", "toolConfig", "safetySettings", "generationConfig", "cachedContent", "serviceTier", "store"]);
const GENERATION_CONFIG_FIELDS = new Set([
  "stopSequences",
  "responseMimeType",
  "responseSchema",
  "responseJsonSchema",
  "responseModalities",
  "candidateCount",
  "maxOutputTokens",
  "temperature",
  "topP",
  "topK",
  "seed",
  "presencePenalty",
  "frequencyPenalty",
  "responseLogprobs",
  "logprobs",
  "enableEnhancedCivicAnswers",
  "speechConfig",
  "thinkingConfig",
  "imageConfig",
  "mediaResolution",
]);
const CONTENT_FIELDS = new Set(["role", "parts"]);
const PART_FIELDS = new Set(["text", "inlineData", "fileData", "functionCall", "functionResponse", "executableCode", "codeExecutionResult", "thought", "thoughtSignature", "videoMetadata", "partMetadata", "mediaResolution", "toolCall", "toolResponse"]);
const PART_DATA_FIELDS = ["text", "inlineData", "fileData", "functionCall", "functionResponse", "executableCode", "codeExecutionResult", "toolCall", "toolResponse"];

const isObject = (value: unknown): value is Record<string, unknown> => typeof value === "object" && value !== null && !Array.isArray(value);
/** A field read under its camelCase or its snake_case name (Google's parser accepts both). */
const field = (object: Record<string, unknown>, name: string) => object[name] ?? object[snake(name)];

function unknownField(object: Record<string, unknown>, allowed: Set<string>, where: string): string | undefined {
  for (const key of Object.keys(object)) {
    if (!allowed.has(camel(key))) return `Invalid JSON payload received. Unknown name "${key}"${where ? ` at '${where}'` : ""}: Cannot find field.`;
  }
  return undefined;
}

/**
 * What Google would refuse in a generateContent body for this model (400 INVALID_ARGUMENT), or
 * undefined. Thinking: `thinkingLevel` and `thinkingBudget` together are refused, and 2.5 Pro,
 * which cannot turn thinking off, refuses a budget of 0.
 */
export function validateGenerateContent(body: Record<string, unknown>, model = ""): string | undefined {
  const top = unknownField(body, REQUEST_FIELDS, "");
  if (top) return top;
  const generationConfig = field(body, "generationConfig");
  if (generationConfig !== undefined) {
    if (!isObject(generationConfig)) return `Invalid value at 'generation_config' (type.googleapis.com/google.ai.generativelanguage.v1beta.GenerationConfig), ${JSON.stringify(generationConfig)}`;
    const unknown = unknownField(generationConfig, GENERATION_CONFIG_FIELDS, "generation_config");
    if (unknown) return unknown;
    const thinking = field(generationConfig, "thinkingConfig");
    if (isObject(thinking)) {
      const budget = field(thinking, "thinkingBudget");
      if (budget !== undefined && field(thinking, "thinkingLevel") !== undefined) return "You can only set only one of thinking budget and thinking level.";
      if (budget === 0 && /^gemini-2\.5-pro/.test(model)) return "Budget 0 is invalid. This model only works in thinking mode.";
    }
  }
  const contents = body.contents;
  if (!Array.isArray(contents) || contents.length === 0) return "* GenerateContentRequest.contents: contents is not specified\n";
  const system = field(body, "systemInstruction");
  const all: Array<[unknown, string]> = contents.map((c, i) => [c, `contents[${i}]`]);
  if (system !== undefined) all.push([system, "system_instruction"]);
  for (const [content, where] of all) {
    if (!isObject(content)) return `Invalid value at '${where}' (type.googleapis.com/google.ai.generativelanguage.v1beta.Content), ${JSON.stringify(content)}`;
    const unknown = unknownField(content, CONTENT_FIELDS, where);
    if (unknown) return unknown;
    if (where !== "system_instruction" && content.role !== undefined && content.role !== "user" && content.role !== "model") return "Please use a valid role: user, model.";
    const parts = content.parts;
    if (!Array.isArray(parts) || parts.length === 0) return `* GenerateContentRequest.${where}.parts: contents.parts must not be empty.\n`;
    for (const [j, part] of parts.entries()) {
      const at = `${where}.parts[${j}]`;
      if (!isObject(part)) return `Invalid value at '${at}' (type.googleapis.com/google.ai.generativelanguage.v1beta.Part), ${JSON.stringify(part)}`;
      const unknownPart = unknownField(part, PART_FIELDS, at);
      if (unknownPart) return unknownPart;
      if (!PART_DATA_FIELDS.some((name) => field(part, name) !== undefined)) return `* GenerateContentRequest.${at}.data: required oneof field 'data' must have one initialized field\n`;
      const inline = field(part, "inlineData");
      if (inline !== undefined) {
        const data = isObject(inline) ? inline.data : undefined;
        if (typeof data !== "string" || !/^[A-Za-z0-9+/_-]*={0,2}$/.test(data)) return `Invalid value at '${at}.inline_data.data' (TYPE_BYTES), Base64 decoding failed for "${String(data).slice(0, 40)}"`;
        if (typeof field(inline as Record<string, unknown>, "mimeType") !== "string") return `* GenerateContentRequest.${at}.inline_data.mime_type: mime_type is not specified\n`;
      }
      const call = field(part, "functionCall");
      if (call !== undefined && (!isObject(call) || typeof call.name !== "string" || (call.args !== undefined && !isObject(call.args)))) return `Invalid value at '${at}.function_call' (type.googleapis.com/google.ai.generativelanguage.v1beta.FunctionCall), ${JSON.stringify(call)}`;
      const functionResponse = field(part, "functionResponse");
      if (functionResponse !== undefined) {
        if (!isObject(functionResponse) || typeof functionResponse.name !== "string") return `* GenerateContentRequest.${at}.function_response.name: Name cannot be empty.\n`;
        if (!isObject(functionResponse.response)) return `Invalid value at '${at}.function_response.response' (type.googleapis.com/google.protobuf.Struct), ${JSON.stringify(functionResponse.response)}`;
      }
    }
  }
  return undefined;
}

/**
 * Gemini 3's rule: in the current turn (the contents after the last `user` content with text), the
 * first `functionCall` part of every model step must carry its `thoughtSignature`. Returns Google's
 * message for the first one missing, or undefined.
 */
export function missingThoughtSignature(body: Record<string, unknown>): string | undefined {
  const contents = Array.isArray(body.contents) ? (body.contents as Array<Record<string, unknown>>) : [];
  let start = 0;
  contents.forEach((content, i) => {
    const parts = Array.isArray(content.parts) ? (content.parts as Array<Record<string, unknown>>) : [];
    if ((content.role ?? "user") === "user" && parts.some((p) => typeof p.text === "string")) start = i + 1;
  });
  for (let i = start; i < contents.length; i++) {
    const content = contents[i]!;
    if (content.role !== "model") continue;
    const parts = Array.isArray(content.parts) ? (content.parts as Array<Record<string, unknown>>) : [];
    const first = parts.find((p) => field(p, "functionCall") !== undefined);
    if (first && typeof field(first, "thoughtSignature") !== "string") {
      const name = (field(first, "functionCall") as { name?: string }).name ?? "";
      return `Function call is missing a thought_signature in functionCall parts. This is required for tools to work correctly, and missing thought_signature may lead to degraded model performance. Additional data, function call \`default_api:${name}\` , position ${i + 1}. Please refer to https://ai.google.dev/gemini-api/docs/thought-signatures for more details.`;
    }
  }
  return undefined;
}

// ---------------------------------------------------------------------------------------------
// Server

export async function startFakeGemini(options: FakeGeminiOptions = {}): Promise<FakeGemini> {
  let apiKey = options.apiKey ?? FAKE_GEMINI_API_KEY;
  let requireSignatures = options.requireThoughtSignatures ?? false;
  let handler = options.handler;
  const queue: GeminiReply[] = [];
  const received: GeminiReceivedRequest[] = [];
  const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", async () => {
      const text = Buffer.concat(chunks).toString("utf8");
      const url = new URL(req.url ?? "/", "http://fake");
      const match = /^\/(v1(?:alpha|beta)?)\/models\/([^/:]+):([A-Za-z]+)$/.exec(url.pathname);
      let body: Record<string, unknown> = {};
      let parseError = false;
      try {
        const parsed: unknown = text ? JSON.parse(text) : {};
        if (isObject(parsed)) body = parsed;
        else parseError = true;
      } catch {
        parseError = true;
      }
      const record: GeminiReceivedRequest = {
        method: req.method ?? "",
        path: req.url ?? "",
        pathname: url.pathname,
        apiVersion: match?.[1] ?? "",
        model: decodeURIComponent(match?.[2] ?? ""),
        action: match?.[3] ?? "",
        query: Object.fromEntries(url.searchParams),
        headers: req.headers,
        body,
        aborted: false,
      };
      received.push(record);
      res.on("close", () => {
        if (!res.writableFinished) record.aborted = true;
      });
      const sendJson = (status: number, payload: unknown, headers: Record<string, string> = {}) => {
        res.writeHead(status, { "content-type": "application/json; charset=UTF-8", vary: "Origin, X-Origin, Referer", ...headers });
        res.end(JSON.stringify(payload, null, 2));
      };
      const sendError = (status: number, message?: string, details?: Record<string, unknown>[], headers?: Record<string, string>) => sendJson(status, errorBody(status, message, details), headers);

      // Auth like Google: a key in the header or the query; none → 403, a wrong one → 400.
      const headerKey = req.headers["x-goog-api-key"];
      const key = (typeof headerKey === "string" ? headerKey : undefined) ?? url.searchParams.get("key") ?? undefined;
      if (key === undefined || key === "") {
        return sendError(403, "Method doesn't allow unregistered callers (callers without established identity). Please use API Key or other form of API consumer identity to call this API.");
      }
      if (key !== apiKey) {
        return sendError(400, "API key not valid. Please pass a valid API key.", [
          { "@type": "type.googleapis.com/google.rpc.ErrorInfo", reason: "API_KEY_INVALID", domain: "googleapis.com", metadata: { service: "generativelanguage.googleapis.com" } },
          { "@type": "type.googleapis.com/google.rpc.LocalizedMessage", locale: "en-US", message: "API key not valid. Please pass a valid API key." },
        ]);
      }
      const known = ["generateContent", "streamGenerateContent", "batchEmbedContents", "countTokens"];
      if (!match || req.method !== "POST" || !known.includes(record.action)) return sendError(404, `Not found: ${req.method} ${url.pathname}`);
      if (parseError) return sendError(400, `Invalid JSON payload received. ${text.slice(0, 60)}`);
      if (options.models && !options.models.includes(record.model)) {
        return sendError(404, `models/${record.model} is not found for API version ${record.apiVersion}, or is not supported for ${record.action}. Call ListModels to see the list of available models and their supported methods.`);
      }

      if (record.action === "countTokens") {
        const request = isObject(body.generateContentRequest) ? body.generateContentRequest : body;
        if (!Array.isArray(request.contents)) return sendError(400, "* CountTokensRequest.contents: contents is not specified\n");
        return sendJson(200, { totalTokens: estimateInputTokens(request), promptTokensDetails: [{ modality: "TEXT", tokenCount: estimateInputTokens(request) }] });
      }

      if (record.action === "batchEmbedContents") {
        const requests = body.requests;
        if (!Array.isArray(requests) || requests.length === 0) return sendError(400, "* BatchEmbedContentsRequest.requests: requests is not specified\n");
        if (requests.length > MAX_EMBED_BATCH) return sendError(400, `* BatchEmbedContentsRequest.requests: at most ${MAX_EMBED_BATCH} requests can be in one batch\n`);
        for (const [i, request] of requests.entries()) {
          const model = isObject(request) ? request.model : undefined;
          if (model !== `models/${record.model}`) return sendError(400, `Model mismatch at requests[${i}]: ${String(model)} vs models/${record.model}`);
        }
        const reply = await handler?.(record);
        if (reply && reply.kind !== "embeddings") return serve(reply);
        if (reply) return sendJson(200, reply.body);
        const embeddings = (requests as Array<Record<string, unknown>>).map((request) => {
          const content = (isObject(request.content) ? request.content : {}) as Content;
          const input = (content.parts ?? []).map((p) => p.text ?? "").join("");
          const dimensions = field(request, "outputDimensionality");
          return { values: embeddingValues(input, typeof dimensions === "number" ? dimensions : undefined) };
        });
        return sendJson(200, { embeddings } satisfies EmbeddingsReply);
      }

      // generateContent / streamGenerateContent
      const invalid = validateGenerateContent(body, record.model);
      if (invalid) return sendError(400, invalid);
      const unsigned = requireSignatures ? missingThoughtSignature(body) : undefined;
      if (unsigned) return sendError(400, unsigned);
      const reply: GeminiReply = queue.shift() ?? (await handler?.(record)) ?? { kind: "response", response: defaultResponse(record, options.defaultUsage) };
      return serve(reply);

      async function serve(reply: GeminiReply): Promise<void> {
        const stream = record.action === "streamGenerateContent";
        const sse = url.searchParams.get("alt") === "sse";
        const startStream = () => res.writeHead(200, sse ? { "content-type": "text/event-stream", "x-content-type-options": "nosniff" } : { "content-type": "application/json; charset=UTF-8" });
        let first = true;
        const writeChunks = async (list: Array<GeminiResponse | GeminiErrorBody>, delayMs = 0) => {
          for (const chunk of list) {
            if (res.destroyed) return false;
            if (sse) res.write(sseFrame(chunk));
            else {
              res.write(`${first ? "[" : ",\r\n"}${JSON.stringify(chunk)}`);
              first = false;
            }
            if (delayMs) await sleep(delayMs);
          }
          return !res.destroyed;
        };
        const endStream = () => res.end(sse ? undefined : first ? "[]" : "]");
        switch (reply.kind) {
          case "response": {
            const answer = typeof reply.response === "function" ? reply.response(record) : reply.response;
            if (reply.delayMs) await sleep(reply.delayMs);
            if (!stream) return sendJson(200, answer);
            startStream();
            if (await writeChunks(streamChunks(answer), reply.chunkDelayMs)) endStream();
            return;
          }
          case "chunks":
            if (!stream) return sendJson(200, reply.chunks.at(-1) ?? {});
            startStream();
            if (await writeChunks(reply.chunks, reply.chunkDelayMs)) endStream();
            return;
          case "error":
            return sendJson(reply.status, reply.body, reply.headers);
          case "stream-error":
            if (!stream) return sendJson(reply.error.error.code, reply.error);
            startStream();
            if (await writeChunks([...streamChunks(reply.response).slice(0, reply.afterChunks), reply.error])) endStream();
            return;
          case "hang":
            if (reply.afterChunks !== undefined && stream) {
              startStream();
              await writeChunks(streamChunks(reply.response ?? defaultResponse(record, options.defaultUsage)).slice(0, reply.afterChunks));
            }
            return;
          case "drop":
            if (reply.afterChunks !== undefined && stream) {
              startStream();
              await writeChunks(streamChunks(reply.response ?? defaultResponse(record, options.defaultUsage)).slice(0, reply.afterChunks));
              await sleep(20);
            }
            req.socket.destroy();
            return;
          case "embeddings":
            return sendJson(200, reply.body);
          case "raw":
            res.writeHead(reply.status, reply.headers);
            res.end(reply.body);
            return;
        }
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    origin: `http://127.0.0.1:${port}`,
    received,
    generations: () => received.filter((r) => r.action === "generateContent" || r.action === "streamGenerateContent"),
    embeddings: () => received.filter((r) => r.action === "batchEmbedContents"),
    enqueue: (...replies) => void queue.push(...replies),
    setHandler: (h) => void (handler = h),
    setApiKey: (k) => void (apiKey = k),
    setRequireThoughtSignatures: (required) => void (requireSignatures = required),
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
