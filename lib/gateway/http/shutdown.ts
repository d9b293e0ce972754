/**
 * Whether this process is cutting its last connections at shutdown. Requests cut then did not lose
 * their client — the server left them — and are logged as such (503 `server_shutdown`), not as 499.
 */
let cutting = false;

export function markCuttingConnections(): void {
  cutting = true;
}

export interface CutOutcome {
  status: number;
  code: string;
  message: string;
}

/** How a request whose connection closed under it is logged. */
export function connectionClosedOutcome(): CutOutcome {
  return cutting
    ? { status: 503, code: "server_shutdown", message: "The server shut down before the request finished." }
    : { status: 499, code: "client_closed_request", message: "The client closed the request early." };
}
