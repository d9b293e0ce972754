/**
 * A Fetch-API request body read whole, up to `limit` bytes: past it (declared or counted), the
 * read stops and `tooLarge()` is thrown — nothing beyond the limit is ever buffered.
 */
export async function readLimited(request: Request, limit: number, tooLarge: () => Error): Promise<Uint8Array> {
  if (Number(request.headers.get("content-length") ?? -1) > limit) throw tooLarge();
  if (!request.body) return new Uint8Array(0);
  const chunks: Uint8Array[] = [];
  let size = 0;
  const reader = request.body.getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.length;
    if (size > limit) {
      await reader.cancel().catch(() => undefined);
      throw tooLarge();
    }
    chunks.push(value);
  }
  return chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks);
}
