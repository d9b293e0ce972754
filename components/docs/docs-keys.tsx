"use client";

import { createContext, useContext, useMemo, useState, type ReactNode } from "react";
import { KEY_PLACEHOLDER } from "@/lib/docs/snippets";
import type { DocsKey } from "@/lib/docs/types";

/**
 * The key the docs' examples name, shared by every docs page while the user moves between them
 * (the provider lives in the docs layout). A pasted key lives in this React state only: never in
 * storage, cookies or URLs, and gone on reload.
 */
interface DocsKeysValue {
  origin: string;
  /** False for a visitor: no keys of their own and no Playground key, so "Try it" needs a pasted key or a sign-in. */
  signedIn: boolean;
  keys: DocsKey[];
  selectedId: string;
  setSelectedId: (id: string) => void;
  pasted: string;
  setPasted: (key: string) => void;
  /** What snippets put in place of the key: the pasted key, the chosen key's prefix, or "sk-…". */
  snippetKey: string;
  /** The id of the last response "Try it" created: the GET/DELETE examples use it instead of a made-up one. */
  lastResponseId: string;
  setLastResponseId: (id: string) => void;
}

const DocsKeysContext = createContext<DocsKeysValue | null>(null);

export function DocsKeysProvider({ origin, keys, signedIn = true, children }: { origin: string; keys: DocsKey[]; signedIn?: boolean; children: ReactNode }) {
  const [selectedId, setSelectedId] = useState("");
  const [pasted, setPasted] = useState("");
  const [lastResponseId, setLastResponseId] = useState("");
  const value = useMemo<DocsKeysValue>(() => {
    const selected = keys.find((k) => k.id === selectedId);
    const snippetKey = pasted.trim() || selected?.prefix || KEY_PLACEHOLDER;
    return { origin, signedIn, keys, selectedId, setSelectedId, pasted, setPasted, snippetKey, lastResponseId, setLastResponseId };
  }, [origin, signedIn, keys, selectedId, pasted, lastResponseId]);
  return <DocsKeysContext.Provider value={value}>{children}</DocsKeysContext.Provider>;
}

export function useDocsKeys(): DocsKeysValue {
  const value = useContext(DocsKeysContext);
  if (!value) throw new Error("useDocsKeys() outside DocsKeysProvider");
  return value;
}
