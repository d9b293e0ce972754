/** Shapes shared by the docs' portal routes and their client components (no server imports). */

/** GET /api/docs/requests/:id — a request's log row. */
export interface TryItRequestLog {
  id: string;
  status: number;
  model: string | null;
  endpoint: string;
  stream: boolean;
  promptTokens: number;
  completionTokens: number;
  cachedTokens: number;
  cacheWriteTokens: number;
  cacheWrite1hTokens: number;
  reasoningTokens: number;
  /** Micro-dollars, as a decimal string. */
  cost: string;
  estimated: boolean;
  latencyMs: number;
}

/** A key of the signed-in user, as the key picker lists it (never the key itself). */
export interface DocsKey {
  id: string;
  name: string;
  prefix: string;
}
