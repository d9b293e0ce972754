import { createElement } from "react";
import { renderToString } from "react-dom/server";
import { describe, expect, it } from "vitest";
import GlobalError from "@/app/global-error";
import en from "@/messages/en";
import zh from "@/messages/zh";

describe("global-error (the root layout itself failed)", () => {
  it("is its own document and says it in both languages, never the error's message", () => {
    const html = renderToString(createElement(GlobalError, { error: new Error("database password is hunter2"), retry: () => {} })).replaceAll("<!-- -->", "");
    expect(html).toMatch(/^<html lang="en">.*<body/);
    expect(html).toContain(`<title>${en.errors.page.error.title} · ${zh.errors.page.error.title}</title>`);
    for (const text of [en.errors.page.error, zh.errors.page.error]) {
      expect(html).toContain(text.title);
      expect(html).toContain(text.body);
      expect(html).toContain(`>${text.retry}</button>`);
    }
    expect(html).toContain('<div lang="zh-CN">');
    expect(html).not.toContain("hunter2");
  });
});
