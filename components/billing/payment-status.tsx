"use client";

import { useEffect, useState } from "react";
import Link from "next/link";
import { useTranslations } from "next-intl";
import { Alert } from "@/components/ui/alert";
import { displayUsd } from "@/lib/money";

type Status = "PENDING" | "PAID" | "FAILED" | "EXPIRED" | "REFUNDED" | "PARTIALLY_REFUNDED";
interface Payment {
  status: Status;
  amount: string;
  receiptUrl: string | null;
}

const POLL_MS = 1_500;
const GIVE_UP_MS = 120_000;

/** Waits for Stripe's webhook to land: "processing" until the payment is credited (or fails). */
export function PaymentStatus({ sessionId }: { sessionId: string }) {
  const t = useTranslations("billing.success");
  const [payment, setPayment] = useState<Payment | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [slow, setSlow] = useState(false);

  useEffect(() => {
    let stopped = false;
    const started = Date.now();
    async function poll() {
      try {
        const response = await fetch(`/api/billing/payments/${encodeURIComponent(sessionId)}`);
        const body = await response.json().catch(() => null);
        if (!response.ok) throw new Error(body?.error?.message ?? t("requestFailed", { status: response.status }));
        const current = (body.data ?? body) as Payment;
        if (stopped) return;
        setPayment(current);
        if (current.status !== "PENDING") return;
      } catch (e) {
        if (!stopped) setError((e as Error).message);
      }
      if (Date.now() - started > GIVE_UP_MS) return setSlow(true);
      if (!stopped) setTimeout(poll, POLL_MS);
    }
    void poll();
    return () => {
      stopped = true;
    };
  }, [sessionId, t]);

  if (error && !payment) return <Alert tone="error">{error}</Alert>;
  if (!payment || payment.status === "PENDING") {
    return (
      <div role="status" aria-live="polite" className="space-y-2">
        <p className="flex items-center gap-2 text-lg font-medium">
          <span aria-hidden className="size-4 animate-spin rounded-full border-2 border-indigo-600 border-t-transparent" />
          {t("processing")}
        </p>
        <p className="text-sm text-zinc-600">{slow ? t("slow") : t("waiting")}</p>
      </div>
    );
  }
  if (payment.status === "PAID" || payment.status.endsWith("REFUNDED")) {
    return (
      <div className="space-y-3" role="status">
        <Alert tone="success">{t("received", { amount: displayUsd(BigInt(payment.amount)) })}</Alert>
        <p className="flex gap-4 text-sm">
          <Link href="/billing" className="font-semibold text-indigo-600">
            {t("back")}
          </Link>
          {payment.receiptUrl ? (
            <a href={payment.receiptUrl} className="font-semibold text-indigo-600" target="_blank" rel="noreferrer">
              {t("receipt")}
            </a>
          ) : null}
        </p>
      </div>
    );
  }
  return <Alert tone="error">{t("failed", { status: payment.status })}</Alert>;
}
