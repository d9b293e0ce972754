import { MemoryAttemptStore } from "../auth/throttle";

/**
 * At most MAILS_PER_HOUR account mails of one kind per account per hour: the reset form and the
 * resend button must not become a way to flood someone's mailbox (anyone can sign up with any address).
 */
const MAILS_PER_HOUR = 3;
const HOUR = 3600_000;
const sent = new MemoryAttemptStore(HOUR);

/** Counts one mail for `key` and says whether it may go out. */
export function takeMailQuota(key: string, now = Date.now()): boolean {
  if (sent.failures(key, HOUR, now) >= MAILS_PER_HOUR) return false;
  sent.recordFailure(key, now);
  return true;
}
