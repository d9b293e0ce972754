import type { z } from "zod";
import type { Price } from "../../billing/pricing";
import type { Caller } from "./authenticate";
import type { RoutedChannel } from "../routing/catalog";
import type { Gateway } from "../context";
import type { GatewayError } from "./errors";
import type { GatewayRequest, GatewayResponse } from "../http/types";
import type { Metered } from "./meter";
import type { Provider, UpstreamResponse } from "../providers/types";
import type { RequestContext } from "./request-context";
import type { TokenBound } from "./steps";

/**
 * A protocol is a wire format clients speak to us (Chat Completions, Responses, Messages). The
 * pipeline (run.ts) does everything every request needs; a protocol says only what differs: how
 * the key is presented, what a valid body is, what an error looks like, and — per request, in an
 * Exchange — how to call a channel and how the answer reaches the client.
 */
export interface Protocol<T extends ModelRequest> {
  /** Logged as the request's endpoint. */
  readonly endpoint: string;
  readonly schema: z.ZodType<T>;
  /** The API key as this protocol's clients send it: null when there is none. */
  apiKey(req: GatewayRequest): string | null;
  /** What a request without a key is told. */
  readonly missingKeyMessage: string;
  /** A header besides x-request-id that carries the request id, where the protocol's SDKs look for one. */
  readonly requestIdHeader?: string;
  /** An error of ours in this protocol's shape. */
  errorResponse(error: GatewayError, requestId: string): GatewayResponse;
  /** Everything about one validated request that depends on its protocol. */
  exchange(opened: Opened<T>, ctx: RequestContext, gw: Gateway): Promise<Exchange>;
}

export interface ModelRequest {
  model: string;
  stream?: boolean | null;
}

/** A request that passed the opening steps: who calls, what they sent, where it can go, its price. */
export interface Opened<T> {
  req: GatewayRequest;
  caller: Caller;
  /** The body's bytes as received. */
  bytes: Uint8Array;
  body: Record<string, unknown>;
  request: T;
  channels: readonly RoutedChannel[];
  price: Price;
}

export interface Exchange {
  /** The most tokens it can use: what is admitted against TPM and held against the balance. */
  readonly bound: TokenBound;
  /** The channels it may go to, in the order to try them. */
  readonly channels: readonly RoutedChannel[];
  /**
   * Calls one channel — natively when its provider speaks the client's protocol, otherwise through
   * the hub (Chat Completions). Remembers which, for reading the answer.
   */
  send(provider: Provider, channel: RoutedChannel, upstreamModel: string, signal: AbortSignal): Promise<UpstreamResponse>;
  /** An upstream's refusal (4xx) of the last call, in the client's protocol: relayed, not charged. */
  upstreamError(status: number, bytes: Uint8Array): RelayedError;
  /** A whole answer of the last call (`json` undefined when it was not JSON), for the client. */
  answer(bytes: Uint8Array, json: unknown): Answer;
  /** How the last call's event stream reaches the client. */
  stream(): StreamTranslation;
  /**
   * Runs once the answer is complete, before the client hears so (Responses store the turn here,
   * so that it can be continued at once). A failure is what the request ends with; it is billed.
   */
  completed?(answer: unknown): Promise<GatewayError | null>;
}

export interface RelayedError {
  body: string | Uint8Array;
  code: string;
  message: string;
}

export interface Answer {
  body: string | Uint8Array;
  metered: Metered;
  /** What `completed` gets: the answer in the client's protocol. */
  value?: unknown;
  contentType?: string;
}

/**
 * One upstream event stream on its way to the client, event by event: relayed, rewritten or
 * translated into the client's protocol, and metered as it passes.
 */
export interface StreamTranslation {
  /** Events the client gets before the upstream's first (Responses' `response.created`). */
  start?(): Uint8Array[];
  /** One upstream SSE event (raw bytes) → what the client gets now. Throws on an upstream error event. */
  push(event: Uint8Array): Uint8Array[];
  /** Whether the upstream's last event has arrived: the answer is complete. */
  readonly complete: boolean;
  /** The final events, held back until the completed answer is settled. */
  close(): Uint8Array[];
  /** The terminal error event of a stream that cannot go on, in the client's protocol. */
  fail(message: string, code: string): Uint8Array[];
  /** Usage the upstream reported, or counted from what streamed (estimated). */
  metered(): Metered;
  /** What `completed` gets. */
  value?(): unknown;
  /** The status a completed answer is logged with, when not 200 (an upstream's own failed response). */
  readonly status?: number;
}
