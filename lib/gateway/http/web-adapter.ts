import { readLimited } from "../../http/read-limited";
import { bodyTooLarge } from "../pipeline/errors";
import type { GatewayRequest, GatewayResponse } from "./types";

/** Fetch-API Request/Response (Next.js route handlers, serverless hosts) ⇄ the gateway's HTTP shapes. */
export function fromWebRequest(request: Request): GatewayRequest {
  const url = new URL(request.url);
  return {
    method: request.method,
    path: url.pathname,
    query: url.searchParams,
    header: (name) => request.headers.get(name),
    signal: request.signal,
    readBody: (limit) => readLimited(request, limit, () => bodyTooLarge(limit)),
  };
}

export function toWebResponse(response: GatewayResponse): Response {
  const { body } = response;
  if (body === null || typeof body === "string" || body instanceof Uint8Array) {
    return new Response(body as BodyInit | null, { status: response.status, headers: response.headers });
  }
  const iterator = body[Symbol.asyncIterator]();
  const stream = new ReadableStream<Uint8Array>({
    async pull(controller) {
      try {
        const { done, value } = await iterator.next();
        if (done) controller.close();
        else controller.enqueue(value);
      } catch (error) {
        controller.error(error);
      }
    },
    async cancel() {
      await iterator.return?.();
    },
  });
  return new Response(stream, { status: response.status, headers: response.headers });
}
