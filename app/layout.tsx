import type { Metadata, Viewport } from "next";
import type { ReactNode } from "react";
import "@fontsource-variable/inter";
import "./globals.css";

export const metadata: Metadata = {
  title: { default: "RootAPI", template: "%s · RootAPI" },
  description: "One OpenAI-compatible API key for many models, billed to the micro-dollar. Open source and self-hostable.",
};

export const viewport: Viewport = { width: "device-width", initialScale: 1 };

export default function RootLayout({ children }: { children: ReactNode }) {
  return (
    <html lang="en">
      <body className="min-h-screen bg-zinc-50 font-sans text-zinc-900">{children}</body>
    </html>
  );
}
