import Stripe from "stripe";
import { parseUsd } from "../../money";

/**
 * The Stripe SDK, configured from the environment:
 *   STRIPE_SECRET_KEY      enables card payments (sk_live_… / sk_test_…)
 *   STRIPE_WEBHOOK_SECRET  verifies webhook deliveries (whsec_…)
 *   STRIPE_API_BASE        another API origin, e.g. http://127.0.0.1:12345 (tests, egress proxies)
 *   TOPUP_MIN_USD / TOPUP_MAX_USD  the allowed top-up range (default 5 and 1000)
 */
export function stripeConfigured(): boolean {
  return Boolean(process.env.STRIPE_SECRET_KEY?.trim());
}

/** The webhook signing secret, or null when webhooks are not set up. */
export function stripeWebhookSecret(): string | null {
  return process.env.STRIPE_WEBHOOK_SECRET?.trim() || null;
}

/** host/port/protocol options for STRIPE_API_BASE (empty when unset: the SDK's default API host). */
export function stripeApiBaseOptions(base = process.env.STRIPE_API_BASE): Pick<Stripe.StripeConfig, "host" | "port" | "protocol"> {
  if (!base?.trim()) return {};
  let url: URL;
  try {
    url = new URL(base.trim());
  } catch {
    throw new Error(`STRIPE_API_BASE is not a URL: "${base}" (expected e.g. http://127.0.0.1:12345)`);
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") throw new Error(`STRIPE_API_BASE must be http(s): "${base}"`);
  const protocol = url.protocol === "http:" ? "http" : "https";
  return { host: url.hostname, port: url.port || (protocol === "http" ? 80 : 443), protocol };
}

// One client per process (and per key), kept on globalThis like the database client.
const holder = globalThis as typeof globalThis & { __rootapiStripe?: { signature: string; client: Stripe } };

/** The process-wide Stripe client. Throws when STRIPE_SECRET_KEY is not set (check stripeConfigured() first). */
export function getStripe(): Stripe {
  const key = process.env.STRIPE_SECRET_KEY?.trim();
  if (!key) throw new Error("Stripe is not configured: set STRIPE_SECRET_KEY");
  const signature = `${key}\n${process.env.STRIPE_API_BASE ?? ""}`;
  if (holder.__rootapiStripe?.signature === signature) return holder.__rootapiStripe.client;
  const client = new Stripe(key, {
    ...stripeApiBaseOptions(),
    maxNetworkRetries: 2,
    timeout: 30_000,
    appInfo: { name: "RootAPI" },
  });
  holder.__rootapiStripe = { signature, client };
  return client;
}

export interface TopupLimits {
  /** Smallest top-up, micro-dollars. */
  min: bigint;
  /** Largest top-up, micro-dollars. */
  max: bigint;
}

function usdSetting(name: string, fallback: string): bigint {
  const raw = process.env[name]?.trim() || fallback;
  try {
    const value = parseUsd(raw);
    if (value <= 0n) throw new Error("must be positive");
    return value;
  } catch (error) {
    throw new Error(`${name} is not a valid dollar amount ("${raw}"): ${(error as Error).message}`);
  }
}

/** TOPUP_MIN_USD (default 5) and TOPUP_MAX_USD (default 1000), in micro-dollars. */
export function topupLimits(): TopupLimits {
  return { min: usdSetting("TOPUP_MIN_USD", "5"), max: usdSetting("TOPUP_MAX_USD", "1000") };
}

/** Stripe amounts are integer cents; 1 cent = 10,000 µ$. */
export const MICROS_PER_CENT = 10_000n;

export const centsToMicros = (cents: number): bigint => BigInt(cents) * MICROS_PER_CENT;

/** Exact conversion; throws when the amount is not a whole number of cents. */
export function microsToCents(micros: bigint): number {
  if (micros % MICROS_PER_CENT !== 0n) throw new Error(`${micros} µ$ is not a whole number of cents`);
  return Number(micros / MICROS_PER_CENT);
}
