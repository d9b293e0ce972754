/**
 * The server (server/index.ts) overwrites this header on every request with the socket's address
 * (or the first X-Forwarded-For hop when TRUST_PROXY=1), so code behind it can rely on it.
 */
export const CLIENT_IP_HEADER = "x-rootapi-client-ip";
