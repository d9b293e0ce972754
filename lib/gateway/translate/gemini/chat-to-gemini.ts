import { refuseChatOnlyFeatures, Untranslatable, type Loose } from "../hub";
import { toGeminiSchema } from "./schema";

/**
 * Chat Completions request (the hub) → a Gemini `generateContent` request body, for OpenAI clients
 * on `gemini` channels. The model goes in the URL, not the body. The body is read loosely: the
 * chat endpoint validated it already.
 *
 * - system and developer messages, wherever they are, join `systemInstruction` in order.
 * - user → a `user` turn: text; image_url as `inlineData` (data URL) or `fileData` (an http(s) URL
 *   whose image type shows in its path: Gemini fetches public URLs itself but must be told the
 *   MIME type); inline files (data URLs) and input_audio as `inlineData`.
 * - assistant → a `model` turn: text, then each tool call as a `functionCall` part carrying the
 *   `thoughtSignature` kept in `extra_content.google.thought_signature` (see gemini-to-chat.ts);
 *   for Gemini 3, a turn whose calls have none (made on another channel) gets SKIP_SIGNATURE.
 * - tool → `functionResponse` parts in a `user` turn, named by the function of the tool call they
 *   answer (chat links them by id, Gemini by name). Consecutive turns of one role merge.
 * - tools → one `functionDeclarations` tool (schemas reduced by ./schema.ts); tool_choice →
 *   `toolConfig.functionCallingConfig` (auto → AUTO, required → ANY, none → NONE, a named
 *   function or allowed_tools → `allowedFunctionNames`).
 * - temperature, top_p, seed, presence/frequency penalties, max_completion_tokens ?? max_tokens
 *   (→ maxOutputTokens), stop (→ stopSequences), response_format (json_object → JSON MIME type;
 *   json_schema → that plus `responseSchema`), reasoning_effort → `thinkingConfig` (see
 *   thinkingConfig below).
 * - n > 1, logprobs and audio output are refused; parallel_tool_calls (Gemini has no switch),
 *   logit_bias, store, user and the like are dropped.
 */

type Part = Loose;
interface Content {
  role: "user" | "model";
  parts: Part[];
}

const isObject = (value: unknown): value is Loose => value !== null && typeof value === "object" && !Array.isArray(value);
const str = (value: unknown): string => (typeof value === "string" ? value : "");

const DATA_URL = /^data:([^;,]+);base64,(.*)$/s;

/**
 * Gemini 3 checks that the function calls in the current turn carry their signatures. Calls made
 * elsewhere (another provider, an older client) have none: Google documents this value for them.
 */
export const SKIP_SIGNATURE = "skip_thought_signature_validator";

/** Image types Gemini reads, by the extension a URL's path ends with. */
const IMAGE_TYPES: Record<string, string> = { png: "image/png", jpg: "image/jpeg", jpeg: "image/jpeg", webp: "image/webp", heic: "image/heic", heif: "image/heif" };

function partsOf(content: unknown): Loose[] {
  if (typeof content === "string") return [{ type: "text", text: content }];
  return Array.isArray(content) ? content.filter(isObject) : [];
}

function imagePart(part: Loose, param: string): Part {
  const url = str(isObject(part.image_url) ? part.image_url.url : part.image_url);
  const inline = DATA_URL.exec(url);
  if (inline) return { inlineData: { mimeType: inline[1], data: inline[2] } };
  let parsed: URL | null = null;
  try {
    parsed = new URL(url);
  } catch {
    // handled below
  }
  if (!parsed || (parsed.protocol !== "https:" && parsed.protocol !== "http:")) throw new Untranslatable("An image must be a data URL or an http(s) URL", `${param}.image_url.url`);
  const mimeType = IMAGE_TYPES[parsed.pathname.split(".").at(-1)?.toLowerCase() ?? ""];
  if (!mimeType) {
    throw new Untranslatable("An image URL must end in .png, .jpg, .jpeg, .webp, .heic or .heif (Gemini must be told the image type); send other images as data URLs", `${param}.image_url.url`);
  }
  return { fileData: { mimeType, fileUri: url } };
}

function userParts(content: unknown, param: string): Part[] {
  return partsOf(content).flatMap((part, i): Part[] => {
    const at = `${param}[${i}]`;
    switch (part.type) {
      case "text":
        return str(part.text) ? [{ text: str(part.text) }] : [];
      case "image_url":
        return [imagePart(part, at)];
      case "file": {
        const inline = DATA_URL.exec(str(isObject(part.file) ? part.file.file_data : ""));
        if (!inline) throw new Untranslatable("A file must be sent inline (file_data as a data URL)", `${at}.file`);
        return [{ inlineData: { mimeType: inline[1], data: inline[2] } }];
      }
      case "input_audio": {
        const audio = isObject(part.input_audio) ? part.input_audio : {};
        return [{ inlineData: { mimeType: `audio/${str(audio.format) || "wav"}`, data: str(audio.data) } }];
      }
      default:
        throw new Untranslatable(`Content of type '${String(part.type)}' is not supported`, `${at}.type`);
    }
  });
}

function textOf(content: unknown, param: string): string {
  return partsOf(content)
    .map((part, i) => {
      if (part.type !== "text" && part.type !== "refusal") throw new Untranslatable(`Content of type '${String(part.type)}' is not supported here`, `${param}[${i}].type`);
      return str(part.text) || str(part.refusal);
    })
    .join("");
}

function parseArgs(args: unknown): Loose {
  try {
    const parsed: unknown = JSON.parse(str(args) || "{}");
    return isObject(parsed) ? parsed : {};
  } catch {
    return {};
  }
}

/** The signature a tool call brought back from Gemini, if any. */
export function thoughtSignatureOf(call: Loose): string | undefined {
  const extra = isObject(call.extra_content) ? call.extra_content : {};
  const google = isObject(extra.google) ? extra.google : {};
  return typeof google.thought_signature === "string" && google.thought_signature ? google.thought_signature : undefined;
}

/** A tool's result as Gemini's `response` object: JSON objects as they are, anything else wrapped. */
function functionResponse(content: string): Loose {
  try {
    const parsed: unknown = JSON.parse(content);
    if (isObject(parsed)) return parsed;
    return { result: parsed };
  } catch {
    return { result: content };
  }
}

function append(contents: Content[], role: Content["role"], parts: Part[]): void {
  if (!parts.length) return;
  const last = contents.at(-1);
  if (last?.role === role) last.parts.push(...parts);
  else contents.push({ role, parts });
}

function tools(raw: unknown[]): Loose[] {
  const declarations = raw.map((value, i) => {
    const tool = isObject(value) ? value : {};
    const fn = isObject(tool.function) ? tool.function : null;
    if (tool.type !== "function" || !fn) throw new Untranslatable(`The '${String(tool.type)}' tool is not supported`, `tools[${i}].type`);
    const out: Loose = { name: str(fn.name) };
    if (typeof fn.description === "string") out.description = fn.description;
    const parameters = toGeminiSchema(fn.parameters, `tools[${i}].function.parameters`);
    // Gemini refuses an OBJECT without properties: a function that takes nothing declares nothing.
    if (isObject(parameters.properties) && Object.keys(parameters.properties).length) out.parameters = parameters;
    return out;
  });
  return declarations.length ? [{ functionDeclarations: declarations }] : [];
}

function toolConfig(choice: unknown): Loose | undefined {
  if (choice === undefined || choice === null) return undefined;
  if (choice === "auto") return { functionCallingConfig: { mode: "AUTO" } };
  if (choice === "required") return { functionCallingConfig: { mode: "ANY" } };
  if (choice === "none") return { functionCallingConfig: { mode: "NONE" } };
  if (isObject(choice) && choice.type === "function" && isObject(choice.function)) return { functionCallingConfig: { mode: "ANY", allowedFunctionNames: [str(choice.function.name)] } };
  if (isObject(choice) && choice.type === "allowed_tools" && isObject(choice.allowed_tools)) {
    const allowed = choice.allowed_tools;
    const names = (Array.isArray(allowed.tools) ? allowed.tools : []).map((tool) => (isObject(tool) && isObject(tool.function) ? str(tool.function.name) : "")).filter(Boolean);
    return { functionCallingConfig: { mode: allowed.mode === "required" ? "ANY" : "AUTO", allowedFunctionNames: names } };
  }
  throw new Untranslatable(`tool_choice ${JSON.stringify(choice)} is not supported`, "tool_choice");
}

/**
 * reasoning_effort → thinkingConfig. Gemini 3 models take a `thinkingLevel`; "low" and "high" are
 * the levels every one of them accepts, so none/minimal/low ask for "low" (Gemini 3 cannot turn
 * thinking off) and medium and above for "high". Earlier models (2.5) take a `thinkingBudget`:
 * none → 0 (off; 128, the least, for 2.5 Pro, which cannot turn it off), then 1K/4K/16K/24K
 * tokens (24,576 is 2.5 Flash's maximum). Models before 2.5 get no thinkingConfig. Thought
 * summaries are asked for so they come back as `reasoning_content`; without a reasoning_effort the
 * model's own default applies and no thoughts are returned.
 */
const BUDGETS: Record<string, number> = { none: 0, minimal: 1024, low: 4096, medium: 16384, high: 24576, xhigh: 24576 };

/** Models older than 2.5 cannot think and refuse a thinkingConfig. */
const NO_THINKING = /^(models\/)?gemini-(1\.|2\.0)/i;
/** 2.5 Pro cannot turn thinking off; 128 tokens is its smallest budget. */
const PRO_25 = /^(models\/)?gemini-2\.5-pro/i;

export function thinkingConfig(effort: unknown, model: string): Loose | undefined {
  if (typeof effort !== "string" || !(effort in BUDGETS) || NO_THINKING.test(model)) return undefined;
  if (/^(models\/)?gemini-3/i.test(model)) {
    return { thinkingLevel: ["none", "minimal", "low"].includes(effort) ? "low" : "high", includeThoughts: true };
  }
  const budget = BUDGETS[effort]!;
  if (!budget) return PRO_25.test(model) ? { thinkingBudget: 128 } : { thinkingBudget: 0 };
  return { thinkingBudget: budget, includeThoughts: true };
}

export interface ChatToGeminiOptions {
  /** The upstream model id (it goes in the URL; here it picks the thinking parameters). */
  model: string;
}

export function chatToGemini(input: object, options: ChatToGeminiOptions): Record<string, unknown> {
  const request = input as Loose;
  refuseChatOnlyFeatures(request);
  const gemini3 = /^(models\/)?gemini-3/i.test(options.model);

  const system: string[] = [];
  const contents: Content[] = [];
  /** Tool call id → function name, from the assistant turns so far. */
  const names = new Map<string, string>();
  (Array.isArray(request.messages) ? request.messages : []).forEach((raw, i) => {
    const message = isObject(raw) ? raw : {};
    const param = `messages[${i}]`;
    switch (message.role) {
      case "system":
      case "developer": {
        const text = textOf(message.content, `${param}.content`);
        if (text) system.push(text);
        return;
      }
      case "user":
        return append(contents, "user", userParts(message.content, `${param}.content`));
      case "assistant": {
        const parts: Part[] = [];
        const text = textOf(message.content, `${param}.content`) || str(message.refusal);
        if (text) parts.push({ text });
        const calls = Array.isArray(message.tool_calls) ? message.tool_calls : [];
        const signed = calls.some((call) => isObject(call) && thoughtSignatureOf(call));
        calls.forEach((call, j) => {
          if (!isObject(call) || !isObject(call.function)) throw new Untranslatable("A tool call that is not a function call is not supported", `${param}.tool_calls[${j}]`);
          const name = str(call.function.name);
          names.set(str(call.id), name);
          const part: Part = { functionCall: { name, args: parseArgs(call.function.arguments) } };
          const signature = thoughtSignatureOf(call) ?? (gemini3 && !signed && j === 0 ? SKIP_SIGNATURE : undefined);
          if (signature) part.thoughtSignature = signature;
          parts.push(part);
        });
        return append(contents, "model", parts);
      }
      case "tool": {
        const id = str(message.tool_call_id);
        const name = names.get(id);
        if (name === undefined) throw new Untranslatable(`No earlier assistant tool call has the id '${id}'`, `${param}.tool_call_id`);
        return append(contents, "user", [{ functionResponse: { name, response: functionResponse(textOf(message.content, `${param}.content`)) } }]);
      }
      default:
        throw new Untranslatable(`Messages with role '${String(message.role)}' are not supported`, `${param}.role`);
    }
  });

  const body: Record<string, unknown> = { contents };
  if (system.length) body.systemInstruction = { parts: [{ text: system.join("\n\n") }] };

  const declared = tools(Array.isArray(request.tools) ? request.tools : []);
  if (declared.length) {
    body.tools = declared;
    const config = toolConfig(request.tool_choice);
    if (config) body.toolConfig = config;
  }

  const generation: Loose = {};
  if (typeof request.temperature === "number") generation.temperature = request.temperature;
  if (typeof request.top_p === "number") generation.topP = request.top_p;
  if (typeof request.seed === "number") generation.seed = request.seed;
  if (typeof request.presence_penalty === "number") generation.presencePenalty = request.presence_penalty;
  if (typeof request.frequency_penalty === "number") generation.frequencyPenalty = request.frequency_penalty;
  const maxTokens = [request.max_completion_tokens, request.max_tokens].find((value): value is number => typeof value === "number");
  if (maxTokens !== undefined) generation.maxOutputTokens = maxTokens;
  const stop = typeof request.stop === "string" ? [request.stop] : Array.isArray(request.stop) ? request.stop.filter((s) => typeof s === "string") : [];
  if (stop.length) generation.stopSequences = stop;

  const format = isObject(request.response_format) ? request.response_format : null;
  if (format?.type === "json_object") generation.responseMimeType = "application/json";
  if (format?.type === "json_schema") {
    const schema = isObject(format.json_schema) ? format.json_schema.schema : undefined;
    if (!isObject(schema)) throw new Untranslatable("A json_schema response_format without a schema is not supported", "response_format.json_schema.schema");
    generation.responseMimeType = "application/json";
    generation.responseSchema = toGeminiSchema(schema, "response_format.json_schema.schema");
  }

  const thinking = thinkingConfig(request.reasoning_effort, options.model);
  if (thinking) generation.thinkingConfig = thinking;
  if (Object.keys(generation).length) body.generationConfig = generation;
  return body;
}
