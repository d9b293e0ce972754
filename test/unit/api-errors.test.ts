import { readFileSync, readdirSync, statSync } from "node:fs";
import path from "node:path";
import ts from "typescript";
import { createTranslator } from "next-intl";
import { describe, expect, it } from "vitest";
import enErrors from "@/messages/en/errors.json";
import zhErrors from "@/messages/zh/errors.json";
import { UserError, renderErrorMessage, type ErrorMessage, type ErrorTranslator } from "@/lib/errors";
import { parsePriceBody } from "@/lib/admin/prices";
import { parseChannelPatch } from "@/lib/channels/channel-body";
import { parseNewKey } from "@/lib/keys/new-key-body";
import { parsePlaygroundRequest } from "@/lib/playground/request";
import { parseUsd } from "@/lib/money";

const ROOT = path.resolve(import.meta.dirname, "../..");
const CATALOGS = { en: enErrors.api as Record<string, string>, zh: zhErrors.api as Record<string, string> };

/** Where UserErrors are thrown for the portal: lib (but /v1's OpenAI-shaped errors stay English) and the API routes. */
function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const full = path.join(dir, name);
    if (statSync(full).isDirectory()) return full.endsWith(path.join("lib", "gateway")) ? [] : sourceFiles(full);
    return /\.tsx?$/.test(full) && !full.endsWith(".d.ts") ? [full] : [];
  });
}

interface Use {
  where: string;
  key: string;
  /** The argument names passed, or null when they are not an object literal. */
  values: string[] | null;
}

/** Every `apiMessage("key", { … })` call with a literal key, and every other string literal naming a key. */
function scan(file: string): { calls: Use[]; literals: Set<string> } {
  const text = readFileSync(file, "utf8");
  const source = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true);
  const calls: Use[] = [];
  const literals = new Set<string>();
  const visit = (node: ts.Node) => {
    if (ts.isStringLiteral(node)) literals.add(node.text);
    if (ts.isCallExpression(node) && node.expression.getText(source) === "apiMessage") {
      const [key, values] = node.arguments;
      const { line } = source.getLineAndCharacterOfPosition(node.getStart());
      const where = `${path.relative(ROOT, file)}:${line + 1}`;
      if (key && ts.isStringLiteral(key)) {
        const names =
          values === undefined ? []
          : ts.isObjectLiteralExpression(values) ? values.properties.map((p) => p.name?.getText(source) ?? "?")
          : null;
        calls.push({ where, key: key.text, values: names });
      }
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return { calls, literals };
}

function placeholders(message: string): string[] {
  return [...new Set([...message.matchAll(/\{\s*([A-Za-z_]\w*)\s*[,}]/g)].map((m) => m[1]!))].sort();
}

describe("UserError messages (errors.api)", () => {
  const files = [...sourceFiles(path.join(ROOT, "lib")), ...sourceFiles(path.join(ROOT, "app", "api"))];
  const scanned = files.map(scan);
  const calls = scanned.flatMap((s) => s.calls);
  const literals = new Set(scanned.flatMap((s) => [...s.literals]));

  it("finds the throw sites", () => {
    expect(calls.length).toBeGreaterThan(60);
  });

  it("names keys that exist in both catalogs", () => {
    const missing = calls.flatMap(({ where, key }) =>
      Object.entries(CATALOGS).filter(([, catalog]) => typeof catalog[key] !== "string").map(([locale]) => `${where}: errors.api.${key} (${locale})`),
    );
    expect(missing).toEqual([]);
  });

  it("pass exactly the arguments the message uses", () => {
    const wrong = calls
      .filter(({ key, values }) => values !== null && typeof CATALOGS.en[key] === "string" && [...values].sort().join() !== placeholders(CATALOGS.en[key]!).join())
      .map(({ where, key, values }) => `${where}: ${key} gets {${values!.join(", ")}}, uses {${placeholders(CATALOGS.en[key]!).join(", ")}}`);
    expect(wrong).toEqual([]);
  });

  it("has no unused message in the catalog", () => {
    expect(Object.keys(CATALOGS.en).filter((key) => !literals.has(key))).toEqual([]);
  });
});

describe("renderErrorMessage", () => {
  const translators = Object.fromEntries(
    (["en", "zh"] as const).map((locale) => [
      locale,
      createTranslator({ locale, messages: { api: CATALOGS[locale] }, namespace: "api" }) as unknown as ErrorTranslator,
    ]),
  ) as Record<"en" | "zh", ErrorTranslator>;
  const thrown = (run: () => unknown): UserError => {
    try {
      run();
    } catch (error) {
      if (error instanceof UserError) return error;
      throw error;
    }
    throw new Error("nothing thrown");
  };
  const say = (error: UserError, locale: "en" | "zh") => renderErrorMessage(error.localized as ErrorMessage, translators[locale]);

  it("keeps the English message for the CLI and says it in the catalog's language", () => {
    const money = thrown(() => parseUsd("abc"));
    expect(money.message).toBe('"abc" is not a dollar amount (expected e.g. 10 or 0.25)');
    expect(say(money, "zh")).toBe("“abc”不是有效的美元金额（例如 10 或 0.25）");

    const weight = thrown(() => parseChannelPatch({ weight: "x" }));
    expect(weight).toMatchObject({ message: "weight must be a whole number", field: "weight" });
    expect(say(weight, "zh")).toBe("weight 必须为整数");

    const limit = thrown(() => parseNewKey({ name: "k", rpmLimit: "1.5" }));
    expect(say(limit, "en")).toBe("Requests per minute must be a positive whole number");
    expect(say(limit, "zh")).toBe("每分钟请求数必须是正整数");
  });

  it("renders nested messages (labels, reasons)", () => {
    const price = thrown(() => parsePriceBody({ inputUsd: "1", outputUsd: "1", cachedInputUsd: "x" }, "m"));
    expect(price).toMatchObject({ message: 'Cached input price: "x" is not a dollar amount (expected e.g. 10 or 0.25)', field: "cachedInputUsd" });
    expect(say(price, "en")).toBe(price.message);
    expect(say(price, "zh")).toBe("缓存输入价格：“x”不是有效的美元金额（例如 10 或 0.25）");
    const negative = thrown(() => parsePriceBody({ inputUsd: "-1", outputUsd: "1" }, "m"));
    expect(say(negative, "zh")).toBe("输入价格不能为负数");
  });

  it("says playground settings errors by field", () => {
    const error = thrown(() => parsePlaygroundRequest({ messages: [{ role: "user", parts: [{ type: "text", text: "hi" }] }], model: "m", temperature: 3 }));
    expect(error.field).toBe("temperature");
    expect(say(error, "en")).toBe("Temperature is between 0 and 2");
  });
});
