import { sampleJsonSchema } from "./json-schema-sample";
import type { FunctionTool, SandboxRequest } from "./request";
import { countTextTokens, decodeTokens, encodeText, truncateTokens } from "./token-text";

/**
 * What the sandbox "model" answers: a pure function of the request, so the same request always
 * produces the same reply (only ids and timestamps differ between calls).
 */
export type Reply =
  | { kind: "text"; tokens: number[]; content: string; finishReason: "stop" | "length" }
  | { kind: "tool_call"; name: string; arguments: string; completionTokens: number; finishReason: "tool_calls" | "length" };

/** Keeps answers short whatever the prompt length: about 40 words or 240 characters of echo. */
const EXCERPT_WORDS = 40;
const EXCERPT_CHARS = 240;

export function composeReply(request: SandboxRequest): Reply {
  if (request.toolToCall) return toolCallReply(request.toolToCall, request);
  const content = applyStop(replyText(request), request.stop);
  const all = encodeText(content);
  if (request.maxTokens !== null && all.length > request.maxTokens) {
    const tokens = truncateTokens(all, request.maxTokens);
    return { kind: "text", tokens, content: decodeTokens(tokens), finishReason: "length" };
  }
  return { kind: "text", tokens: all, content, finishReason: "stop" };
}

function toolCallReply(tool: FunctionTool, request: SandboxRequest): Reply {
  const parameters = tool.parameters === undefined ? { type: "object", properties: {} } : tool.parameters;
  const args = JSON.stringify(sampleJsonSchema(parameters, { text: request.lastUser?.text })) ?? "{}";
  const nameTokens = countTextTokens(tool.name);
  const argTokens = encodeText(args);
  if (request.maxTokens !== null && nameTokens + argTokens.length > request.maxTokens) {
    const kept = truncateTokens(argTokens, request.maxTokens - nameTokens);
    return { kind: "tool_call", name: tool.name, arguments: decodeTokens(kept), completionTokens: nameTokens + kept.length, finishReason: "length" };
  }
  return { kind: "tool_call", name: tool.name, arguments: args, completionTokens: nameTokens + argTokens.length, finishReason: "tool_calls" };
}

/** The full answer before stop sequences and max_tokens are applied. */
function replyText(request: SandboxRequest): string {
  const userText = request.lastUser?.text ?? "";
  switch (request.responseFormat.type) {
    case "json_object":
      return JSON.stringify({ echo: userText });
    case "json_schema":
      return JSON.stringify(sampleJsonSchema(request.responseFormat.schema, { text: userText })) ?? "null";
    case "text":
      return request.toolResults.length ? toolResultText(request.toolResults) : echoText(request);
  }
}

function echoText(request: SandboxRequest): string {
  const { model, lastUser, systemPrompt } = request;
  if (!lastUser) return `There is no user message for ${model} to echo.`;
  const words = countWords(lastUser.text);
  const chars = countCodePoints(lastUser.text);
  const images = lastUser.images ? `${lastUser.images} ${plural(lastUser.images, "image")}` : "";
  let said: string;
  if (lastUser.text.trim()) said = `You said: "${excerpt(lastUser.text)}"${images ? ` and ${images}` : ""}.`;
  else if (images) said = `You sent ${images} and no text.`;
  else said = "Your message was empty.";
  let answer = `${said} (${model} echoes your last message: ${describeWords(words)}, ${chars} ${plural(chars, "character")}.)`;
  if (systemPrompt?.trim()) {
    answer += ` It also read a system prompt of ${describeWords(countWords(systemPrompt))}.`;
  }
  return answer;
}

function toolResultText(results: SandboxRequest["toolResults"]): string {
  return results.map((r) => `The tool ${r.name ?? "call"} returned: ${excerpt(r.content, Math.floor(EXCERPT_WORDS / results.length) || 1)}`).join("\n");
}

/** Cuts at the earliest stop sequence; the sequence itself is not part of the output. */
function applyStop(content: string, stop: string[]): string {
  let cut = -1;
  for (const sequence of stop) {
    const at = content.indexOf(sequence);
    if (at !== -1 && (cut === -1 || at < cut)) cut = at;
  }
  return cut === -1 ? content : content.slice(0, cut);
}

/**
 * Words are counted exactly up to WORD_COUNT_CHARS and estimated from that prefix beyond: the
 * sandbox is free, so a multi-megabyte prompt must not cost the server more than a normal one.
 */
const WORD_COUNT_CHARS = 1 << 16;
type WordCount = { words: number; estimated: boolean };

function countWords(text: string): WordCount {
  const end = Math.min(text.length, WORD_COUNT_CHARS);
  let words = 0;
  let inWord = false;
  for (let i = 0; i < end; i++) {
    const code = text.charCodeAt(i);
    // ASCII whitespace and the Unicode spaces /\s/ knows, without a regex per word.
    const space = code === 32 || (code >= 9 && code <= 13) || code === 0xa0 || code === 0x1680 || (code >= 0x2000 && code <= 0x200a) || code === 0x2028 || code === 0x2029 || code === 0x202f || code === 0x205f || code === 0x3000 || code === 0xfeff;
    if (!space && !inWord) words++;
    inWord = !space;
  }
  if (end === text.length) return { words, estimated: false };
  return { words: Math.round((words * text.length) / end), estimated: true };
}

const describeWords = ({ words, estimated }: WordCount) => `${estimated ? "about " : ""}${words} ${plural(words, "word")}`;

/** Characters as a person counts them (code points), without materializing an array of them. */
const countCodePoints = (text: string) => text.length - (text.match(/[\uD800-\uDBFF][\uDC00-\uDFFF]/g)?.length ?? 0);

const plural = (n: number, word: string) => (n === 1 ? word : `${word}s`);

function excerpt(text: string, maxWords = EXCERPT_WORDS): string {
  // Only the start is shown: split no more of a long text than the excerpt can use.
  const considered = (maxWords + 1) * EXCERPT_CHARS;
  const words = text.slice(0, considered).split(/\s+/).filter(Boolean);
  let out = words.slice(0, maxWords).join(" ");
  let cut = words.length > maxWords || (text.length > considered && /\S/.test(text.slice(considered)));
  const chars = Array.from(out);
  if (chars.length > EXCERPT_CHARS) {
    out = chars.slice(0, EXCERPT_CHARS).join("");
    cut = true;
  }
  return cut ? `${out}…` : out;
}
