/**
 * Pulls the generated text out of a growing server-sent event stream, as the three APIs stream it:
 * Chat Completions chunks (choices[0].delta.content), Responses events
 * (response.output_text.delta) and Anthropic's Messages events (content_block_delta with a text_delta). Feed it the body as it arrives; it keeps the unfinished event.
 */
export class SseTextCollector {
  private buffer = "";
  text = "";
  events = 0;

  /** Adds a piece of the body; returns true when new text was found. */
  push(piece: string): boolean {
    this.buffer += piece.replace(/\r\n/g, "\n");
    let grew = false;
    for (;;) {
      const end = this.buffer.indexOf("\n\n");
      if (end === -1) break;
      const block = this.buffer.slice(0, end);
      this.buffer = this.buffer.slice(end + 2);
      const data = block
        .split("\n")
        .filter((line) => line.startsWith("data:"))
        .map((line) => line.slice(5).trimStart())
        .join("\n");
      if (!data || data === "[DONE]") continue;
      this.events++;
      const delta = deltaOf(data);
      if (delta) {
        this.text += delta;
        grew = true;
      }
    }
    return grew;
  }
}

function deltaOf(data: string): string | null {
  try {
    const event = JSON.parse(data) as { type?: unknown; delta?: unknown; choices?: Array<{ delta?: { content?: unknown } }> };
    if (event.type === "response.output_text.delta" && typeof event.delta === "string") return event.delta;
    if (event.type === "content_block_delta") {
      const delta = event.delta as { type?: unknown; text?: unknown } | null;
      return delta?.type === "text_delta" && typeof delta.text === "string" ? delta.text : null;
    }
    const content = event.choices?.[0]?.delta?.content;
    return typeof content === "string" ? content : null;
  } catch {
    return null;
  }
}
