"use client";

import { useState, type FormEvent } from "react";
import { Button } from "@/components/ui/button";
import { Field, inputClasses } from "@/components/ui/field";
import { Alert } from "@/components/ui/alert";
import { portalFetch } from "@/lib/client/portal-fetch";

const EXPIRY_OPTIONS = [
  { value: "", label: "Never" },
  { value: "7", label: "In 7 days" },
  { value: "30", label: "In 30 days" },
  { value: "90", label: "In 90 days" },
  { value: "365", label: "In a year" },
];

export function CreateKeyForm({ onCreated }: { onCreated: (key: string) => void }) {
  const [error, setError] = useState<string | null>(null);
  const [pending, setPending] = useState(false);

  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const formElement = event.currentTarget;
    const form = new FormData(formElement);
    const days = Number(form.get("expiry") || 0);
    setPending(true);
    setError(null);
    try {
      const { key } = await portalFetch<{ key: string }>("/api/keys", {
        method: "POST",
        body: JSON.stringify({
          name: form.get("name"),
          expiresAt: days ? new Date(Date.now() + days * 86_400_000).toISOString() : null,
          budgetUsd: form.get("budgetUsd") || null,
          budgetPeriod: form.get("budgetPeriod"),
          rpmLimit: form.get("rpmLimit") || null,
          tpmLimit: form.get("tpmLimit") || null,
          allowedModels: form.get("allowedModels") || null,
        }),
      });
      formElement.reset();
      onCreated(key);
    } catch (e) {
      setError((e as Error).message);
    } finally {
      setPending(false);
    }
  }

  return (
    <form onSubmit={onSubmit} className="flex flex-wrap items-end gap-3" aria-label="Create API key">
      <Field id="name" label="Name" placeholder="e.g. production backend" required maxLength={64} className="min-w-56 flex-1" />
      <div>
        <label htmlFor="expiry" className="block text-sm font-medium">
          Expires
        </label>
        <select id="expiry" name="expiry" className={`${inputClasses} mt-1.5`} defaultValue="">
          {EXPIRY_OPTIONS.map((o) => (
            <option key={o.value} value={o.value}>
              {o.label}
            </option>
          ))}
        </select>
      </div>
      <Button type="submit" disabled={pending}>
        {pending ? "Creating…" : "Create key"}
      </Button>
      <details className="w-full">
        <summary className="cursor-pointer text-sm font-medium text-zinc-700">Limits (optional)</summary>
        <div className="mt-3 grid gap-3 sm:grid-cols-2 lg:grid-cols-3">
          <Field id="budgetUsd" label="Budget (USD)" inputMode="decimal" placeholder="no budget" />
          <div>
            <label htmlFor="budgetPeriod" className="block text-sm font-medium">
              Budget period
            </label>
            <select id="budgetPeriod" name="budgetPeriod" className={`${inputClasses} mt-1.5`} defaultValue="TOTAL">
              <option value="TOTAL">In total</option>
              <option value="MONTHLY">Per calendar month (UTC)</option>
            </select>
          </div>
          <Field id="allowedModels" label="Allowed models" placeholder="all models" hint="Comma-separated model ids." />
          <Field id="rpmLimit" label="Requests per minute" inputMode="numeric" placeholder="unlimited" />
          <Field id="tpmLimit" label="Tokens per minute" inputMode="numeric" placeholder="unlimited" />
        </div>
      </details>
      {error ? (
        <Alert tone="error" className="w-full">
          {error}
        </Alert>
      ) : null}
    </form>
  );
}
