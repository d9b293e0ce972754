import { createElement as h, type ReactNode } from "react";
import { renderToStaticMarkup } from "react-dom/server";
import { NextIntlClientProvider } from "next-intl";
import { describe, expect, it } from "vitest";
import { DocsKeysProvider } from "@/components/docs/docs-keys";
import { KeyPicker } from "@/components/docs/key-picker";
import { TryIt } from "@/components/docs/try-it";
import en from "@/messages/en";
import zh from "@/messages/zh";

/** The docs' client components as the layout renders them for a visitor (no keys, signed out) or a user. */
function render(node: ReactNode, { signedIn, locale = "en" }: { signedIn: boolean; locale?: "en" | "zh" }) {
  const messages = locale === "en" ? en : zh;
  return renderToStaticMarkup(
    h(NextIntlClientProvider, { locale, messages, timeZone: "UTC", children: h(DocsKeysProvider, { origin: "https://api.example.com", keys: [], signedIn, children: node }) }),
  ).replaceAll("<!-- -->", "");
}

describe("docs for a visitor", () => {
  it("offers to sign in or to paste a key in the key picker, instead of a list of keys", () => {
    const html = render(h(KeyPicker), { signedIn: false });
    expect(html).toContain('data-testid="paste-key"');
    expect(html).toContain('data-testid="key-picker-visitor"');
    expect(html).toMatch(/href="\/sign-in\?callbackUrl=%2Fdocs"[^>]*>Sign in</);
    expect(html).not.toContain("<select");
    expect(html).not.toContain('href="/keys"');
    const user = render(h(KeyPicker), { signedIn: true });
    expect(user).toContain("<select");
    expect(user).not.toContain('data-testid="key-picker-visitor"');
  });

  it("runs Try it only with a pasted key: no Playground key, a sign-in link, Run disabled until a key is pasted", () => {
    const html = render(h(TryIt, { slug: "chat-completions" }), { signedIn: false });
    expect(html).not.toContain('data-testid="try-it-key"');
    expect(html).not.toContain("Playground key (kept on the server)");
    expect(html).toContain('data-testid="try-it-visitor"');
    expect(html).toMatch(/href="\/sign-in\?callbackUrl=%2Fdocs"/);
    expect(html).toContain('href="#docs-key"');
    expect(html).toMatch(/<button[^>]*disabled=""[^>]*data-testid="try-it-run"/);
    const user = render(h(TryIt, { slug: "chat-completions" }), { signedIn: true });
    expect(user).toContain('data-testid="try-it-key"');
    expect(user).not.toMatch(/<button[^>]*disabled=""[^>]*data-testid="try-it-run"/);
  });

  it("is translated into Chinese", () => {
    const html = render(h("div", null, h(KeyPicker), h(TryIt, { slug: "models" })), { signedIn: false, locale: "zh" });
    expect(html).toContain("登录");
    expect(html).toContain("粘贴一个密钥");
    expect(html).not.toContain("Sign in");
  });
});
