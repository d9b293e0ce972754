import { UserError, apiMessage } from "../errors";
import { parseUsd } from "../money";
import type { NewApiKey } from "./keys";

/** The keys page's JSON body: every limit optional, money as a dollar string. */
export interface NewKeyBody {
  name?: unknown;
  expiresAt?: unknown;
  budgetUsd?: unknown;
  budgetPeriod?: unknown;
  rpmLimit?: unknown;
  tpmLimit?: unknown;
  allowedModels?: unknown;
}

const optionalInt = (value: unknown, field: string): number | null => {
  if (value === null || value === undefined || value === "") return null;
  const n = typeof value === "number" ? value : Number(value);
  if (!Number.isInteger(n)) throw new UserError(`${field} must be a whole number`, 400, "invalid_limit", field, apiMessage("limitInvalid", { field }));
  return n;
};

const invalidField = (field: string, expected: string) => new UserError(`${field} must be ${expected}`, 400, "invalid_field", field, apiMessage("fieldInvalid", { field, expected }));

export function parseNewKey(body: NewKeyBody): NewApiKey {
  // A field of the wrong type is refused, not coerced: `["a","b"]` must not become the name "a,b".
  if (body.name != null && typeof body.name !== "string") throw invalidField("name", "a string");
  if (body.budgetPeriod != null && body.budgetPeriod !== "TOTAL" && body.budgetPeriod !== "MONTHLY") throw invalidField("budgetPeriod", "TOTAL or MONTHLY");
  if (body.budgetUsd != null && typeof body.budgetUsd !== "string" && typeof body.budgetUsd !== "number") throw invalidField("budgetUsd", "an amount in dollars");
  const listed = Array.isArray(body.allowedModels) && body.allowedModels.every((m) => typeof m === "string");
  if (body.allowedModels != null && !listed && typeof body.allowedModels !== "string") throw invalidField("allowedModels", "a list of model ids");
  if (body.expiresAt != null && typeof body.expiresAt !== "string") throw new UserError("expiresAt must be an ISO date string", 400, "invalid_expiry", "expiresAt", apiMessage("expiryInvalid"));
  let budget: bigint | null = null;
  if (body.budgetUsd !== null && body.budgetUsd !== undefined && body.budgetUsd !== "") {
    try {
      budget = parseUsd(String(body.budgetUsd));
    } catch (error) {
      throw UserError.on(error, "budgetUsd", "invalid_budget");
    }
  }
  const models = Array.isArray(body.allowedModels)
    ? body.allowedModels.map(String)
    : typeof body.allowedModels === "string" && body.allowedModels.trim()
      ? body.allowedModels.split(",").map((m) => m.trim()).filter(Boolean)
      : null;
  return {
    name: String(body.name ?? ""),
    expiresAt: body.expiresAt ? new Date(body.expiresAt) : null,
    budget,
    budgetPeriod: body.budgetPeriod === "MONTHLY" ? "MONTHLY" : "TOTAL",
    rpmLimit: optionalInt(body.rpmLimit, "rpmLimit"),
    tpmLimit: optionalInt(body.tpmLimit, "tpmLimit"),
    allowedModels: models,
  };
}
