import type { Db } from "../db/client";
import type { DocsKey } from "./types";

/** The user's usable keys for the docs' key picker: names and prefixes only (keys are stored hashed). */
export async function listDocsKeys(db: Db, userId: string, now = new Date()): Promise<DocsKey[]> {
  const rows = await db.apiKey.findMany({
    where: { userId, revokedAt: null, OR: [{ expiresAt: null }, { expiresAt: { gt: now } }] },
    select: { id: true, name: true, prefix: true },
    orderBy: { createdAt: "desc" },
    take: 200,
  });
  return rows;
}
