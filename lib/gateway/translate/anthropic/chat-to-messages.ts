import { refuseChatOnlyFeatures, Untranslatable, type Loose } from "../hub";
import { parseToolInput } from "./chat-to-message";

/**
 * Chat Completions request (the hub) → Anthropic Messages request, for OpenAI clients on channels
 * that speak Messages. The body is read loosely: it was validated by the chat endpoint already.
 */
type Block = Loose & { type: string };
interface AnthropicMessageParam {
  role: "user" | "assistant";
  content: Block[];
}

const isObject = (value: unknown): value is Loose => value !== null && typeof value === "object" && !Array.isArray(value);
const str = (value: unknown): string => (typeof value === "string" ? value : "");

function partsOf(content: unknown): Loose[] {
  if (typeof content === "string") return [{ type: "text", text: content }];
  return Array.isArray(content) ? content.filter(isObject) : [];
}

const DATA_URL = /^data:([^;,]+);base64,(.*)$/s;

function imageBlock(part: Loose, param: string): Block {
  const url = str(isObject(part.image_url) ? part.image_url.url : part.image_url);
  const inline = DATA_URL.exec(url);
  if (inline) return { type: "image", source: { type: "base64", media_type: inline[1], data: inline[2] } };
  if (!url) throw new Untranslatable("An image without a URL is not supported", `${param}.image_url`);
  return { type: "image", source: { type: "url", url } };
}

/** Inline PDFs travel as documents; an uploaded file id lives on OpenAI's side and cannot. */
function documentBlock(part: Loose, param: string): Block {
  const file = isObject(part.file) ? part.file : {};
  const inline = DATA_URL.exec(str(file.file_data));
  if (!inline || inline[1] !== "application/pdf") throw new Untranslatable("A file other than an inline PDF is not supported", `${param}.file`);
  const block: Block = { type: "document", source: { type: "base64", media_type: "application/pdf", data: inline[2] } };
  if (str(file.filename)) block.title = file.filename;
  return block;
}

/** User-side blocks; empty text is never sent (Anthropic refuses empty text blocks). */
function userBlocks(content: unknown, param: string): Block[] {
  return partsOf(content).flatMap((part, i): Block[] => {
    const at = `${param}[${i}]`;
    if (part.type === "text") return str(part.text) ? [{ type: "text", text: str(part.text) }] : [];
    if (part.type === "image_url") return [imageBlock(part, at)];
    if (part.type === "file") return [documentBlock(part, at)];
    throw new Untranslatable(`Content of type '${String(part.type)}' is not supported`, `${at}.type`);
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

/**
 * Messages wants user and assistant turns to alternate, so blocks of consecutive messages with one
 * role (tool results and the user text after them, say) go into one message.
 */
function append(messages: AnthropicMessageParam[], role: "user" | "assistant", blocks: Block[]): void {
  if (!blocks.length) return;
  const last = messages.at(-1);
  if (last?.role === role) last.content.push(...blocks);
  else messages.push({ role, content: blocks });
}

function assistantBlocks(message: Loose, param: string): Block[] {
  const blocks: Block[] = [];
  // Earlier reasoning (reasoning_content) is not sent back: Anthropic accepts thinking only with its own signature.
  const text = textOf(message.content, `${param}.content`) || str(message.refusal);
  if (text) blocks.push({ type: "text", text });
  (Array.isArray(message.tool_calls) ? message.tool_calls : []).forEach((call, i) => {
    if (!isObject(call) || !isObject(call.function)) throw new Untranslatable("A tool call that is not a function call is not supported", `${param}.tool_calls[${i}]`);
    blocks.push({ type: "tool_use", id: str(call.id), name: str(call.function.name), input: parseToolInput(call.function.arguments) });
  });
  return blocks;
}

function anthropicTools(tools: unknown[]): Loose[] {
  return tools.map((raw, i) => {
    const tool = isObject(raw) ? raw : {};
    const fn = isObject(tool.function) ? tool.function : null;
    if (tool.type !== "function" || !fn) throw new Untranslatable(`The '${String(tool.type)}' tool is not supported`, `tools[${i}].type`);
    const out: Loose = { name: str(fn.name), input_schema: isObject(fn.parameters) ? fn.parameters : { type: "object", properties: {} } };
    if (typeof fn.description === "string") out.description = fn.description;
    if (typeof fn.strict === "boolean") out.strict = fn.strict;
    return out;
  });
}

function anthropicToolChoice(choice: unknown): Loose | undefined {
  if (choice === undefined || choice === null) return undefined;
  if (choice === "auto") return { type: "auto" };
  if (choice === "required") return { type: "any" };
  if (choice === "none") return { type: "none" };
  if (isObject(choice) && choice.type === "function" && isObject(choice.function)) return { type: "tool", name: str(choice.function.name) };
  throw new Untranslatable(`tool_choice ${JSON.stringify(choice)} is not supported`, "tool_choice");
}

/**
 * Thinking budgets for chat's efforts: the top of each band messages-to-chat maps back, so a
 * request that goes there and back keeps its effort. "minimal" and "none" ask for no thinking.
 */
const BUDGETS: Record<string, number> = { low: 4096, medium: 16384, high: 32768, xhigh: 32768 };
/** Anthropic's smallest thinking budget. */
const MIN_BUDGET = 1024;

/**
 * The budget must stay below max_tokens (Anthropic refuses it otherwise), so it is capped there;
 * an answer too short to leave room for the minimum budget goes without thinking.
 */
function thinking(effort: unknown, maxTokens: number): Loose | undefined {
  const budget = typeof effort === "string" ? BUDGETS[effort] : undefined;
  if (!budget) return undefined;
  const capped = Math.min(budget, maxTokens - 1);
  return capped >= MIN_BUDGET ? { type: "enabled", budget_tokens: capped } : undefined;
}

export interface ChatToMessagesOptions {
  /** The channel's model name. */
  model: string;
  /** Messages requires max_tokens; used when the chat request sets neither limit. */
  defaultMaxTokens: number;
}

/**
 * The Messages body. Mapping notes:
 * - system and developer messages, wherever they are, join `system` in order (every Messages
 *   server accepts a top-level system; not all take system turns inside the conversation).
 * - user: text, image_url (data URL → base64 source, else url source), inline PDF file → document.
 * - assistant: text (or refusal) → text; tool_calls → tool_use (arguments parsed; invalid → {}).
 * - tool messages → tool_result blocks in a user turn; consecutive turns of one role merge.
 * - max_completion_tokens ?? max_tokens ?? the default → max_tokens; stop → stop_sequences;
 *   temperature and top_p as given (Anthropic's temperature range is 0–1 and it says so itself).
 * - tools, tool_choice (auto/required/none/function → auto/any/none/tool), parallel_tool_calls:
 *   false → disable_parallel_tool_use; reasoning_effort → a thinking budget;
 *   response_format json_schema → output_config.format; user → metadata.user_id.
 * - json_object mode is dropped: Messages has no schema-less JSON mode, and OpenAI requires the
 *   prompt itself to ask for JSON, so the model is asked anyway.
 * - n > 1, logprobs and audio output have no Messages form and are refused; penalties, seed,
 *   logit_bias, store and the like are dropped.
 */
export function chatToMessages(input: object, options: ChatToMessagesOptions): Record<string, unknown> {
  const request = input as Loose;
  refuseChatOnlyFeatures(request);

  const system: string[] = [];
  const messages: AnthropicMessageParam[] = [];
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
      case "assistant":
        return append(messages, "assistant", assistantBlocks(message, param));
      case "tool": {
        // Anthropic refuses empty text blocks, so an empty result goes without content.
        const content = textOf(message.content, `${param}.content`);
        const result: Block = { type: "tool_result", tool_use_id: str(message.tool_call_id) };
        if (content) result.content = content;
        return append(messages, "user", [result]);
      }
      case "user":
        return append(messages, "user", userBlocks(message.content, `${param}.content`));
      default:
        throw new Untranslatable(`Messages with role '${String(message.role)}' are not supported`, `${param}.role`);
    }
  });

  const maxTokens = [request.max_completion_tokens, request.max_tokens].find((value): value is number => typeof value === "number") ?? options.defaultMaxTokens;
  const body: Record<string, unknown> = { model: options.model, max_tokens: maxTokens, messages };
  if (system.length) body.system = system.join("\n\n");

  const tools = anthropicTools(Array.isArray(request.tools) ? request.tools : []);
  if (tools.length) {
    body.tools = tools;
    let choice = anthropicToolChoice(request.tool_choice);
    if (request.parallel_tool_calls === false && choice?.type !== "none") choice = { ...(choice ?? { type: "auto" }), disable_parallel_tool_use: true };
    if (choice) body.tool_choice = choice;
  }

  const stop = typeof request.stop === "string" ? [request.stop] : Array.isArray(request.stop) ? request.stop : [];
  if (stop.length) body.stop_sequences = stop;
  if (typeof request.temperature === "number") body.temperature = request.temperature;
  if (typeof request.top_p === "number") body.top_p = request.top_p;

  const think = thinking(request.reasoning_effort, maxTokens);
  if (think) body.thinking = think;

  const format = isObject(request.response_format) ? request.response_format : null;
  if (format?.type === "json_schema") {
    const schema = isObject(format.json_schema) ? format.json_schema.schema : undefined;
    if (!isObject(schema)) throw new Untranslatable("A json_schema response_format without a schema is not supported", "response_format.json_schema.schema");
    body.output_config = { format: { type: "json_schema", schema } };
  }

  const user = str(request.user) || str(request.safety_identifier);
  if (user) body.metadata = { user_id: user };
  if (request.stream === true) body.stream = true;
  return body;
}
