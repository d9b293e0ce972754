import type catalog from "../messages/en/errors.json";

/** A key of the portal's API error messages: `errors.api.<key>` in messages/{en,zh}/errors.json. */
export type ApiErrorKey = keyof (typeof catalog)["api"];

/**
 * Which catalog message a UserError is, with its arguments: the portal shows it in the visitor's
 * language (portalRoute). An argument may itself be a message (a label, a nested reason).
 */
export interface ErrorMessage {
  readonly key: ApiErrorKey;
  readonly values?: Readonly<Record<string, string | number | ErrorMessage>>;
}

/** `errors.api.<key>` with its arguments, for the last argument of `new UserError(…)`. */
export const apiMessage = (key: ApiErrorKey, values?: ErrorMessage["values"]): ErrorMessage => ({ key, values });

/** `t` of next-intl's errors.api namespace (getTranslations / useTranslations / createTranslator). */
export type ErrorTranslator = (key: ApiErrorKey, values?: Record<string, string | number>) => string;

/** A message descriptor as text: nested messages (labels, reasons) are rendered first. */
export function renderErrorMessage(message: ErrorMessage, t: ErrorTranslator): string {
  const values: Record<string, string | number> = {};
  for (const [name, value] of Object.entries(message.values ?? {})) {
    values[name] = typeof value === "object" ? renderErrorMessage(value, t) : value;
  }
  return t(message.key, values);
}

/**
 * An error whose message is safe and useful to show to the person who caused it
 * (portal forms, JSON API responses, CLI output). Anything else is reported generically.
 * `message` is the English text the CLI and API clients get; `localized` names the same message in
 * the catalog so the portal can say it in the visitor's language.
 */
export class UserError extends Error {
  constructor(
    message: string,
    readonly status: number = 400,
    readonly code: string = "invalid_request",
    readonly field?: string,
    readonly localized?: ErrorMessage,
  ) {
    super(message);
    this.name = "UserError";
  }

  /** The same error reported against another field and code (e.g. a parseUsd failure on a form field). */
  static on(error: unknown, field: string, code: string, status = 400): unknown {
    if (!(error instanceof Error)) return error;
    return new UserError(error.message, status, code, field, error instanceof UserError ? error.localized : undefined);
  }
}

export const notFound = (what: string, localized?: ErrorMessage) => new UserError(`${what} not found`, 404, "not_found", undefined, localized);
