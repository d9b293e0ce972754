import { getTranslations } from "next-intl/server";
import { requireUser } from "@/lib/auth/session";
import { getDb } from "@/lib/db/client";
import { UserError } from "@/lib/errors";
import { jsonResponse } from "@/lib/http/json";
import { portalRoute } from "@/lib/http/portal-route";
import type { TryItRequestLog } from "@/lib/docs/types";

export const dynamic = "force-dynamic";

/**
 * A request's log row (tokens and cost) by its x-request-id, for the docs' "Try it" — only the
 * signed-in user's own requests. The row is written just behind the response: 404 until then.
 */
export const GET = portalRoute<{ params: Promise<{ id: string }> }>(
  async (_request, { params }) => {
    const user = await requireUser();
    const { id } = await params;
    const row = await getDb().requestLog.findFirst({ where: { id, userId: user.id } });
    if (!row) {
      const t = await getTranslations("docs");
      throw new UserError(t("tryIt.errors.logNotFound"), 404, "log_not_found");
    }
    const log: TryItRequestLog = {
      id: row.id,
      status: row.status,
      model: row.model,
      endpoint: row.endpoint,
      stream: row.stream,
      promptTokens: row.promptTokens,
      completionTokens: row.completionTokens,
      cachedTokens: row.cachedTokens,
      cacheWriteTokens: row.cacheWriteTokens,
      cacheWrite1hTokens: row.cacheWrite1hTokens,
      reasoningTokens: row.reasoningTokens,
      cost: row.cost.toString(),
      estimated: row.estimated,
      latencyMs: row.latencyMs,
    };
    return jsonResponse(log);
  },
);
