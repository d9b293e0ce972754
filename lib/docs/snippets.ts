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
