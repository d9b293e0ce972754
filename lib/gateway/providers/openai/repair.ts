/**
 * Requests we translated into Chat Completions carry parameters the client never chose in that
 * form: Claude Code's `max_tokens: 64000` or its thinking budget as `reasoning_effort`. OpenAI's
 * reasoning models refuse `max_tokens` (they take `max_completion_tokens`), most other models
 * refuse `reasoning_effort`, and every model has its own output limit. A server's 400 that names
 * such a parameter is answered by adjusting it and asking again — as the client would have, had it
 * spoken Chat Completions itself. A client's own Chat Completions request is never changed.
 */
type Loose = Record<string, unknown>;

/** Parameters that may be left out: the server then uses its own default. */
const DROPPABLE = ["reasoning_effort", "temperature", "top_p", "stop", "parallel_tool_calls"] as const;
const TOKEN_LIMITS = ["max_tokens", "max_completion_tokens"] as const;

interface UpstreamComplaint {
  message: string;
  param: string | null;
}

function complaintOf(bytes: Uint8Array): UpstreamComplaint | null {
  try {
    const parsed = JSON.parse(Buffer.from(bytes).toString("utf8")) as { error?: { message?: unknown; param?: unknown } | string; message?: unknown; detail?: unknown };
    const error = typeof parsed.error === "object" && parsed.error ? parsed.error : null;
    const message = error?.message ?? (typeof parsed.error === "string" ? parsed.error : undefined) ?? parsed.message ?? parsed.detail;
    if (typeof message !== "string") return null;
    return { message, param: typeof error?.param === "string" ? error.param : null };
  } catch {
    return null;
  }
}

/** Whether the complaint is about this parameter: named as its `param`, or quoted in its message. */
const names = (complaint: UpstreamComplaint, key: string) =>
  complaint.param === key || new RegExp(`(^|[^a-z_])${key}([^a-z_]|$)`).test(complaint.message);

/** The body adjusted to what the server's 400 asked for, or null when the complaint is not one we can answer. */
export function repairedChatBody(body: Loose, errorBytes: Uint8Array): Loose | null {
  const complaint = complaintOf(errorBytes);
  if (!complaint) return null;
  const limit = TOKEN_LIMITS.find((key) => key in body && names(complaint, key));
  if (limit) {
    const atMost = /at most (\d+)/i.exec(complaint.message);
    if (atMost && Number(atMost[1]) > 0 && Number(atMost[1]) < Number(body[limit])) return { ...body, [limit]: Number(atMost[1]) };
    if (limit === "max_tokens" && /max_completion_tokens/.test(complaint.message)) {
      const { max_tokens: value, ...rest } = body;
      return { ...rest, max_completion_tokens: value };
    }
    return null;
  }
  const droppable = DROPPABLE.find((key) => key in body && names(complaint, key));
  if (!droppable) return null;
  const { [droppable]: _dropped, ...rest } = body;
  return rest;
}
