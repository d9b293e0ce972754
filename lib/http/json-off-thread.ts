import { InlineWorker } from "../workers/inline-worker";

/**
 * JSON.parse of large bodies on a worker thread. Parsing a 19 MB prompt takes the main thread
 * 25–150 ms (more on a busy machine), during which no other request moves; on the worker it
 * costs the main thread a copy in and a structured clone out. Small bodies parse faster in place.
 */
export const OFF_THREAD_MIN_BYTES = 1 << 20;

// A hostile body that still parses into something enormous kills the worker, not the server.
const parser = new InlineWorker<Uint8Array, unknown>("(bytes) => JSON.parse(new TextDecoder().decode(bytes))", { resourceLimits: { maxOldGenerationSizeMb: 1024 } });

/** JSON.parse(bytes as UTF-8), on the worker thread. Rejects with a SyntaxError for invalid JSON. */
export function parseJsonOffThread(bytes: Uint8Array): Promise<unknown> {
  return parser.call(bytes);
}
