import { countTokensRequestSchema } from "../../../schemas/messages";
import { authenticateKey } from "../../pipeline/authenticate";
import { getCatalog, upstreamModel } from "../../routing/catalog";
import { getGateway, type Gateway } from "../../context";
import { gatewayJson, type GatewayRequest, type GatewayResponse } from "../../http/types";
import { estimatePromptTokens } from "../../pipeline/meter";
import { getProvider } from "../../providers";
import { readAnswer, relay } from "../../pipeline/relay";
import { newRequestId } from "../../pipeline/request-context";
import { orderChannels } from "../../routing/order";
import { admit, failureOf, resolveModel } from "../../pipeline/steps";
import { tenantBytes } from "../../tenant/tenant-text";
import { Untranslatable } from "../../translate/hub";
import { messagesToChat } from "../../translate/anthropic/messages-to-chat";
import { parseJsonBody, validate } from "../../pipeline/validate";
import { anthropicErrorResponse, anthropicRelayedError } from "./errors";
import { anthropicApiKey, anthropicHeaders, MISSING_ANTHROPIC_KEY } from "./index";
import { countMessagesPrompt } from "./usage";

/**
 * POST /v1/messages/count_tokens — free: not billed, not logged, but counted against the key's
 * RPM, since an Anthropic channel answers it upstream. Counted by Anthropic when a channel serving
 * the model speaks Messages natively (its tokenizer is the one that bills), by ours otherwise.
 */
export async function countMessageTokens(req: GatewayRequest, gw: Gateway = getGateway()): Promise<GatewayResponse> {
  const requestId = newRequestId();
  try {
    const store = gw.store();
    const caller = await authenticateKey(store, anthropicApiKey(req), MISSING_ANTHROPIC_KEY);
    const bytes = await req.readBody(gw.config.maxBodyBytes);
    const body = await parseJsonBody(bytes);
    const request = validate(countTokensRequestSchema, body);
    const { channels } = resolveModel(await getCatalog(store), caller, request.model);
    await admit(gw.limiter, caller);

    const native = orderChannels(channels).filter((channel) => !!getProvider(channel.type)?.countTokens);
    if (!native.length) return gatewayJson(200, { input_tokens: countLocally(body) }, { "request-id": requestId });
    const headers = anthropicHeaders(req);
    const result = await relay({
      channels: native,
      maxAttempts: gw.config.maxAttempts,
      provider: getProvider,
      health: gw.health,
      signal: req.signal,
      send: (provider, channel, signal) =>
        provider.countTokens!({ channel, body: { ...body, model: upstreamModel(channel, request.model) }, stream: false, signal, requestId, headers }),
    });
    const answer = tenantBytes(await readAnswer(result, gw.health, req.signal));
    const status = result.response.status;
    const out = status >= 300 ? anthropicRelayedError(status, answer).body : answer;
    return { status, headers: { "content-type": "application/json", "x-request-id": requestId, "request-id": requestId }, body: out };
  } catch (error) {
    return anthropicErrorResponse(failureOf(error, requestId), requestId);
  }
}

/** What the hub form of the request would count; a request the hub cannot carry is counted as sent. */
function countLocally(body: Record<string, unknown>): number {
  try {
    const hub = messagesToChat(body);
    return estimatePromptTokens(hub);
  } catch (error) {
    if (!(error instanceof Untranslatable)) throw error;
    return countMessagesPrompt(body);
  }
}
