import { bodyTooLarge } from "../errors";
import type { GatewayRequest, GatewayResponse } from "../http";

/** Fetch-API Request/Response (Next.js route handlers, serverless hosts) ⇄ the gateway's HTTP shapes. */
export function fromWebRequest(request: Request): GatewayRequest {
  const url = new URL(request.url);
  return {
    method: request.method,
    path: url.pathname,
    query: url.searchParams,
    header: (name) => request.headers.get(name),
    signal: request.signal,
    async readBody(limit) {
      const declared = Number(request.headers.get("content-length") ?? -1);
      if (declared > limit) throw bodyTooLarge(limit);
      if (!request.body) return new Uint8Array(0);
      const chunks: Uint8Array[] = [];
      let size = 0;
      const reader = request.body.getReader();
      for (;;) {
        const { done, value } = await reader.read();
        if (done) break;
        size += value.length;
        if (size > limit) {
          await reader.cancel().catch(() => {});
          throw bodyTooLarge(limit);
        }
        chunks.push(value);
      }
      return chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks);
    },
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
