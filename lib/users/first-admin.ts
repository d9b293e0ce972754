import type { Db } from "../db/client";

/**
 * "The first account administers the platform", made atomic: the first sign-up inserts a Setting
 * row with a fixed primary key, and the database lets exactly one insert succeed however many
 * sign-ups race (on SQLite and PostgreSQL alike). Counting users alone let all of them win.
 * The row stays, so an install whose users were all deleted gets its next admin from the CLI.
 */
const CLAIM_KEY = "bootstrap:first-admin";

/** Tries to claim the first-admin role for `email`; true for the single winner. */
export async function claimFirstAdmin(db: Db, email: string): Promise<boolean> {
  try {
    await db.setting.create({ data: { key: CLAIM_KEY, value: email } });
    return true;
  } catch (error) {
    if ((error as { code?: string }).code === "P2002") return false;
    throw error;
  }
}

/** Gives the claim back when the winner's account could not be created after all. */
export async function releaseFirstAdmin(db: Db, email: string): Promise<void> {
  await db.setting.deleteMany({ where: { key: CLAIM_KEY, value: email } });
}
