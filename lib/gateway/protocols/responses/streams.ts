import type { Metered } from "../../pipeline/meter";
import type { StreamTranslation } from "../../pipeline/protocol";
import type { ResponseObject } from "../../translate/responses/response-object";
import { ChatStreamTranslator, toSse, type ResponseStreamEvent } from "../../translate/responses/chat-stream-to-response-events";
import { sseData, SSE_DONE } from "../../http/sse";
import { hubChunk } from "../hub-events";
import { tenantJson, tenantSseEvent } from "../../tenant/tenant-text";
import { echoRequest, meterTurn, type ResponseJson, type Turn } from "./index";

const encoder = new TextEncoder();
const encode = (events: ResponseStreamEvent[]) => (events.length ? [encoder.encode(events.map(toSse).join(""))] : []);

/** A stream's terminal `error` event (what the SDKs raise as an APIError). */
function errorEvent(code: string, message: string): Uint8Array {
  return encoder.encode(`event: error\ndata: ${JSON.stringify({ type: "error", code, message, param: null, sequence_number: 0 })}\n\n`);
}

/** A Chat Completions stream (the hub) → Responses events, the finished response kept for storing. */
export class ChatToResponseEvents implements StreamTranslation {
  private readonly translator: ChatStreamTranslator;
  private closing: ResponseStreamEvent[] | null = null;

  constructor(
    private readonly turn: Turn,
    skeleton: ResponseObject,
  ) {
    this.translator = new ChatStreamTranslator(skeleton);
  }

  get complete(): boolean {
    return this.closing !== null;
  }

  start(): Uint8Array[] {
    return encode(this.translator.start());
  }

  push(event: Uint8Array): Uint8Array[] {
    const chunk = hubChunk(event);
    if (chunk === SSE_DONE) {
      this.closing = this.translator.finish();
      return [];
    }
    return chunk ? encode(this.translator.push(chunk)) : [];
  }

  close(): Uint8Array[] {
    return encode(this.closing ?? []);
  }

  /** response.failed with what was produced so far; once the response was finished, a bare error event. */
  fail(message: string, code: string): Uint8Array[] {
    const failed = this.translator.fail(message);
    return failed.length ? encode(failed) : [errorEvent(code, message)];
  }

  value(): ResponseJson {
    return this.translator.finalResponse() as unknown as ResponseJson;
  }

  metered(): Metered {
    return meterTurn(this.turn, this.value());
  }
}

const SNAPSHOT_EVENTS = new Set(["response.created", "response.in_progress", "response.completed", "response.incomplete", "response.failed"]);
const FINAL_EVENTS = new Set(["response.completed", "response.incomplete", "response.failed"]);

/**
 * A Responses stream from an upstream that speaks it: events pass as they are, except the response
 * snapshots, which show the client's own previous_response_id and store flag (and a failed
 * response's error text redacted).
 */
export class ResponseEventRelay implements StreamTranslation {
  private latest: ResponseJson;
  private held: Uint8Array | null = null;
  status = 200;

  constructor(
    private readonly turn: Turn,
    placeholderId: string,
  ) {
    this.latest = { id: placeholderId, output: [] };
  }

  get complete(): boolean {
    return this.held !== null;
  }

  push(event: Uint8Array): Uint8Array[] {
    const data = sseData(event);
    const parsed = data && data !== SSE_DONE ? (JSON.parse(data) as { type?: string; response?: ResponseJson }) : null;
    if (!parsed?.type || !SNAPSHOT_EVENTS.has(parsed.type) || !parsed.response) return [tenantSseEvent(event)];
    this.latest = echoRequest(this.turn, parsed.response);
    if (parsed.type === "response.failed" && this.latest.error) this.latest = { ...this.latest, error: tenantJson(this.latest.error) };
    const rewritten = encoder.encode(`event: ${parsed.type}\ndata: ${JSON.stringify({ ...parsed, response: this.latest })}\n\n`);
    if (!FINAL_EVENTS.has(parsed.type)) return [rewritten];
    if (parsed.type === "response.failed") this.status = 502;
    this.held = rewritten;
    return [];
  }

  close(): Uint8Array[] {
    return this.held ? [this.held] : [];
  }

  fail(message: string, code: string): Uint8Array[] {
    return [errorEvent(code, message)];
  }

  value(): ResponseJson {
    return this.latest;
  }

  metered(): Metered {
    return meterTurn(this.turn, this.latest);
  }
}
