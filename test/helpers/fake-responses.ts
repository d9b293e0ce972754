/** Realistic Responses API answers from a "native" upstream, for tests. */
let counter = 0;

export function nativeResponse(text: string, usage = { input_tokens: 30, output_tokens: 6 }, extra: Record<string, unknown> = {}) {
  const n = ++counter;
  return {
    id: `resp_native_${n}_${Date.now()}`,
    object: "response",
    created_at: 1_700_000_000,
    status: "completed",
    error: null,
    incomplete_details: null,
    instructions: null,
    max_output_tokens: null,
    model: "upstream-native-model",
    output: [{ id: `msg_native_${n}`, type: "message", status: "completed", role: "assistant", content: [{ type: "output_text", text, annotations: [], logprobs: [] }] }],
    parallel_tool_calls: true,
    previous_response_id: null,
    reasoning: { effort: null, summary: null },
    store: false,
    temperature: 1,
    text: { format: { type: "text" } },
    tool_choice: "auto",
    tools: [],
    top_p: 1,
    truncation: "disabled",
    usage: { ...usage, total_tokens: usage.input_tokens + usage.output_tokens, input_tokens_details: { cached_tokens: 0 }, output_tokens_details: { reasoning_tokens: 0 } },
    user: null,
    metadata: {},
    ...extra,
  };
}

/** The SSE event sequence OpenAI sends for a streamed text answer. */
export function nativeStreamEvents(text: string, usage = { input_tokens: 30, output_tokens: 6 }): string[] {
  const final = nativeResponse(text, usage);
  const inProgress = { ...final, status: "in_progress", output: [], usage: null };
  const item = final.output[0]!;
  const words = text.split(/(?= )/);
  let seq = 0;
  const ev = (type: string, body: Record<string, unknown>) => `event: ${type}\ndata: ${JSON.stringify({ type, sequence_number: seq++, ...body })}\n\n`;
  return [
    ev("response.created", { response: inProgress }),
    ev("response.in_progress", { response: inProgress }),
    ev("response.output_item.added", { output_index: 0, item: { ...item, status: "in_progress", content: [] } }),
    ev("response.content_part.added", { item_id: item.id, output_index: 0, content_index: 0, part: { type: "output_text", text: "", annotations: [], logprobs: [] } }),
    ...words.map((w) => ev("response.output_text.delta", { item_id: item.id, output_index: 0, content_index: 0, delta: w, logprobs: [] })),
    ev("response.output_text.done", { item_id: item.id, output_index: 0, content_index: 0, text, logprobs: [] }),
    ev("response.content_part.done", { item_id: item.id, output_index: 0, content_index: 0, part: item.content[0] }),
    ev("response.output_item.done", { output_index: 0, item }),
    ev("response.completed", { response: final }),
  ];
}
