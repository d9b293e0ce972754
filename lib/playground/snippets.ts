import { DEFAULT_MESSAGES_MAX_TOKENS, type PlaygroundSettings } from "./types";

/**
 * "View code": the request the playground would send for its current settings and conversation,
 * as curl, Python and Node (openai's SDKs, or Anthropic's for the Messages API), against the user's base URL. The key is left as a
 * placeholder (ROOTAPI_KEY in the environment): the playground's own key is never shown.
 * Pure, so the browser renders it as the settings change.
 */
export interface SnippetTurn {
  role: "user" | "assistant";
  content: string;
}

export interface Snippets {
  curl: string;
  python: string;
  node: string;
}

const KEY_ENV = "ROOTAPI_KEY";

/** The /v1 request body for the settings and turns, in the shape of the chosen API. */
export function requestBody(settings: PlaygroundSettings, turns: readonly SnippetTurn[]): Record<string, unknown> {
  const history = turns.length ? turns.map((t) => ({ role: t.role, content: t.content })) : [{ role: "user", content: "Hello!" }];
  const body: Record<string, unknown> = { model: settings.model };
  if (settings.api === "messages") {
    // Anthropic's Messages: max_tokens is required, the system prompt is a parameter of its own.
    body.max_tokens = settings.maxTokens ?? DEFAULT_MESSAGES_MAX_TOKENS;
    if (settings.system) body.system = settings.system;
    body.messages = history;
    if (settings.temperature !== null) body.temperature = settings.temperature;
  } else if (settings.api === "responses") {
    if (settings.system) body.instructions = settings.system;
    body.input = history;
    if (settings.temperature !== null) body.temperature = settings.temperature;
    if (settings.maxTokens !== null) body.max_output_tokens = settings.maxTokens;
    // The conversation is sent whole, as the playground does (no previous_response_id).
    body.store = false;
  } else {
    body.messages = settings.system ? [{ role: "system", content: settings.system }, ...history] : history;
    if (settings.temperature !== null) body.temperature = settings.temperature;
    if (settings.maxTokens !== null) body.max_tokens = settings.maxTokens;
  }
  if (settings.stream) body.stream = true;
  return body;
}

const shellQuote = (text: string) => `'${text.replace(/'/g, `'\\''`)}'`;

/** A JSON value as a Python literal: JSON strings are valid Python strings; only the constants differ. */
function pythonLiteral(value: unknown, level = 0): string {
  if (value === null) return "None";
  if (value === true) return "True";
  if (value === false) return "False";
  if (typeof value === "string" || typeof value === "number") return JSON.stringify(value);
  const pad = "    ".repeat(level + 1);
  const end = "    ".repeat(level);
  if (Array.isArray(value)) {
    if (!value.length) return "[]";
    return `[\n${value.map((v) => pad + pythonLiteral(v, level + 1)).join(",\n")},\n${end}]`;
  }
  const entries = Object.entries(value as Record<string, unknown>);
  // Short dicts (a message) stay on one line.
  const inline = `{${entries.map(([k, v]) => `${JSON.stringify(k)}: ${pythonLiteral(v, level + 1)}`).join(", ")}}`;
  if (inline.length <= 100 && !inline.includes("\n")) return inline;
  return `{\n${entries.map(([k, v]) => `${pad}${JSON.stringify(k)}: ${pythonLiteral(v, level + 1)}`).join(",\n")},\n${end}}`;
}

function pythonArguments(body: Record<string, unknown>): string {
  return Object.entries(body)
    .map(([k, v]) => `    ${k}=${pythonLiteral(v, 1)},`)
    .join("\n");
}

/** The Messages API with Anthropic's clients: x-api-key and anthropic-version; the SDKs take the origin (no /v1). */
function messagesSnippets(baseUrl: string, settings: PlaygroundSettings, body: Record<string, unknown>): Snippets {
  const origin = baseUrl.replace(/\/v1\/?$/, "");
  const curl = [
    `curl ${settings.stream ? "-N " : ""}${baseUrl}/messages \\`,
    `  -H "x-api-key: $${KEY_ENV}" \\`,
    `  -H "anthropic-version: 2023-06-01" \\`,
    `  -H "content-type: application/json" \\`,
    `  -d ${shellQuote(JSON.stringify(body, null, 2))}`,
  ].join("\n");
  const python = [
    "import os",
    "import anthropic",
    "",
    `client = anthropic.Anthropic(base_url=${JSON.stringify(origin)}, api_key=os.environ[${JSON.stringify(KEY_ENV)}])`,
    "",
    `${settings.stream ? "stream" : "message"} = client.messages.create(`,
    pythonArguments(body),
    ")",
    settings.stream
      ? `for event in stream:\n    if event.type == "content_block_delta" and event.delta.type == "text_delta":\n        print(event.delta.text, end="", flush=True)\nprint()`
      : `print(message.content[0].text)\nprint(message.usage)`,
  ].join("\n");
  const node = [
    `import Anthropic from "@anthropic-ai/sdk";`,
    "",
    `const client = new Anthropic({ baseURL: ${JSON.stringify(origin)}, apiKey: process.env.${KEY_ENV} });`,
    "",
    `const ${settings.stream ? "stream" : "message"} = await client.messages.create(${JSON.stringify(body, null, 2)});`,
    settings.stream
      ? `for await (const event of stream) {\n  if (event.type === "content_block_delta" && event.delta.type === "text_delta") process.stdout.write(event.delta.text);\n}\nprocess.stdout.write("\\n");`
      : `console.log(message.content);\nconsole.log(message.usage);`,
  ].join("\n");
  return { curl, python, node };
}

export function buildSnippets(baseUrl: string, settings: PlaygroundSettings, turns: readonly SnippetTurn[]): Snippets {
  const body = requestBody(settings, turns);
  if (settings.api === "messages") return messagesSnippets(baseUrl, settings, body);
  const responses = settings.api === "responses";
  const path = responses ? "/responses" : "/chat/completions";

  const curl = [
    `curl ${settings.stream ? "-N " : ""}${baseUrl}${path} \\`,
    `  -H "Authorization: Bearer $${KEY_ENV}" \\`,
    `  -H "Content-Type: application/json" \\`,
    `  -d ${shellQuote(JSON.stringify(body, null, 2))}`,
  ].join("\n");

  const pyCall = responses ? "client.responses.create" : "client.chat.completions.create";
  const pyOutput = settings.stream
    ? responses
      ? `for event in stream:\n    if event.type == "response.output_text.delta":\n        print(event.delta, end="", flush=True)\nprint()`
      : `for chunk in stream:\n    if chunk.choices and chunk.choices[0].delta.content:\n        print(chunk.choices[0].delta.content, end="", flush=True)\nprint()`
    : responses
      ? `print(response.output_text)\nprint(response.usage)`
      : `print(response.choices[0].message.content)\nprint(response.usage)`;
  const python = [
    "import os",
    "from openai import OpenAI",
    "",
    `client = OpenAI(base_url=${JSON.stringify(baseUrl)}, api_key=os.environ[${JSON.stringify(KEY_ENV)}])`,
    "",
    `${settings.stream ? "stream" : "response"} = ${pyCall}(`,
    pythonArguments(body),
    ")",
    pyOutput,
  ].join("\n");

  const nodeCall = responses ? "client.responses.create" : "client.chat.completions.create";
  const nodeOutput = settings.stream
    ? responses
      ? `for await (const event of stream) {\n  if (event.type === "response.output_text.delta") process.stdout.write(event.delta);\n}\nprocess.stdout.write("\\n");`
      : `for await (const chunk of stream) {\n  process.stdout.write(chunk.choices[0]?.delta?.content ?? "");\n}\nprocess.stdout.write("\\n");`
    : responses
      ? `console.log(response.output_text);\nconsole.log(response.usage);`
      : `console.log(response.choices[0].message.content);\nconsole.log(response.usage);`;
  const node = [
    `import OpenAI from "openai";`,
    "",
    `const client = new OpenAI({ baseURL: ${JSON.stringify(baseUrl)}, apiKey: process.env.${KEY_ENV} });`,
    "",
    `const ${settings.stream ? "stream" : "response"} = await ${nodeCall}(${JSON.stringify(body, null, 2)});`,
    nodeOutput,
  ].join("\n");

  return { curl, python, node };
}
