"use client";

import { useRouter } from "next/navigation";
import { useState } from "react";
import { Alert } from "@/components/ui/alert";
import type { AdminUserRow } from "@/lib/admin/user-rows";
import { UserActions } from "./user-actions";

/** The user page's actions: after each change the server-rendered page (ledger included) reloads. */
export function UserDetailActions({ user }: { user: AdminUserRow }) {
  const router = useRouter();
  const [message, setMessage] = useState<string | null>(null);
  return (
    <div className="space-y-3">
      <UserActions user={user} onChanged={() => router.refresh()} onMessage={setMessage} />
      {message ? <Alert tone="success">{message}</Alert> : null}
    </div>
  );
}
