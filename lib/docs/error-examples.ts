import { insufficientQuota, invalidApiKey, modelNotFound, notFound, type GatewayError } from "../gateway/pipeline/errors";
import { anthropicErrorBody } from "../gateway/protocols/messages/errors";
import type { EndpointError } from "./errors";
import { EXAMPLE_RESPONSE_ID, SANDBOX_MODEL } from "./examples";
import type { DocsEndpoint } from "./reference";

/**
 * The one error an endpoint's page shows in full: the most telling one it can give (402 where the
 * call is billed, else 404 where something is looked up, else 401), built by the gateway's own
 * error constructors so the example is the body clients really get.
 */
export interface ErrorExample {
  status: number;
  body: unknown;
}

const PREFERRED = [402, 404, 401];
const UNKNOWN_MODEL = "no-such-model";

function gatewayError(endpoint: DocsEndpoint, status: number): GatewayError {
  if (status === 402) {
    return insufficientQuota("You exceeded your current quota: your balance is $0.00 and this request may cost up to $0.04. Top up your balance in the portal, or lower max_tokens.");
  }
  if (status === 404 && endpoint.openapiPath.startsWith("/responses/")) return notFound(`Response with id '${EXAMPLE_RESPONSE_ID}' not found.`);
  if (status === 404) return modelNotFound(UNKNOWN_MODEL, [SANDBOX_MODEL]);
  return invalidApiKey("Incorrect API key provided: sk-abc…wxyz. You can find your API keys in the portal.");
}

export function errorExample(endpoint: DocsEndpoint, errors: EndpointError[]): ErrorExample | null {
  const status = PREFERRED.find((s) => errors.some((e) => e.status === s));
  if (status === undefined) return null;
  const error = gatewayError(endpoint, status);
  const body = endpoint.protocol === "anthropic" ? anthropicErrorBody(status, error.message) : error.toBody();
  return { status, body: JSON.parse(body) };
}
