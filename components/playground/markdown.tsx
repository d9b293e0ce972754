"use client";

import { useTranslations } from "next-intl";
import { memo, type ComponentProps } from "react";
import ReactMarkdown, { type Components } from "react-markdown";
import rehypeHighlight from "rehype-highlight";
import remarkGfm from "remark-gfm";
import { cn } from "@/lib/utils/cn";
import "./playground.css";

const remarkPlugins = [remarkGfm];
// Highlight fenced blocks that name their language; no guessing (cheap while a stream re-renders).
const rehypePlugins: NonNullable<ComponentProps<typeof ReactMarkdown>["rehypePlugins"]> = [[rehypeHighlight, { detect: false }]];

/** Images would be fetched from anywhere the model names: show the link instead. */
function ImageLink({ src, alt }: { src?: unknown; alt?: string }) {
  const t = useTranslations("playground.message");
  return (
    <a href={typeof src === "string" ? src : undefined} target="_blank" rel="noopener noreferrer nofollow">
      {alt || t("image")}
    </a>
  );
}

const components: Components = {
  // Model output is untrusted: links open elsewhere, without access to this page.
  a: ({ node: _node, ...props }) => <a {...props} target="_blank" rel="noopener noreferrer nofollow" />,
  img: ({ src, alt }) => <ImageLink src={src} alt={alt} />,
};

/**
 * Markdown (GitHub flavour: tables, task lists, strikethrough, autolinks) with highlighted code.
 * react-markdown builds React elements and never injects HTML, so a model's answer cannot run script.
 */
export const Markdown = memo(function Markdown({ text, className }: { text: string; className?: string }) {
  return (
    <div className={cn("pg-markdown", className)}>
      <ReactMarkdown remarkPlugins={remarkPlugins} rehypePlugins={rehypePlugins} components={components}>
        {text}
      </ReactMarkdown>
    </div>
  );
});
