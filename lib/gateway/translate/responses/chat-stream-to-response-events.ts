import { newItemId } from "../../../schemas/responses";
import {
  endingOf,
  finishedResponse,
  logprobsFromChat,
  nowSeconds,
  usageFromChat,
  type ChatUsage,
  type FunctionCallOutputItem,
  type ItemStatus,
  type LogProb,
  type OutputContent,
  type OutputItem,
  type OutputMessage,
  type OutputTextContent,
  type ReasoningOutputItem,
  type RefusalContent,
  type ResponseObject,
  type ResponseUsage,
  type TranslationOptions,
} from "./response-object";
import { chatReasoning } from "./chat-to-response";

/**
 * A Chat Completions stream → Responses API stream events.
 *
 * Items open in the order their first delta arrives. Reasoning and message items are closed as
 * soon as the model moves on to something else (as OpenAI streams them); function calls stay open
 * until finish(), because chat servers may interleave argument fragments of parallel calls by
 * `index`. A call is announced (output_item.added) once its name is known; fragments that arrive
 * earlier are held and sent right after. Reasoning text (`reasoning_content`/`reasoning`) streams
 * as a reasoning item's summary (see translate-response.ts for why).
 */

export type ResponseStreamEvent =
  | { type: "response.created" | "response.in_progress" | "response.completed" | "response.incomplete" | "response.failed"; response: ResponseObject; sequence_number: number }
  | { type: "response.output_item.added" | "response.output_item.done"; output_index: number; item: OutputItem; sequence_number: number }
  | { type: "response.content_part.added" | "response.content_part.done"; item_id: string; output_index: number; content_index: number; part: OutputContent; sequence_number: number }
  | { type: "response.output_text.delta"; item_id: string; output_index: number; content_index: number; delta: string; logprobs: LogProb[]; sequence_number: number }
  | { type: "response.output_text.done"; item_id: string; output_index: number; content_index: number; text: string; logprobs: LogProb[]; sequence_number: number }
  | { type: "response.refusal.delta"; item_id: string; output_index: number; content_index: number; delta: string; sequence_number: number }
  | { type: "response.refusal.done"; item_id: string; output_index: number; content_index: number; refusal: string; sequence_number: number }
  | { type: "response.function_call_arguments.delta"; item_id: string; output_index: number; delta: string; sequence_number: number }
  | { type: "response.function_call_arguments.done"; item_id: string; output_index: number; name: string; arguments: string; sequence_number: number }
  | {
      type: "response.reasoning_summary_part.added" | "response.reasoning_summary_part.done";
      item_id: string;
      output_index: number;
      summary_index: number;
      part: { type: "summary_text"; text: string };
      sequence_number: number;
    }
  | { type: "response.reasoning_summary_text.delta"; item_id: string; output_index: number; summary_index: number; delta: string; sequence_number: number }
  | { type: "response.reasoning_summary_text.done"; item_id: string; output_index: number; summary_index: number; text: string; sequence_number: number };

type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;
type EventBody = DistributiveOmit<ResponseStreamEvent, "sequence_number">;

/** One server-sent event as OpenAI writes it: the `event:` line names the type, `data:` holds the JSON. */
export function toSse(event: ResponseStreamEvent): string {
  return `event: ${event.type}\ndata: ${JSON.stringify(event)}\n\n`;
}

type Loose = Record<string, unknown>;
const isObject = (value: unknown): value is Loose => value !== null && typeof value === "object" && !Array.isArray(value);
const str = (value: unknown): string => (typeof value === "string" ? value : "");
const clone = <T>(value: T): T => structuredClone(value);

interface OpenMessage {
  kind: "message";
  outputIndex: number;
  item: OutputMessage;
  part: { index: number; content: OutputContent } | null;
}
interface OpenReasoning {
  kind: "reasoning";
  outputIndex: number;
  item: ReasoningOutputItem & { summary: [{ type: "summary_text"; text: string }] };
}
interface OpenCall {
  /** -1 until announced. */
  outputIndex: number;
  item: FunctionCallOutputItem;
  /** Argument fragments received before the call could be announced. */
  held: string;
}

export class ChatStreamTranslator {
  private sequence = 0;
  private started = false;
  private ended = false;
  private readonly response: ResponseObject;
  private readonly output: OutputItem[] = [];
  private current: OpenMessage | OpenReasoning | null = null;
  private readonly calls: OpenCall[] = [];
  private readonly callsByIndex = new Map<number, OpenCall>();
  private finishReason: unknown = null;
  private usage: ResponseUsage | null = null;
  private final: ResponseObject | null = null;
  private readonly newId: NonNullable<TranslationOptions["newId"]>;
  private readonly now: () => number;

  constructor(skeleton: ResponseObject, options: TranslationOptions = {}) {
    this.response = { ...clone(skeleton), status: "in_progress", output: [] };
    this.newId = options.newId ?? newItemId;
    this.now = options.now ?? nowSeconds;
  }

  /** response.created, then response.in_progress. */
  start(): ResponseStreamEvent[] {
    if (this.started) return [];
    this.started = true;
    return [this.emit({ type: "response.created", response: this.snapshot() }), this.emit({ type: "response.in_progress", response: this.snapshot() })];
  }

  /** One parsed chat.completion.chunk; returns the events it produces (often none). */
  push(chunk: unknown): ResponseStreamEvent[] {
    if (this.ended) return [];
    const events = this.start();
    if (!isObject(chunk)) return events;
    if (isObject(chunk.usage)) this.usage = usageFromChat(chunk.usage as ChatUsage);
    const choices = Array.isArray(chunk.choices) ? chunk.choices.filter(isObject) : [];
    // Responses has no `n`: choice 0 is the answer.
    const choice = choices.find((c) => (c.index ?? 0) === 0);
    if (!choice) return events;
    const delta = isObject(choice.delta) ? choice.delta : {};

    const reasoning = chatReasoning(delta);
    if (reasoning) this.reasoningDelta(reasoning, events);
    const text = str(delta.content);
    if (text) this.textDelta(text, isObject(choice.logprobs) ? logprobsFromChat(choice.logprobs.content) : [], events);
    const refusal = str(delta.refusal);
    if (refusal) this.refusalDelta(refusal, events);
    if (Array.isArray(delta.tool_calls)) for (const call of delta.tool_calls) if (isObject(call)) this.toolCallDelta(call, events);

    if (choice.finish_reason != null) this.finishReason = choice.finish_reason;
    return events;
  }

  /**
   * Call once the chat stream has ended (its usage chunk comes after the finish_reason chunk).
   * Closes every open item in output order and ends with response.completed, or
   * response.incomplete when the model was cut off. `usage` replaces what the upstream sent (or
   * stands in when it sent none). A stream that ended without a finish_reason counts as completed.
   */
  finish(options: { usage?: ResponseUsage } = {}): ResponseStreamEvent[] {
    if (this.ended) return [];
    const events = this.start();
    for (const call of this.calls) if (call.outputIndex < 0) this.announce(call, events);

    const ending = endingOf(this.finishReason);
    const last = this.output.at(-1);
    const statusOf = (item: OutputItem): ItemStatus => (ending.status === "incomplete" && item === last ? "incomplete" : "completed");

    const open: Array<{ outputIndex: number; close: () => void }> = this.calls.map((call) => ({
      outputIndex: call.outputIndex,
      close: () => this.closeCall(call, statusOf(call.item), events),
    }));
    const current = this.current;
    if (current) open.push({ outputIndex: current.outputIndex, close: () => this.closeCurrent(events, statusOf(current.item)) });
    for (const entry of open.sort((a, b) => a.outputIndex - b.outputIndex)) entry.close();

    // An answer that is nothing at all is still a message, as OpenAI sends it (an empty text).
    if (ending.status === "completed" && !this.output.some((item) => item.type !== "reasoning")) {
      this.openPart(this.openMessage(events), "output_text", events);
      this.closeCurrent(events, "completed");
    }

    this.ended = true;
    this.final = finishedResponse(this.response, {
      finishReason: this.finishReason,
      output: clone(this.output),
      usage: options.usage ?? this.usage,
      now: this.now(),
    });
    events.push(this.emit({ type: ending.status === "completed" ? "response.completed" : "response.incomplete", response: clone(this.final) }));
    return events;
  }

  /**
   * The upstream failed mid-stream: response.failed with what was produced so far (items still
   * open are marked incomplete, without done events: they never finished).
   */
  fail(message: string, code = "server_error"): ResponseStreamEvent[] {
    if (this.ended) return [];
    const events = this.start();
    this.ended = true;
    const output = clone(this.output);
    const open = new Set<string>([...(this.current ? [this.current.item.id] : []), ...this.calls.filter((c) => c.outputIndex >= 0).map((c) => c.item.id)]);
    for (const item of output) if (item.type !== "reasoning" && open.has(item.id)) item.status = "incomplete";
    this.final = { ...this.response, status: "failed", error: { code, message }, output, usage: this.usage };
    events.push(this.emit({ type: "response.failed", response: clone(this.final) }));
    return events;
  }

  /** The finished Response once finish() or fail() ran; before that, a snapshot of the output so far. */
  finalResponse(): ResponseObject {
    return clone(this.final ?? { ...this.response, output: this.output, usage: this.usage });
  }

  // --- internals -------------------------------------------------------------------------------

  private emit(event: EventBody): ResponseStreamEvent {
    return { ...event, sequence_number: this.sequence++ } as ResponseStreamEvent;
  }

  private snapshot(): ResponseObject {
    return clone({ ...this.response, output: this.output });
  }

  private addItem(item: OutputItem, events: ResponseStreamEvent[]): number {
    const outputIndex = this.output.length;
    events.push(this.emit({ type: "response.output_item.added", output_index: outputIndex, item: clone(item) }));
    this.output.push(item);
    return outputIndex;
  }

  private reasoningDelta(delta: string, events: ResponseStreamEvent[]): void {
    let open = this.current;
    if (open?.kind !== "reasoning") {
      this.closeCurrent(events, "completed");
      const item: ReasoningOutputItem = { id: this.newId("rs"), type: "reasoning", summary: [] };
      const outputIndex = this.addItem(item, events);
      const part = { type: "summary_text" as const, text: "" };
      events.push(this.emit({ type: "response.reasoning_summary_part.added", item_id: item.id, output_index: outputIndex, summary_index: 0, part: clone(part) }));
      item.summary.push(part);
      open = this.current = { kind: "reasoning", outputIndex, item: item as OpenReasoning["item"] };
    }
    open.item.summary[0].text += delta;
    events.push(this.emit({ type: "response.reasoning_summary_text.delta", item_id: open.item.id, output_index: open.outputIndex, summary_index: 0, delta }));
  }

  private openMessage(events: ResponseStreamEvent[]): OpenMessage {
    if (this.current?.kind === "message") return this.current;
    this.closeCurrent(events, "completed");
    const item: OutputMessage = { id: this.newId("msg"), type: "message", status: "in_progress", role: "assistant", content: [] };
    const outputIndex = this.addItem(item, events);
    return (this.current = { kind: "message", outputIndex, item, part: null });
  }

  private openPart(message: OpenMessage, type: OutputContent["type"], events: ResponseStreamEvent[]): OutputContent {
    if (message.part?.content.type === type) return message.part.content;
    this.closePart(message, events);
    const content: OutputContent = type === "output_text" ? { type, text: "", annotations: [], logprobs: [] } : { type, refusal: "" };
    const index = message.item.content.length;
    events.push(this.emit({ type: "response.content_part.added", item_id: message.item.id, output_index: message.outputIndex, content_index: index, part: clone(content) }));
    message.item.content.push(content);
    message.part = { index, content };
    return content;
  }

  private textDelta(delta: string, logprobs: LogProb[], events: ResponseStreamEvent[]): void {
    const message = this.openMessage(events);
    const part = this.openPart(message, "output_text", events) as OutputTextContent;
    part.text += delta;
    part.logprobs.push(...logprobs);
    events.push(this.emit({ type: "response.output_text.delta", item_id: message.item.id, output_index: message.outputIndex, content_index: message.part!.index, delta, logprobs }));
  }

  private refusalDelta(delta: string, events: ResponseStreamEvent[]): void {
    const message = this.openMessage(events);
    const part = this.openPart(message, "refusal", events) as RefusalContent;
    part.refusal += delta;
    events.push(this.emit({ type: "response.refusal.delta", item_id: message.item.id, output_index: message.outputIndex, content_index: message.part!.index, delta }));
  }

  private closePart(message: OpenMessage, events: ResponseStreamEvent[]): void {
    const open = message.part;
    if (!open) return;
    message.part = null;
    const where = { item_id: message.item.id, output_index: message.outputIndex, content_index: open.index };
    const content = open.content;
    if (content.type === "output_text") events.push(this.emit({ type: "response.output_text.done", ...where, text: content.text, logprobs: clone(content.logprobs) }));
    else events.push(this.emit({ type: "response.refusal.done", ...where, refusal: content.refusal }));
    events.push(this.emit({ type: "response.content_part.done", ...where, part: clone(content) }));
  }

  /** Closes the open message or reasoning item, if any. */
  private closeCurrent(events: ResponseStreamEvent[], status: ItemStatus): void {
    const open = this.current;
    if (!open) return;
    this.current = null;
    if (open.kind === "reasoning") {
      const where = { item_id: open.item.id, output_index: open.outputIndex, summary_index: 0 };
      const part = open.item.summary[0];
      events.push(this.emit({ type: "response.reasoning_summary_text.done", ...where, text: part.text }));
      events.push(this.emit({ type: "response.reasoning_summary_part.done", ...where, part: clone(part) }));
    } else {
      this.closePart(open, events);
      open.item.status = status;
    }
    events.push(this.emit({ type: "response.output_item.done", output_index: open.outputIndex, item: clone(open.item) }));
  }

  /** Chat tool call fragments are matched by `index`; servers that omit it send whole calls by id. */
  private callFor(fragment: Loose): OpenCall {
    const index = typeof fragment.index === "number" ? fragment.index : null;
    const id = str(fragment.id);
    let call = index !== null ? this.callsByIndex.get(index) : this.calls.find((c) => id && c.item.call_id === id) ?? (id ? undefined : this.calls.at(-1));
    if (!call) {
      call = { outputIndex: -1, held: "", item: { id: this.newId("fc"), type: "function_call", status: "in_progress", call_id: "", name: "", arguments: "" } };
      this.calls.push(call);
      if (index !== null) this.callsByIndex.set(index, call);
    }
    return call;
  }

  private toolCallDelta(fragment: Loose, events: ResponseStreamEvent[]): void {
    const call = this.callFor(fragment);
    const fn = isObject(fragment.function) ? fragment.function : {};
    if (!call.item.call_id && str(fragment.id)) call.item.call_id = str(fragment.id);
    if (!call.item.name && str(fn.name)) call.item.name = str(fn.name);
    const args = str(fn.arguments);
    if (call.outputIndex < 0) {
      call.held += args;
      if (call.item.name) this.announce(call, events);
      return;
    }
    if (args) this.argumentsDelta(call, args, events);
  }

  private announce(call: OpenCall, events: ResponseStreamEvent[]): void {
    // The model moved on from text to calling: that text is finished.
    this.closeCurrent(events, "completed");
    call.item.call_id ||= this.newId("call");
    call.outputIndex = this.addItem(call.item, events);
    const held = call.held;
    call.held = "";
    if (held) this.argumentsDelta(call, held, events);
  }

  private argumentsDelta(call: OpenCall, delta: string, events: ResponseStreamEvent[]): void {
    call.item.arguments += delta;
    events.push(this.emit({ type: "response.function_call_arguments.delta", item_id: call.item.id, output_index: call.outputIndex, delta }));
  }

  private closeCall(call: OpenCall, status: ItemStatus, events: ResponseStreamEvent[]): void {
    const { item } = call;
    events.push(this.emit({ type: "response.function_call_arguments.done", item_id: item.id, output_index: call.outputIndex, name: item.name, arguments: item.arguments }));
    item.status = status;
    events.push(this.emit({ type: "response.output_item.done", output_index: call.outputIndex, item: clone(item) }));
  }
}
