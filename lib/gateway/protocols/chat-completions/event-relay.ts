import type { Metered } from "../../pipeline/meter";
import { StreamMeter } from "../../pipeline/meter";
import type { StreamTranslation } from "../../pipeline/protocol";
import { sseEvent } from "../../http/sse";
import { tenantSseEvent } from "../../tenant/tenant-text";

/**
 * A Chat Completions stream relayed to a Chat Completions client: events pass unchanged (upstream
 * secrets redacted), except the usage-only chunk we asked for on the client's behalf; `[DONE]` is
 * held until the answer is settled.
 */
export class ChatEventRelay implements StreamTranslation {
  private readonly meter: StreamMeter;
  private held: Uint8Array | null = null;

  constructor(
    clientWantsUsage: boolean,
    private readonly promptTokens: () => number,
  ) {
    this.meter = new StreamMeter(clientWantsUsage);
  }

  get complete(): boolean {
    return this.held !== null;
  }

  push(event: Uint8Array): Uint8Array[] {
    if (!this.meter.accept(event)) return [];
    if (this.meter.done) {
      this.held = event;
      return [];
    }
    return [tenantSseEvent(event)];
  }

  close(): Uint8Array[] {
    return this.held ? [this.held] : [];
  }

  fail(message: string, code: string): Uint8Array[] {
    return [sseEvent(JSON.stringify({ error: { message, type: "server_error", param: null, code } }))];
  }

  metered(): Metered {
    return this.meter.result(this.promptTokens);
  }
}
