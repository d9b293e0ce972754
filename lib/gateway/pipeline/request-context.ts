import { randomId } from "../ids";
import type { Caller } from "./authenticate";
import type { Hold } from "../funds/holds";
import type { RequestRecord } from "../funds/settlement";
import { GatewayError } from "./errors";
import type { RequestSpan } from "../../observability/tracing";

/** Request ids double as idempotency keys for the request's ledger entry. */
export function newRequestId(): string {
  return randomId("req_");
}

/**
 * What one /v1 request has learned so far, filled in step by step and turned into its RequestLog
 * row at the end — whichever step it ended at.
 */
export class RequestContext {
  readonly id = newRequestId();
  readonly createdAt = new Date();
  private readonly started = performance.now();
  caller: Caller | null = null;
  hold: Hold | null = null;
  model: string | null = null;
  upstreamModel: string | null = null;
  channelId: string | null = null;
  stream = false;
  attempts = 0;
  ttfbMs: number | null = null;
  /** Tokens counted into the key's TPM window at admission (its bound), and when. */
  admittedTokens = 0;
  admittedAt = 0;
  /** The request's trace span; null unless tracing is on. */
  span: RequestSpan | null = null;

  constructor(readonly endpoint: string) {}

  elapsedMs(): number {
    return Math.round(performance.now() - this.started);
  }

  admitTokens(tokens: number): void {
    this.admittedTokens = tokens;
    this.admittedAt = Date.now();
  }

  markFirstByte(): void {
    this.ttfbMs ??= this.elapsedMs();
  }

  record(fields: Partial<RequestRecord> & { status: number }): RequestRecord {
    return {
      id: this.id,
      userId: this.caller?.userId ?? null,
      apiKeyId: this.caller?.keyId ?? null,
      channelId: this.channelId,
      model: this.model,
      upstreamModel: this.upstreamModel,
      endpoint: this.endpoint,
      stream: this.stream,
      promptTokens: 0,
      completionTokens: 0,
      cachedTokens: 0,
      cacheWriteTokens: 0,
      cacheWrite1hTokens: 0,
      reasoningTokens: 0,
      cost: 0n,
      estimated: false,
      latencyMs: this.elapsedMs(),
      ttfbMs: this.ttfbMs,
      attempts: this.attempts,
      errorCode: null,
      errorMessage: null,
      createdAt: this.createdAt,
      ...fields,
    };
  }

  errorRecord(error: GatewayError): RequestRecord {
    return this.record({ status: error.status, errorCode: error.code ?? error.type, errorMessage: error.message.slice(0, 1000) });
  }
}
