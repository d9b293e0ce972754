/**
 * An error whose message is safe and useful to show to the person who caused it
 * (portal forms, JSON API responses, CLI output). Anything else is reported generically.
 */
export class UserError extends Error {
  constructor(
    message: string,
    readonly status: number = 400,
    readonly code: string = "invalid_request",
    readonly field?: string,
  ) {
    super(message);
    this.name = "UserError";
  }
}

export const notFound = (what: string) => new UserError(`${what} not found`, 404, "not_found");
