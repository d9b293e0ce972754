import { EXAMPLES, SANDBOX_MODEL } from "./examples";
import type { EndpointSlug } from "./reference";

/** Example calls shown on the landing page, the dashboard and the docs, with the real base URL. */
export function nodeQuickstart(origin: string, key = "sk-…your key…"): string {
  return `import OpenAI from "openai";

const client = new OpenAI({
  baseURL: "${origin}/v1",
  apiKey: "${key}",
});

const completion = await client.chat.completions.create({
  model: "sandbox-chat",
  messages: [{ role: "user", content: "Hello!" }],
});
console.log(completion.choices[0].message.content);`;
}

export function curlQuickstart(origin: string, key = "$ROOTAPI_KEY"): string {
  return `curl ${origin}/v1/chat/completions \\
  -H "Authorization: Bearer ${key}" \\
  -H "Content-Type: application/json" \\
  -d '{"model": "sandbox-chat", "messages": [{"role": "user", "content": "Hello!"}]}'`;
}

// --- reference snippets ------------------------------------------------------------------------

export type SnippetLanguage = "curl" | "python" | "node" | "aiSdk";

export interface ReferenceSnippet {
  language: SnippetLanguage;
  code: string;
}

/** What the snippets put where the key goes when the user has not pasted one. */
export const KEY_PLACEHOLDER = "sk-…";

const shellQuote = (text: string) => `'${text.replace(/'/g, `'\\''`)}'`;

/** A JSON value as a Python literal (JSON strings are Python strings; only the constants differ). */
function py(value: unknown, level = 0): string {
  if (value === null) return "None";
  if (value === true) return "True";
  if (value === false) return "False";
  if (typeof value !== "object") return JSON.stringify(value);
  const pad = "    ".repeat(level + 1);
  const end = "    ".repeat(level);
  if (Array.isArray(value)) return value.length ? `[\n${value.map((v) => pad + py(v, level + 1)).join(",\n")},\n${end}]` : "[]";
  const entries = Object.entries(value as Record<string, unknown>);
  const inline = `{${entries.map(([k, v]) => `${JSON.stringify(k)}: ${py(v, level + 1)}`).join(", ")}}`;
  if (inline.length <= 80) return inline;
  return `{\n${entries.map(([k, v]) => `${pad}${JSON.stringify(k)}: ${py(v, level + 1)}`).join(",\n")},\n${end}}`;
}

const pyArgs = (body: Record<string, unknown>) =>
  Object.entries(body)
    .map(([k, v]) => `    ${k}=${py(v, 1)},`)
    .join("\n");

const indentJson = (value: unknown, indent: string) => JSON.stringify(value, null, 2).replace(/\n/g, `\n${indent}`);

/** The SDK call (Python, Node) of each endpoint, with the example's ids and body. */
function sdkCalls(slug: EndpointSlug, body: Record<string, unknown> | undefined): { python: string; node: string } {
  const id = (EXAMPLES[slug].path.split("/")[2] ?? "").split("?")[0]!;
  const stream = body?.stream === true;
  switch (slug) {
    case "chat-completions":
      return stream
        ? {
            python: `stream = client.chat.completions.create(\n${pyArgs(body!)}\n)\nfor chunk in stream:\n    if chunk.choices and chunk.choices[0].delta.content:\n        print(chunk.choices[0].delta.content, end="", flush=True)`,
            node: `const stream = await client.chat.completions.create(${indentJson(body, "")});\nfor await (const chunk of stream) {\n  process.stdout.write(chunk.choices[0]?.delta?.content ?? "");\n}`,
          }
        : {
            python: `completion = client.chat.completions.create(\n${pyArgs(body!)}\n)\nprint(completion.choices[0].message.content)`,
            node: `const completion = await client.chat.completions.create(${indentJson(body, "")});\nconsole.log(completion.choices[0].message.content);`,
          };
    case "responses":
      return stream
        ? {
            python: `stream = client.responses.create(\n${pyArgs(body!)}\n)\nfor event in stream:\n    if event.type == "response.output_text.delta":\n        print(event.delta, end="", flush=True)`,
            node: `const stream = await client.responses.create(${indentJson(body, "")});\nfor await (const event of stream) {\n  if (event.type === "response.output_text.delta") process.stdout.write(event.delta);\n}`,
          }
        : {
            python: `response = client.responses.create(\n${pyArgs(body!)}\n)\nprint(response.output_text)`,
            node: `const response = await client.responses.create(${indentJson(body, "")});\nconsole.log(response.output_text);`,
          };
    case "embeddings":
      return {
        python: `response = client.embeddings.create(\n${pyArgs(body!)}\n)\nprint(response.data[0].embedding)`,
        node: `const response = await client.embeddings.create(${indentJson(body, "")});\nconsole.log(response.data[0].embedding);`,
      };
    case "responses-retrieve":
      return { python: `response = client.responses.retrieve("${id}")\nprint(response.output_text)`, node: `const response = await client.responses.retrieve("${id}");\nconsole.log(response.output_text);` };
    case "responses-delete":
      return { python: `client.responses.delete("${id}")`, node: `await client.responses.delete("${id}");` };
    case "responses-input-items":
      return {
        python: `items = client.responses.input_items.list("${id}", limit=20, order="asc")\nfor item in items:\n    print(item)`,
        node: `for await (const item of client.responses.inputItems.list("${id}", { limit: 20, order: "asc" })) {\n  console.log(item);\n}`,
      };
    case "models":
      return { python: `for model in client.models.list():\n    print(model.id)`, node: `for await (const model of client.models.list()) {\n  console.log(model.id);\n}` };
    case "models-retrieve":
      return { python: `model = client.models.retrieve("${id}")\nprint(model)`, node: `const model = await client.models.retrieve("${id}");\nconsole.log(model);` };
    case "messages":
    case "messages-count-tokens":
      throw new Error(`${slug} is called with Anthropic's SDKs (anthropicSnippets)`);
    case "billing-subscription":
    case "billing-usage": {
      const path = EXAMPLES[slug].path;
      return { python: `print(client.get("${path}", cast_to=object))`, node: `console.log(await client.get("${path}"));` };
    }
  }
}

function aiSdkSnippet(slug: EndpointSlug, baseUrl: string, key: string, body: Record<string, unknown>): string | null {
  if (slug === "embeddings") return aiSdkEmbedding(baseUrl, key, body);
  if (slug !== "chat-completions" && slug !== "responses") return null;
  const model = JSON.stringify(body.model ?? "sandbox-chat");
  const factory = slug === "responses" ? `rootapi.responses(${model})` : `rootapi.chat(${model})`;
  const prompt = JSON.stringify("Hello!");
  const head = [`import { createOpenAI } from "@ai-sdk/openai";`, `import { ${body.stream ? "streamText" : "generateText"} } from "ai";`, "", `const rootapi = createOpenAI({`, `  baseURL: ${JSON.stringify(baseUrl)},`, `  apiKey: ${JSON.stringify(key)},`, `});`, ""];
  const call = body.stream
    ? [`const result = streamText({ model: ${factory}, prompt: ${prompt} });`, `for await (const text of result.textStream) process.stdout.write(text);`]
    : [`const { text, usage } = await generateText({ model: ${factory}, prompt: ${prompt} });`, `console.log(text, usage);`];
  return [...head, ...call].join("\n");
}

/** The AI SDK's `embed` (one input; `embedMany` takes several). */
function aiSdkEmbedding(baseUrl: string, key: string, body: Record<string, unknown>): string {
  const value = typeof body.input === "string" ? body.input : "Hello!";
  const options = typeof body.dimensions === "number" ? `, dimensions: ${body.dimensions}` : "";
  return [
    `import { createOpenAI } from "@ai-sdk/openai";`,
    `import { embed } from "ai";`,
    "",
    `const rootapi = createOpenAI({`,
    `  baseURL: ${JSON.stringify(baseUrl)},`,
    `  apiKey: ${JSON.stringify(key)},`,
    `});`,
    "",
    `const { embedding, usage } = await embed({ model: rootapi.embedding(${JSON.stringify(body.model ?? "sandbox-embedding")}), value: ${JSON.stringify(value)}${options} });`,
    `console.log(embedding, usage);`,
  ].join("\n");
}

/** The `anthropic-version` the examples send (the one Anthropic's SDKs send). */
export const ANTHROPIC_VERSION = "2023-06-01";

/**
 * The Messages endpoints with Anthropic's own clients: curl with `x-api-key` and
 * `anthropic-version`, the `anthropic` Python and `@anthropic-ai/sdk` TypeScript SDKs — whose base
 * URL is the ORIGIN (they add /v1/messages themselves) — and the AI SDK's Anthropic provider, whose
 * baseURL includes /v1.
 */
function anthropicSnippets(slug: "messages" | "messages-count-tokens", origin: string, key: string, body: Record<string, unknown>): ReferenceSnippet[] {
  const example = EXAMPLES[slug];
  const stream = body.stream === true;
  const curl = [
    `curl ${stream ? "-N " : ""}"${origin}/v1${example.path}" \\`,
    `  -H "x-api-key: ${key}" \\`,
    `  -H "anthropic-version: ${ANTHROPIC_VERSION}" \\`,
    `  -H "content-type: application/json" \\`,
    `  -d ${shellQuote(JSON.stringify(body, null, 2))}`,
  ].join("\n");
  const pythonHead = ["import anthropic", "", `client = anthropic.Anthropic(base_url=${JSON.stringify(origin)}, api_key=${JSON.stringify(key)})`, ""];
  const nodeHead = [`import Anthropic from "@anthropic-ai/sdk";`, "", `const client = new Anthropic({ baseURL: ${JSON.stringify(origin)}, apiKey: ${JSON.stringify(key)} });`, ""];
  let python: string;
  let node: string;
  if (slug === "messages-count-tokens") {
    python = `count = client.messages.count_tokens(\n${pyArgs(body)}\n)\nprint(count.input_tokens)`;
    node = `const count = await client.messages.countTokens(${indentJson(body, "")});\nconsole.log(count.input_tokens);`;
  } else if (stream) {
    python = `stream = client.messages.create(\n${pyArgs(body)}\n)\nfor event in stream:\n    if event.type == "content_block_delta" and event.delta.type == "text_delta":\n        print(event.delta.text, end="", flush=True)`;
    node = `const stream = await client.messages.create(${indentJson(body, "")});\nfor await (const event of stream) {\n  if (event.type === "content_block_delta" && event.delta.type === "text_delta") process.stdout.write(event.delta.text);\n}`;
  } else {
    python = `message = client.messages.create(\n${pyArgs(body)}\n)\nprint(message.content[0].text)`;
    node = `const message = await client.messages.create(${indentJson(body, "")});\nconsole.log(message.content);`;
  }
  const snippets: ReferenceSnippet[] = [
    { language: "curl", code: curl },
    { language: "python", code: [...pythonHead, python].join("\n") },
    { language: "node", code: [...nodeHead, node].join("\n") },
  ];
  if (slug === "messages") {
    const model = JSON.stringify(body.model ?? SANDBOX_MODEL);
    const prompt = JSON.stringify("Hello!");
    const head = [`import { createAnthropic } from "@ai-sdk/anthropic";`, `import { ${stream ? "streamText" : "generateText"} } from "ai";`, "", `// The AI SDK's Anthropic provider takes the base URL with /v1.`, `const rootapi = createAnthropic({`, `  baseURL: ${JSON.stringify(`${origin}/v1`)},`, `  apiKey: ${JSON.stringify(key)},`, `});`, ""];
    const call = stream
      ? [`const result = streamText({ model: rootapi(${model}), prompt: ${prompt} });`, `for await (const text of result.textStream) process.stdout.write(text);`]
      : [`const { text, usage } = await generateText({ model: rootapi(${model}), prompt: ${prompt} });`, `console.log(text, usage);`];
    snippets.push({ language: "aiSdk", code: [...head, ...call].join("\n") });
  }
  return snippets;
}

/**
 * curl, Python (openai), Node (openai) and — for the generation endpoints — the Vercel AI SDK,
 * against `<origin>/v1` with the given key (a placeholder unless the user pasted one). The Messages
 * endpoints get Anthropic's SDKs instead.
 */
export function referenceSnippets(slug: EndpointSlug, origin: string, key = KEY_PLACEHOLDER, body = EXAMPLES[slug].body): ReferenceSnippet[] {
  if (slug === "messages" || slug === "messages-count-tokens") return anthropicSnippets(slug, origin, key, body ?? {});
  const example = EXAMPLES[slug];
  const baseUrl = `${origin}/v1`;
  const curlLines = [`curl ${body?.stream ? "-N " : ""}${example.method === "DELETE" ? "-X DELETE " : ""}"${baseUrl}${example.path}" \\`, `  -H "Authorization: Bearer ${key}"`];
  if (body) {
    curlLines[1] += " \\";
    curlLines.push(`  -H "Content-Type: application/json" \\`, `  -d ${shellQuote(JSON.stringify(body, null, 2))}`);
  }
  const calls = sdkCalls(slug, body);
  const python = ["from openai import OpenAI", "", `client = OpenAI(base_url=${JSON.stringify(baseUrl)}, api_key=${JSON.stringify(key)})`, "", calls.python].join("\n");
  const node = [`import OpenAI from "openai";`, "", `const client = new OpenAI({ baseURL: ${JSON.stringify(baseUrl)}, apiKey: ${JSON.stringify(key)} });`, "", calls.node].join("\n");
  const snippets: ReferenceSnippet[] = [
    { language: "curl", code: curlLines.join("\n") },
    { language: "python", code: python },
    { language: "node", code: node },
  ];
  const aiSdk = body ? aiSdkSnippet(slug, baseUrl, key, body) : null;
  if (aiSdk) snippets.push({ language: "aiSdk", code: aiSdk });
  return snippets;
}
