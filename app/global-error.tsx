"use client";

import "@fontsource-variable/inter";
import "./globals.css";
import en from "@/messages/en/errors.json";
import zh from "@/messages/zh/errors.json";
import { Logo } from "@/components/portal/logo";
import { StatusMessage } from "@/components/portal/status-message";
import { Button } from "@/components/ui/button";

const LANGUAGES = [
  { lang: "en", text: en.page.error },
  { lang: "zh-CN", text: zh.page.error },
] as const;

/**
 * The root layout itself failed, so there is no locale and no translations provider: the last
 * resort says it in both languages, with its own document as Next requires.
 */
export default function GlobalError({ retry }: { error: unknown; retry: () => void }) {
  return (
    <html lang="en">
      <body className="min-h-screen bg-zinc-50 font-sans text-zinc-900">
        <title>{`${en.page.error.title} · ${zh.page.error.title}`}</title>
        <header className="mx-auto max-w-6xl px-4 py-5 sm:px-6">
          <Logo />
        </header>
        <main className="mx-auto max-w-6xl px-4 sm:px-6">
          {LANGUAGES.map(({ lang, text }) => (
            <div key={lang} lang={lang}>
              <StatusMessage code="!" title={text.title} body={text.body}>
                <Button onClick={() => retry()}>{text.retry}</Button>
                <a href="/" className="self-center text-sm font-medium text-indigo-600 hover:text-indigo-500">
                  {text.home}
                </a>
              </StatusMessage>
            </div>
          ))}
        </main>
      </body>
    </html>
  );
}
