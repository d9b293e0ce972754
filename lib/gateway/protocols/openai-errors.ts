import type { GatewayError } from "../pipeline/errors";
import { newRequestId } from "../pipeline/request-context";
import { failureOf } from "../pipeline/steps";
import type { GatewayResponse } from "../http/types";

/** An error of ours as OpenAI's APIs write it: what the openai SDKs turn into their error classes. */
export function openAIErrorResponse(error: GatewayError, requestId: string): GatewayResponse {
  return { status: error.status, headers: { "content-type": "application/json", "x-request-id": requestId, ...error.headers }, body: error.toBody() };
}

/** Whatever ended a request that is not metered (listing models, stored responses…), answered. */
export function failureResponse(error: unknown): GatewayResponse {
  const requestId = newRequestId();
  return openAIErrorResponse(failureOf(error, requestId), requestId);
}
