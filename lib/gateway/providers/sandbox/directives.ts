/**
 * `[sandbox:…]` directives: developer-facing switches embedded in the last user message so a test
 * can make the sandbox channel misbehave on purpose (see the list at the top of ../sandbox.ts).
 * Only well-formed, known directives are removed from the text; anything else stays in the echo so
 * a typo is visible in the answer instead of silently doing nothing.
 */
export interface Directives {
  /** Respond with this HTTP status (400–599) and an OpenAI error body. */
  status?: number;
  /** Milliseconds between streamed words; for a non-stream request, one wait before responding. */
  delayMs?: number;
  /** Stream only: throw from the body iterator after this many content chunks. */
  errorAfter?: number;
  /** Leave usage out of the response entirely. */
  noUsage: boolean;
  /** Call this function tool (it must be among the request's tools). */
  tool?: string;
}

/** Generous enough to outlast any channel timeout, small enough that a typo cannot hang a test run. */
export const MAX_DELAY_MS = 600_000;

const DIRECTIVE = /\[sandbox:(?:(status|delay|error_after)=(\d{1,9})|(no_usage)|tool=([A-Za-z0-9_.-]{1,64}))\]/gi;

export function parseDirectives(text: string): { text: string; directives: Directives } {
  const directives: Directives = { noUsage: false };
  const stripped = text.replace(DIRECTIVE, (_match, key: string | undefined, value: string | undefined, flag: string | undefined, tool: string | undefined) => {
    if (tool) {
      directives.tool = tool;
      return " ";
    }
    if (flag) {
      directives.noUsage = true;
      return " ";
    }
    const n = Number(value);
    switch (key?.toLowerCase()) {
      case "status":
        if (n >= 400 && n <= 599) directives.status = n;
        break;
      case "delay":
        directives.delayMs = Math.min(n, MAX_DELAY_MS);
        break;
      case "error_after":
        directives.errorAfter = n;
        break;
    }
    return " ";
  });
  return { text: stripped === text ? text : tidy(stripped), directives };
}

/** Removing a directive leaves a gap; collapse it without disturbing the user's own line breaks. */
function tidy(text: string): string {
  return text
    .replace(/[ \t]{2,}/g, " ")
    .replace(/[ \t]+(\n|$)/g, "$1")
    .replace(/(^|\n)[ \t]+/g, "$1")
    .trim();
}
