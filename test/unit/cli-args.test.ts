import { describe, expect, it } from "vitest";
import { Options, parseArgs } from "@/lib/cli/args";

describe("CLI argument parsing", () => {
  it("takes positionals, --name value, --name=value and boolean flags", () => {
    const { positionals, options } = parseArgs(["user", "create", "--email", "a@b.co", "--password=x y", "--admin"], new Set(["admin"]));
    expect(positionals).toEqual(["user", "create"]);
    expect(Object.fromEntries(options)).toEqual({ email: "a@b.co", password: "x y", admin: true });
  });

  it("accepts negative amounts as values", () => {
    expect(parseArgs(["credit", "--usd", "-5"], new Set()).options.get("usd")).toBe("-5");
  });

  it("rejects missing values, repeats and unknown options", () => {
    expect(() => parseArgs(["--email"], new Set())).toThrow("--email needs a value");
    expect(() => parseArgs(["--a", "1", "--a", "2"], new Set())).toThrow("given twice");
    const opts = new Options(parseArgs(["--email", "x", "--verbose", "1"], new Set()).options);
    expect(() => opts.assertOnly(new Set(["email"]))).toThrow("Unknown option: --verbose");
  });

  it("validates typed options", () => {
    const opts = new Options(parseArgs(["--rpm", "60", "--tpm", "lots"], new Set()).options);
    expect(opts.int("rpm")).toBe(60);
    expect(() => opts.int("tpm")).toThrow('--tpm must be a whole number, got "lots"');
    expect(() => opts.required("email")).toThrow("--email is required");
  });
});
