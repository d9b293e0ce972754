import type { Db } from "../db/client";
import { endAllPortalSessions } from "../auth/portal-sessions";
import { LedgerKind, Role } from "../db/client";
import { UserError, apiMessage } from "../errors";
import { parseUsd } from "../money";
import { appendLedgerEntry } from "../billing/ledger";
import { newAdjustmentKey } from "../billing/redemption";
import { clearKeyCache } from "../gateway/pipeline/authenticate";
import { usageByModel, usageTotals } from "../usage/queries";
import type { AdminLedgerRow, AdminUserRow } from "./user-rows";

export const USERS_PAGE_SIZE = 25;
const DAY = 86_400_000;

const userNotFound = () => new UserError("User not found", 404, "not_found", undefined, apiMessage("userNotFound"));

const USER_FIELDS = { id: true, email: true, name: true, role: true, disabled: true, balance: true, createdAt: true } as const;

/** Last /v1 request time per user (one grouped query for a page of users). */
async function lastRequests(db: Db, userIds: string[]): Promise<Map<string, Date>> {
  if (!userIds.length) return new Map();
  const rows = await db.requestLog.groupBy({ by: ["userId"], where: { userId: { in: userIds } }, _max: { createdAt: true } });
  return new Map(rows.filter((r) => r.userId && r._max.createdAt).map((r) => [r.userId!, r._max.createdAt!]));
}

function toRow(user: { id: string; email: string; name: string | null; role: string; disabled: boolean; balance: bigint; createdAt: Date }, last: Date | undefined): AdminUserRow {
  return {
    id: user.id,
    email: user.email,
    name: user.name,
    role: user.role as AdminUserRow["role"],
    disabled: user.disabled,
    balance: user.balance.toString(),
    createdAt: user.createdAt.toISOString(),
    lastRequestAt: last?.toISOString() ?? null,
  };
}

/**
 * Users whose email contains `query`, newest first, a page at a time. Emails are stored lower-case,
 * so lower-casing the query makes the search case-insensitive on SQLite and PostgreSQL alike.
 */
export async function searchUsers(db: Db, { query = "", page = 1, pageSize = USERS_PAGE_SIZE }: { query?: string | null; page?: number; pageSize?: number } = {}) {
  const q = (query ?? "").trim().toLowerCase().slice(0, 254);
  const where = q ? { email: { contains: q } } : {};
  const safePage = Number.isInteger(page) && page > 0 ? page : 1;
  const [total, users] = await Promise.all([
    db.user.count({ where }),
    db.user.findMany({ where, orderBy: [{ createdAt: "desc" }, { id: "desc" }], skip: (safePage - 1) * pageSize, take: pageSize, select: USER_FIELDS }),
  ]);
  const last = await lastRequests(db, users.map((u) => u.id));
  return { data: users.map((u) => toRow(u, last.get(u.id))), total, page: safePage, pageSize, pages: Math.max(1, Math.ceil(total / pageSize)) };
}

export async function getAdminUserRow(db: Db, userId: string): Promise<AdminUserRow> {
  const user = await db.user.findUnique({ where: { id: userId }, select: USER_FIELDS });
  if (!user) throw userNotFound();
  return toRow(user, (await lastRequests(db, [user.id])).get(user.id));
}

/** Parses the adjustment form: a non-zero USD amount (negative debits) and a required note. */
export function parseAdjustment(body: { amountUsd?: unknown; note?: unknown }): { amount: bigint; note: string } {
  let amount: bigint;
  try {
    if (typeof body.amountUsd !== "string" && typeof body.amountUsd !== "number") throw new UserError("Enter an amount in USD, e.g. 10 or -2.50", 400, "invalid_amount", "amountUsd", apiMessage("amountRequired"));
    amount = parseUsd(String(body.amountUsd));
  } catch (error) {
    throw UserError.on(error, "amountUsd", "invalid_amount");
  }
  if (amount === 0n) throw new UserError("The amount must not be zero", 400, "invalid_amount", "amountUsd", apiMessage("amountZero"));
  const note = typeof body.note === "string" ? body.note.trim() : "";
  if (!note) throw new UserError("A note is required: say why the balance changes", 400, "invalid_note", "note", apiMessage("noteRequired"));
  if (note.length > 500) throw new UserError("The note is too long (500 characters at most)", 400, "invalid_note", "note", apiMessage("noteTooLong"));
  return { amount, note };
}

/** Credits (positive) or debits (negative) a user: one ADJUSTMENT ledger entry naming the admin. */
export async function adjustBalance(db: Db, input: { userId: string; amount: bigint; note: string; actorId: string }) {
  if (!(await db.user.findUnique({ where: { id: input.userId }, select: { id: true } }))) throw userNotFound();
  const { entry } = await appendLedgerEntry(db, {
    userId: input.userId,
    kind: LedgerKind.ADJUSTMENT,
    amount: input.amount,
    idempotencyKey: newAdjustmentKey(),
    note: input.note,
    actorId: input.actorId,
  });
  return entry;
}

/**
 * Disables or enables an account, or changes its role. Admins cannot disable themselves or remove
 * their own admin role (so there is always an admin left who can undo a mistake).
 */
export async function updateUserAccess(db: Db, actorId: string, userId: string, change: { disabled?: boolean; role?: "USER" | "ADMIN" }) {
  if (change.disabled === undefined && change.role === undefined) throw new UserError("Nothing to change (send disabled or role)", 400, "invalid_request", undefined, apiMessage("nothingToChange"));
  if (userId === actorId && change.disabled === true) throw new UserError("You cannot disable your own account", 400, "cannot_disable_self", "disabled", apiMessage("cannotDisableSelf"));
  if (userId === actorId && change.role === "USER") throw new UserError("You cannot remove your own admin role", 400, "cannot_demote_self", "role", apiMessage("cannotDemoteSelf"));
  if (!(await db.user.findUnique({ where: { id: userId }, select: { id: true } }))) throw userNotFound();
  await db.user.update({
    where: { id: userId },
    data: {
      ...(change.disabled === undefined ? {} : { disabled: change.disabled }),
      ...(change.role === undefined ? {} : { role: change.role === "ADMIN" ? Role.ADMIN : Role.USER }),
    },
  });
  // A disabled account's sessions end for good: enabling it again does not bring old cookies back.
  if (change.disabled === true) await endAllPortalSessions(db, userId);
  // This process's key cache forgets at once; the gateway's own cache expires within seconds.
  if (change.disabled !== undefined) clearKeyCache();
  return getAdminUserRow(db, userId);
}

export function parseAccessChange(body: { disabled?: unknown; role?: unknown }): { disabled?: boolean; role?: "USER" | "ADMIN" } {
  const change: { disabled?: boolean; role?: "USER" | "ADMIN" } = {};
  if (body.disabled !== undefined) {
    if (typeof body.disabled !== "boolean") throw new UserError("disabled must be true or false", 400, "invalid_disabled", "disabled", apiMessage("fieldFlag", { field: "disabled" }));
    change.disabled = body.disabled;
  }
  if (body.role !== undefined) {
    if (body.role !== "USER" && body.role !== "ADMIN") throw new UserError('role must be "USER" or "ADMIN"', 400, "invalid_role", "role", apiMessage("invalidRole"));
    change.role = body.role;
  }
  return change;
}

/** One user for the admin: their row, last 50 ledger entries and the last 30 days of usage. */
export async function adminUserDetail(db: Db, userId: string, now = new Date()) {
  const user = await getAdminUserRow(db, userId);
  const filters = { userId, from: new Date(now.getTime() - 30 * DAY), to: new Date(now.getTime() + 1) };
  const [entries, totals, byModel, keys] = await Promise.all([
    db.ledgerEntry.findMany({ where: { userId }, orderBy: [{ createdAt: "desc" }, { id: "desc" }], take: 50 }),
    usageTotals(db, filters),
    usageByModel(db, filters),
    db.apiKey.count({ where: { userId, revokedAt: null } }),
  ]);
  const actorIds = [...new Set(entries.map((e) => e.actorId).filter((id): id is string => !!id))];
  const actors = actorIds.length ? await db.user.findMany({ where: { id: { in: actorIds } }, select: { id: true, email: true } }) : [];
  const actorEmail = new Map(actors.map((a) => [a.id, a.email]));
  const ledger: AdminLedgerRow[] = entries.map((e) => ({
    id: e.id,
    kind: e.kind,
    amount: e.amount.toString(),
    balanceAfter: e.balanceAfter.toString(),
    note: e.note,
    actorEmail: e.actorId ? (actorEmail.get(e.actorId) ?? e.actorId) : null,
    createdAt: e.createdAt.toISOString(),
  }));
  return { user, ledger, activeKeys: keys, usage: { from: filters.from.toISOString(), totals, byModel } };
}
