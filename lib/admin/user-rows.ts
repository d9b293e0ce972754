/** Users as the admin console lists them. Money as micro-dollar decimal strings, dates as ISO. No server imports. */
export interface AdminUserRow {
  id: string;
  email: string;
  name: string | null;
  role: "USER" | "ADMIN";
  disabled: boolean;
  balance: string;
  createdAt: string;
  lastRequestAt: string | null;
}

export interface AdminLedgerRow {
  id: string;
  kind: string;
  amount: string;
  balanceAfter: string;
  note: string | null;
  actorEmail: string | null;
  createdAt: string;
}
