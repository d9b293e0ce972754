/**
 * Money is an integer number of micro-dollars (1 USD = 1,000,000 µ$) held in a bigint.
 * Decimal strings are converted exactly; floats never touch an amount.
 */
import { UserError, apiMessage } from "./errors";

export const MICROS_PER_USD = 1_000_000n;

const USD_PATTERN = /^([+-])?(\d+)(?:\.(\d+))?$/;

/** "12.5" → 12_500_000n. Rejects more than 6 decimals rather than rounding money silently. */
export function parseUsd(input: string): bigint {
  const match = USD_PATTERN.exec(input.trim());
  if (!match) throw new UserError(`"${input}" is not a dollar amount (expected e.g. 10 or 0.25)`, 400, "invalid_amount", undefined, apiMessage("notDollarAmount", { value: input }));
  const [, sign, whole, fraction = ""] = match;
  if (fraction.length > 6) throw new UserError(`"${input}" has more than 6 decimals (the smallest unit is 0.000001 USD)`, 400, "invalid_amount", undefined, apiMessage("tooManyDecimals", { value: input }));
  const micros = BigInt(whole) * MICROS_PER_USD + BigInt(fraction.padEnd(6, "0"));
  return sign === "-" ? -micros : micros;
}

/** 9_999_882n → "9.999882" (always 6 decimals, exact). */
export function formatUsd(micros: bigint): string {
  const negative = micros < 0n;
  const abs = negative ? -micros : micros;
  const whole = abs / MICROS_PER_USD;
  const fraction = (abs % MICROS_PER_USD).toString().padStart(6, "0");
  return `${negative ? "-" : ""}${whole}.${fraction}`;
}

/** For display: "$9.99" with at least 2 decimals and no trailing noise beyond 6. */
export function displayUsd(micros: bigint): string {
  const exact = formatUsd(micros);
  const [whole, fraction] = exact.split(".");
  const trimmed = fraction.replace(/0+$/, "").padEnd(2, "0");
  return whole.startsWith("-") ? `-$${whole.slice(1)}.${trimmed}` : `$${whole}.${trimmed}`;
}
