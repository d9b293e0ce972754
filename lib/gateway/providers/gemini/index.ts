import type { Provider } from "../types";
import { GEMINI_DEFAULT_BASE_URL } from "./api";
import { geminiChatCompletions } from "./chat";
import { geminiEmbeddings } from "./embeddings";

/**
 * Google's Gemini API (generativelanguage.googleapis.com, or a proxy at an origin given as the
 * channel's base URL). Chat Completions clients are translated (./chat.ts, translate/gemini/);
 * embeddings go through batchEmbedContents (./embeddings.ts).
 */

export { GEMINI_DEFAULT_BASE_URL } from "./api";

export const geminiProvider: Provider = {
  type: "gemini",
  needsBaseUrl: true,
  defaultBaseUrl: GEMINI_DEFAULT_BASE_URL,
  // undici's headersTimeout covers the wait for the answer's headers; the read-ahead of a stream
  // gives up at the same deadline.
  timesOut: true,
  chatCompletions: geminiChatCompletions,
  embeddings: geminiEmbeddings,
};
