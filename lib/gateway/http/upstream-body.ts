/** Reading upstream answers that are not streamed to the client. */
const MAX_UPSTREAM_BODY = 64 * 1024 * 1024;

export async function readAll(body: AsyncIterable<Uint8Array>, limit = MAX_UPSTREAM_BODY): Promise<Uint8Array> {
  const chunks: Uint8Array[] = [];
  let size = 0;
  for await (const chunk of body) {
    size += chunk.length;
    if (size > limit) throw new Error(`upstream answer larger than ${limit} bytes`);
    chunks.push(chunk);
  }
  return chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks);
}

/**
 * An upstream 4xx caused by the request is the caller's to see. OpenAI-shaped bodies pass unchanged;
 * so do Anthropic's (`{"type":"error","error":{"type","message"}}`, its error type as the code);
 * anything else (`{"detail": …}`, plain text) is wrapped in OpenAI's error shape with its message.
 */
export function relayedError(status: number, bytes: Uint8Array): { body: string | Uint8Array; code: string; message: string } {
  const text = Buffer.from(bytes).toString("utf8");
  try {
    const parsed = JSON.parse(text) as { type?: unknown; error?: { message?: unknown; code?: unknown; type?: unknown }; detail?: unknown; message?: unknown };
    if (parsed.error && typeof parsed.error.message === "string") {
      const { code, type } = parsed.error;
      const anthropicType = parsed.type === "error" && typeof type === "string" ? type : null;
      return { body: bytes, code: typeof code === "string" ? code : (anthropicType ?? `upstream_${status}`), message: parsed.error.message };
    }
    const message = typeof parsed.detail === "string" ? parsed.detail : typeof parsed.message === "string" ? parsed.message : text;
    return wrap(status, message);
  } catch {
    return wrap(status, text || `Upstream returned HTTP ${status}`);
  }
}

function wrap(status: number, message: string) {
  const code = `upstream_${status}`;
  return { body: JSON.stringify({ error: { message, type: "invalid_request_error", param: null, code } }), code, message };
}
