import { readFileSync, readdirSync, statSync } from "node:fs";
import path from "node:path";
import ts from "typescript";
import { describe, expect, it } from "vitest";
import en from "@/messages/en";
import zh from "@/messages/zh";
import { negotiateLocale } from "@/i18n/locales";

const ROOT = path.resolve(import.meta.dirname, "../..");

describe("negotiateLocale", () => {
  it("prefers the remembered choice", () => {
    expect(negotiateLocale("zh", "en-US,en;q=0.9")).toBe("zh");
    expect(negotiateLocale("en", "zh-CN")).toBe("en");
  });
  it("follows the browser's weighted languages", () => {
    expect(negotiateLocale(undefined, "zh-CN,zh;q=0.9,en;q=0.8")).toBe("zh");
    expect(negotiateLocale(undefined, "fr-FR,fr;q=0.9,zh-TW;q=0.5,en;q=0.4")).toBe("zh");
    expect(negotiateLocale(undefined, "en;q=0.2, zh;q=0.8")).toBe("zh");
    expect(negotiateLocale(undefined, "de, en-GB;q=0.7")).toBe("en");
  });
  it("falls back to English for unknown or missing input", () => {
    expect(negotiateLocale("xx", null)).toBe("en");
    expect(negotiateLocale(undefined, "fr, de;q=0.5")).toBe("en");
    expect(negotiateLocale(undefined, "zh;q=0")).toBe("en");
  });
});

type Tree = { [key: string]: string | Tree };

function flatten(tree: Tree, prefix = ""): Map<string, string> {
  const out = new Map<string, string>();
  for (const [key, value] of Object.entries(tree)) {
    const name = prefix ? `${prefix}.${key}` : key;
    if (typeof value === "string") out.set(name, value);
    else for (const [k, v] of flatten(value, name)) out.set(k, v);
  }
  return out;
}

/** The ICU arguments and rich-text tags a message uses: both languages must use the same ones. */
function placeholders(message: string): string[] {
  const names = new Set<string>();
  for (const m of message.matchAll(/\{\s*([A-Za-z_][\w]*)\s*[,}]/g)) names.add(`{${m[1]}}`);
  for (const m of message.matchAll(/<([A-Za-z][\w-]*)>/g)) names.add(`<${m[1]}>`);
  return [...names].sort();
}

describe("message catalogs", () => {
  const enFlat = flatten(en as Tree);
  const zhFlat = flatten(zh as Tree);

  it("have the same keys in English and Chinese", () => {
    expect([...zhFlat.keys()].sort()).toEqual([...enFlat.keys()].sort());
  });

  it("use the same arguments in both languages", () => {
    const mismatched = [...enFlat].filter(([key, text]) => {
      const other = zhFlat.get(key);
      return other !== undefined && placeholders(other).join() !== placeholders(text).join();
    });
    expect(mismatched.map(([key]) => key)).toEqual([]);
  });

  it("have no empty messages", () => {
    const empty = [...enFlat, ...zhFlat].filter(([, text]) => text.trim() === "");
    expect(empty.map(([key]) => key)).toEqual([]);
  });
});

// Words that are the same in every language: names of things, not prose.
const UNTRANSLATED = new Set([
  "RootAPI", "R", "curl", "Python", "Node.js", "OpenAI", "JSON", "CSV", "SDK", "API", "ID", "URL", "RPM", "TPM",
  "USD", "Stripe", "GitHub", "Google", "Vercel AI SDK", "Markdown", "sk-", "openai", "/v1", "UTC",
]);

const TRANSLATED_ATTRIBUTES = new Set([
  "placeholder", "title", "aria-label", "alt", "label", "description", "hint", "confirmLabel", "emptyText",
]);

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const full = path.join(dir, name);
    if (statSync(full).isDirectory()) return sourceFiles(full);
    return full.endsWith(".tsx") ? [full] : [];
  });
}

function isProse(text: string): boolean {
  const trimmed = text.replace(/\s+/g, " ").trim();
  if (!/[A-Za-z\u4e00-\u9fff]/.test(trimmed)) return false;
  return !UNTRANSLATED.has(trimmed);
}

/** Literal prose in JSX: text children and user-facing attributes written as plain strings. */
function hardCodedStrings(file: string): string[] {
  const text = readFileSync(file, "utf8");
  const source = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true, ts.ScriptKind.TSX);
  const found: string[] = [];
  const report = (node: ts.Node, value: string) => {
    const { line } = source.getLineAndCharacterOfPosition(node.getStart());
    found.push(`${path.relative(ROOT, file)}:${line + 1}: ${value.replace(/\s+/g, " ").trim()}`);
  };
  const visit = (node: ts.Node) => {
    if (ts.isJsxText(node) && isProse(node.text)) report(node, node.text);
    if (ts.isJsxAttribute(node) && TRANSLATED_ATTRIBUTES.has(node.name.getText(source)) && node.initializer) {
      const init = node.initializer;
      const literal = ts.isStringLiteral(init)
        ? init
        : ts.isJsxExpression(init) && init.expression && ts.isStringLiteralLike(init.expression)
          ? init.expression
          : undefined;
      if (literal && isProse(literal.text)) report(node, literal.text);
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return found;
}

describe("the portal's JSX", () => {
  it("has no prose hard-coded in one language (use next-intl messages)", () => {
    const files = [...sourceFiles(path.join(ROOT, "app")), ...sourceFiles(path.join(ROOT, "components"))];
    expect(files.flatMap(hardCodedStrings)).toEqual([]);
  });
});
