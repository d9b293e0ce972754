import { parseDirectives, type Directives } from "./directives";

/**
 * The parts of a Chat Completions body the sandbox acts on, read defensively: the gateway has
 * validated the body, but this adapter may also be driven directly (tests, scripts), and anything
 * it does not understand must be ignored rather than crash it.
 */
export interface SandboxRequest {
  model: string;
  messages: Array<Record<string, unknown>>;
  n: number;
  maxTokens: number | null;
  stop: string[];
  logprobs: boolean;
  topLogprobs: number;
  includeUsage: boolean;
  tools: unknown[];
  /** The function to call, or null when the answer is text. */
  toolToCall: FunctionTool | null;
  responseFormat: { type: "text" } | { type: "json_object" } | { type: "json_schema"; schema: unknown };
  /** The last user message with directives removed; null when there is none. */
  lastUser: { text: string; images: number } | null;
  systemPrompt: string | null;
  /** The tool results the conversation ends with (a follow-up turn after a tool call). */
  toolResults: Array<{ name: string | null; content: string }>;
  directives: Directives;
}

export interface FunctionTool {
  name: string;
  parameters: unknown;
}

/** A request the sandbox refuses the way OpenAI would (400 with a `param`). */
export class SandboxRequestError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly param: string | null,
    readonly code: string | null,
  ) {
    super(message);
    this.name = "SandboxRequestError";
  }
}

export const SANDBOX_MODEL_PREFIX = "sandbox-";

const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === "object" && value !== null && !Array.isArray(value);
const positiveInt = (value: unknown): number | null => (typeof value === "number" && Number.isInteger(value) && value > 0 ? value : null);

export function readRequest(body: Record<string, unknown>): SandboxRequest {
  const model = typeof body.model === "string" ? body.model : "";
  if (!model.startsWith(SANDBOX_MODEL_PREFIX)) {
    throw new SandboxRequestError(404, `The model \`${model}\` does not exist or you do not have access to it.`, "model", "model_not_found");
  }
  const messages = Array.isArray(body.messages) ? body.messages.filter(isRecord) : [];
  const lastUserMessage = [...messages].reverse().find((m) => m.role === "user");
  let lastUser: SandboxRequest["lastUser"] = null;
  let directives: Directives = { noUsage: false };
  if (lastUserMessage) {
    const { text, images } = readContent(lastUserMessage.content);
    const parsed = parseDirectives(text);
    lastUser = { text: parsed.text, images };
    directives = parsed.directives;
  }
  const system = messages.find((m) => m.role === "system" || m.role === "developer");
  const tools = Array.isArray(body.tools) ? body.tools : [];
  const streamOptions = isRecord(body.stream_options) ? body.stream_options : {};

  return {
    model,
    messages,
    n: Math.min(positiveInt(body.n) ?? 1, 128),
    maxTokens: positiveInt(body.max_completion_tokens) ?? positiveInt(body.max_tokens),
    stop: (typeof body.stop === "string" ? [body.stop] : Array.isArray(body.stop) ? body.stop : []).filter(
      (s): s is string => typeof s === "string" && s.length > 0,
    ),
    logprobs: body.logprobs === true,
    topLogprobs: typeof body.top_logprobs === "number" ? body.top_logprobs : 0,
    includeUsage: streamOptions.include_usage === true,
    tools,
    toolToCall: messages.at(-1)?.role === "tool" || messages.at(-1)?.role === "function" ? null : chooseTool(tools, body.tool_choice, directives.tool),
    responseFormat: readResponseFormat(body.response_format),
    lastUser,
    systemPrompt: system ? readContent(system.content).text : null,
    toolResults: readToolResults(messages),
    directives,
  };
}

function readContent(content: unknown): { text: string; images: number } {
  if (typeof content === "string") return { text: content, images: 0 };
  if (!Array.isArray(content)) return { text: "", images: 0 };
  const texts: string[] = [];
  let images = 0;
  for (const part of content) {
    if (!isRecord(part)) continue;
    if (part.type === "text" && typeof part.text === "string") texts.push(part.text);
    else if (part.type === "image_url") images++;
  }
  return { text: texts.join("\n"), images };
}

function functionTools(tools: unknown[]): FunctionTool[] {
  const out: FunctionTool[] = [];
  for (const tool of tools) {
    if (!isRecord(tool) || tool.type !== "function" || !isRecord(tool.function)) continue;
    if (typeof tool.function.name !== "string") continue;
    out.push({ name: tool.function.name, parameters: tool.function.parameters });
  }
  return out;
}

/** Like a model that always wants to use its tools: any function tool is called unless told not to. */
/**
 * The tool the sandbox calls, or null for a text answer. Only when told to — `tool_choice`
 * "required" or a named function, or `[sandbox:tool=NAME]` in the last user message — never just
 * because tools are offered: an agent (Claude Code, say) offers tools on every turn and would never
 * get a final answer.
 */
function chooseTool(tools: unknown[], choice: unknown, directed: string | undefined): FunctionTool | null {
  const available = functionTools(tools);
  if (!available.length || choice === "none") return null;
  if (directed !== undefined) {
    const named = available.find((t) => t.name === directed);
    if (!named) throw new SandboxRequestError(400, `[sandbox:tool=${directed}] names no function in 'tools'.`, "tools", null);
    return named;
  }
  if (isRecord(choice) && choice.type === "function") {
    const name = isRecord(choice.function) ? choice.function.name : undefined;
    const named = available.find((t) => t.name === name);
    if (!named) throw new SandboxRequestError(400, `Invalid value for 'tool_choice': no function named '${String(name)}' was specified in 'tools'.`, "tool_choice", null);
    return named;
  }
  if (isRecord(choice) && choice.type === "allowed_tools" && isRecord(choice.allowed_tools) && Array.isArray(choice.allowed_tools.tools)) {
    const allowed = new Set(functionTools(choice.allowed_tools.tools).map((t) => t.name));
    for (const entry of choice.allowed_tools.tools) if (isRecord(entry) && typeof entry.name === "string") allowed.add(entry.name);
    return choice.allowed_tools.mode === "required" ? (available.find((t) => allowed.has(t.name)) ?? null) : null;
  }
  return choice === "required" ? available[0]! : null;
}

function readResponseFormat(format: unknown): SandboxRequest["responseFormat"] {
  if (!isRecord(format)) return { type: "text" };
  if (format.type === "json_object") return { type: "json_object" };
  if (format.type === "json_schema") {
    const spec = isRecord(format.json_schema) ? format.json_schema : {};
    return { type: "json_schema", schema: "schema" in spec ? spec.schema : {} };
  }
  return { type: "text" };
}

/** The trailing run of tool (or legacy function) results, named after the call they answer. */
function readToolResults(messages: Array<Record<string, unknown>>): SandboxRequest["toolResults"] {
  const names = new Map<string, string>();
  for (const message of messages) {
    if (message.role !== "assistant" || !Array.isArray(message.tool_calls)) continue;
    for (const call of message.tool_calls) {
      if (isRecord(call) && typeof call.id === "string" && isRecord(call.function) && typeof call.function.name === "string") names.set(call.id, call.function.name);
    }
  }
  const results: SandboxRequest["toolResults"] = [];
  for (let i = messages.length - 1; i >= 0; i--) {
    const message = messages[i];
    if (message.role === "tool") {
      const id = typeof message.tool_call_id === "string" ? message.tool_call_id : "";
      results.unshift({ name: names.get(id) ?? null, content: readContent(message.content).text });
    } else if (message.role === "function") {
      results.unshift({ name: typeof message.name === "string" ? message.name : null, content: readContent(message.content).text });
    } else break;
  }
  return results;
}
