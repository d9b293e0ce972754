import type { Metadata } from "next";
import { getTranslations } from "next-intl/server";
import { PageHeader } from "@/components/portal/page-header";
import { Card, CardDescription, CardTitle } from "@/components/ui/card";
import { Badge } from "@/components/ui/badge";
import { ResendVerification } from "@/components/account/resend-verification";
import { ChangePasswordForm } from "@/components/account/change-password-form";
import { SignOutEverywhere } from "@/components/account/sign-out-everywhere";
import { requirePageUser } from "@/lib/auth/session";
import { PASSWORD_MIN_LENGTH } from "@/lib/auth/password";
import { getDb } from "@/lib/db/client";

export async function generateMetadata(): Promise<Metadata> {
  const t = await getTranslations("account");
  return { title: t("title") };
}

export default async function AccountPage() {
  const user = await requirePageUser();
  const [t, record] = await Promise.all([
    getTranslations("account"),
    getDb().user.findUniqueOrThrow({ where: { id: user.id }, select: { passwordHash: true } }),
  ]);
  return (
    <>
      <PageHeader title={t("title")} description={t("description")} />
      <div className="space-y-6">
        <Card>
          <CardTitle>{t("email.title")}</CardTitle>
          <p className="mt-2 flex items-center gap-2 text-sm text-zinc-900">
            <span data-testid="account-email">{user.email}</span>
            <Badge tone={user.emailVerified ? "green" : "amber"}>{user.emailVerified ? t("email.verified") : t("email.unverified")}</Badge>
          </p>
          {user.emailVerified ? null : (
            <>
              <CardDescription>{t("email.unverifiedHint")}</CardDescription>
              <ResendVerification />
            </>
          )}
        </Card>
        {/* Accounts made through GitHub or Google have no password to change. */}
        {record.passwordHash ? (
          <Card>
            <CardTitle>{t("password.title")}</CardTitle>
            <ChangePasswordForm minPasswordLength={PASSWORD_MIN_LENGTH} />
          </Card>
        ) : null}
        <Card>
          <CardTitle>{t("sessions.title")}</CardTitle>
          <CardDescription>{t("sessions.hint")}</CardDescription>
          <SignOutEverywhere />
        </Card>
      </div>
    </>
  );
}
