import { LedgerKind, type Db } from "../db/client";
import { migrate } from "../db/migrate";
import { appendLedgerEntry, findLedgerMismatches } from "../billing/ledger";
import { createUser, requireUserByEmail } from "../users/users";
import { createApiKey, revokeApiKeyByValue } from "../keys/keys";
import { addChannel, listChannels, parseModelList, parseModelMapping } from "../channels/channels";
import { listModelPrices, setModelPrice } from "../prices/prices";
import { formatUsd, parseUsd } from "../money";
import { createRedemptionCodes } from "../billing/redemption";
import { randomUUID } from "node:crypto";
import type { Options } from "./args";
import { markEmailVerified } from "../users/email-verification";
import { setPassword } from "../users/passwords";
import { promptSecret } from "./prompt";

/** What a command hands back: lines for stdout; the value (if any) is the last line. */
export type CommandResult = { lines: string[]; exitCode?: number };

export interface CommandContext {
  db: Db;
  url: string;
  opts: Options;
}

type Command = (ctx: CommandContext) => Promise<CommandResult>;

const ok = (...lines: string[]): CommandResult => ({ lines });

export const COMMANDS: Record<string, { usage: string; run: Command; needsDb?: boolean }> = {
  "db migrate": {
    usage: "db migrate",
    needsDb: false,
    async run({ url }) {
      const { applied } = await migrate(url);
      return ok(applied.length ? `Applied ${applied.length} migration(s): ${applied.join(", ")}` : "Database is up to date");
    },
  },

  "user create": {
    usage: "user create --email E --password P [--admin]",
    async run({ db, opts }) {
      const user = await createUser(db, { email: opts.required("email"), password: opts.required("password"), admin: opts.flag("admin") });
      return ok(`Created ${user.role === "ADMIN" ? "admin" : "user"} ${user.email}`, user.id);
    },
  },

  "user verify": {
    usage: "user verify --email E",
    async run({ db, opts }) {
      const user = await requireUserByEmail(db, opts.required("email"));
      const verified = await markEmailVerified(db, user.id);
      // ADMIN_EMAIL applies to verified addresses, so this may also have made the account an admin.
      return ok(`Verified ${verified.email}${verified.role === "ADMIN" ? " (admin)" : ""}`);
    },
  },

  "user reset-password": {
    usage: "user reset-password --email E [--password P]",
    async run({ db, opts }) {
      const user = await requireUserByEmail(db, opts.required("email"));
      const password = opts.string("password") ?? (await promptSecret("New password: "));
      // Every session of the account ends with the old password.
      await setPassword(db, user.id, password);
      return ok(`Password changed for ${user.email}; all of its sessions were signed out`);
    },
  },

  credit: {
    usage: "credit --email E --usd AMOUNT [--note TEXT]",
    async run({ db, opts }) {
      const user = await requireUserByEmail(db, opts.required("email"));
      const amount = parseUsd(opts.required("usd"));
      if (amount === 0n) throw new Error("--usd must not be zero");
      const { entry } = await appendLedgerEntry(db, {
        userId: user.id,
        kind: LedgerKind.ADJUSTMENT,
        amount,
        idempotencyKey: `adjust:${randomUUID()}`,
        note: opts.string("note") ?? "CLI adjustment",
      });
      return ok(formatUsd(entry.balanceAfter));
    },
  },

  balance: {
    usage: "balance --email E",
    async run({ db, opts }) {
      const user = await requireUserByEmail(db, opts.required("email"));
      return ok(formatUsd(user.balance));
    },
  },

  "key create": {
    usage: "key create --email E --name N [--rpm N] [--tpm N] [--budget-usd X] [--models a,b] [--expires ISO]",
    async run({ db, opts }) {
      const user = await requireUserByEmail(db, opts.required("email"));
      const expires = opts.string("expires");
      const budget = opts.string("budget-usd");
      const models = opts.string("models");
      const { key } = await createApiKey(db, user.id, {
        name: opts.required("name"),
        rpmLimit: opts.int("rpm"),
        tpmLimit: opts.int("tpm"),
        budget: budget === undefined ? null : parseUsd(budget),
        allowedModels: models === undefined ? null : parseModelList(models),
        expiresAt: expires === undefined ? null : parseIsoDate(expires),
      });
      return ok(key);
    },
  },

  "key revoke": {
    usage: "key revoke --key KEY",
    async run({ db, opts }) {
      await revokeApiKeyByValue(db, opts.required("key"));
      return ok("Revoked");
    },
  },

  "channel add": {
    usage: "channel add --name N --type openai|anthropic|gemini|sandbox [--base-url URL] --api-key K --models a,b [--priority N] [--weight N] [--map public=upstream,…] [--timeout-ms N] [--responses]",
    async run({ db, opts }) {
      const map = opts.string("map");
      const channel = await addChannel(db, {
        name: opts.required("name"),
        type: opts.required("type"),
        baseUrl: opts.string("base-url") ?? null,
        apiKey: opts.string("api-key") ?? null,
        models: parseModelList(opts.required("models")),
        priority: opts.int("priority"),
        weight: opts.int("weight"),
        modelMapping: map === undefined ? null : parseModelMapping(map),
        timeoutMs: opts.int("timeout-ms") ?? null,
        supportsResponses: opts.flag("responses"),
      });
      return ok(`Added channel ${channel.name} (${channel.type})`, channel.id);
    },
  },

  "channel list": {
    usage: "channel list",
    async run({ db }) {
      const channels = await listChannels(db);
      const rows = channels.map((c) => [
        c.id,
        c.name,
        c.type,
        c.status,
        String(c.priority),
        String(c.weight),
        (c.models as string[]).join(","),
        c.baseUrl ?? "-",
        c.apiKeyEnc ? "key:set" : "key:none",
      ]);
      return ok(...formatTable(["ID", "NAME", "TYPE", "STATUS", "PRIORITY", "WEIGHT", "MODELS", "BASE URL", "KEY"], rows));
    },
  },

  "price set": {
    usage: "price set --model M --input USD_PER_1M --output USD_PER_1M [--cached-input USD_PER_1M] [--cache-write USD_PER_1M] [--cache-write-1h USD_PER_1M]",
    async run({ db, opts }) {
      const optionalUsd = (flag: string) => {
        const value = opts.string(flag);
        return value === undefined ? null : parseUsd(value);
      };
      const price = await setModelPrice(db, {
        model: opts.required("model"),
        inputPrice: parseUsd(opts.required("input")),
        outputPrice: parseUsd(opts.required("output")),
        cachedInputPrice: optionalUsd("cached-input"),
        cacheWritePrice: optionalUsd("cache-write"),
        cacheWrite1hPrice: optionalUsd("cache-write-1h"),
      });
      const extras = [
        price.cachedInputPrice === null ? null : `cached input $${formatUsd(price.cachedInputPrice)}/1M`,
        price.cacheWritePrice === null ? null : `cache write $${formatUsd(price.cacheWritePrice)}/1M`,
        price.cacheWrite1hPrice === null ? null : `1-hour cache write $${formatUsd(price.cacheWrite1hPrice)}/1M`,
      ].filter((part) => part !== null);
      return ok(`Price for ${price.model}: ${[`input $${formatUsd(price.inputPrice)}/1M`, `output $${formatUsd(price.outputPrice)}/1M`, ...extras].join(", ")}`);
    },
  },

  "price list": {
    usage: "price list",
    async run({ db }) {
      const prices = await listModelPrices(db);
      // USD per 1M tokens; "-" where a rate falls back (cached input and cache writes to input, 1-hour writes to cache writes).
      const usd = (micros: bigint | null) => (micros === null ? "-" : formatUsd(micros));
      const rows = prices.map((p) => [
        p.model,
        usd(p.inputPrice),
        usd(p.outputPrice),
        usd(p.cachedInputPrice),
        usd(p.cacheWritePrice),
        usd(p.cacheWrite1hPrice),
        p.visible ? "visible" : "hidden",
      ]);
      return ok(...formatTable(["MODEL", "INPUT", "OUTPUT", "CACHED INPUT", "CACHE WRITE", "CACHE WRITE 1H", "VISIBLE"], rows));
    },
  },

  "code create": {
    usage: "code create --usd AMOUNT [--count N] [--note TEXT] [--expires ISO]",
    async run({ db, opts }) {
      const expires = opts.string("expires");
      const codes = await createRedemptionCodes(db, {
        amount: parseUsd(opts.required("usd")),
        count: opts.int("count") ?? 1,
        note: opts.string("note") ?? null,
        expiresAt: expires === undefined ? null : parseIsoDate(expires),
      });
      return ok(...codes);
    },
  },

  "ledger verify": {
    usage: "ledger verify",
    async run({ db }) {
      const mismatches = await findLedgerMismatches(db);
      if (!mismatches.length) return ok("OK: every balance equals the sum of its ledger entries");
      return {
        lines: mismatches.map((m) => `MISMATCH ${m.email}: balance ${formatUsd(m.balance)} != ledger ${formatUsd(m.ledgerSum)}`),
        exitCode: 1,
      };
    },
  },
};

export const BOOLEAN_FLAGS = new Set(["admin", "help", "responses"]);

function parseIsoDate(value: string): Date {
  const date = new Date(value);
  if (Number.isNaN(date.getTime())) throw new Error(`--expires must be an ISO date (e.g. 2027-01-31T00:00:00Z), got "${value}"`);
  return date;
}

function formatTable(header: string[], rows: string[][]): string[] {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: string[]) => cells.map((c, i) => c.padEnd(widths[i]!)).join("  ").trimEnd();
  return [line(header), ...rows.map(line)];
}
