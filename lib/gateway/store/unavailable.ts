/**
 * Whether an error means the database cannot be reached right now (down, restarting, refusing
 * connections, the connection cut) rather than that a query was wrong: such requests get a 503
 * their clients may retry, and settlement keeps what it could not write for later.
 */
const NETWORK_CODES = new Set(["ECONNREFUSED", "ECONNRESET", "ETIMEDOUT", "EPIPE", "EHOSTUNREACH", "ENETUNREACH", "ENOTFOUND", "EAI_AGAIN"]);
// PostgreSQL: admin_shutdown, crash_shutdown, cannot_connect_now, too_many_connections.
const SERVER_CODES = new Set(["57P01", "57P02", "57P03", "53300"]);
// Prisma: cannot reach the server, server closed the connection, connection pool timeout.
const PRISMA_CODES = new Set(["P1001", "P1002", "P1017", "P2024"]);
// node-postgres reports a dropped connection or a connect timeout by message only.
const MESSAGES = /Connection terminated|timeout exceeded when trying to connect|Client has encountered a connection error|Connection is closed/i;

export function isDatabaseUnavailable(error: unknown, depth = 0): boolean {
  if (!error || typeof error !== "object" || depth > 3) return false;
  const { code, message, cause, errors } = error as { code?: unknown; message?: unknown; cause?: unknown; errors?: unknown };
  if (typeof code === "string" && (NETWORK_CODES.has(code) || SERVER_CODES.has(code) || PRISMA_CODES.has(code) || code.startsWith("08"))) return true;
  if (typeof message === "string" && MESSAGES.test(message)) return true;
  // Connecting to every address of a host fails as one AggregateError; wrappers keep the original as `cause`.
  if (Array.isArray(errors) && errors.some((e) => isDatabaseUnavailable(e, depth + 1))) return true;
  return isDatabaseUnavailable(cause, depth + 1);
}
