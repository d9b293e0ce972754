/**
 * A deliberately small argument parser for the admin CLI: `--name value` pairs and known boolean
 * flags. Unlike util.parseArgs it accepts values that start with a dash (`--usd -5`).
 */
export interface ParsedArgs {
  positionals: string[];
  options: Map<string, string | true>;
}

export function parseArgs(argv: string[], booleanFlags: ReadonlySet<string>): ParsedArgs {
  const positionals: string[] = [];
  const options = new Map<string, string | true>();
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (!arg.startsWith("--")) {
      positionals.push(arg);
      continue;
    }
    const eq = arg.indexOf("=");
    const name = arg.slice(2, eq === -1 ? undefined : eq);
    if (!name) throw new Error(`Malformed option "${arg}"`);
    if (options.has(name)) throw new Error(`--${name} given twice`);
    if (booleanFlags.has(name)) {
      if (eq !== -1) throw new Error(`--${name} takes no value`);
      options.set(name, true);
    } else if (eq !== -1) {
      options.set(name, arg.slice(eq + 1));
    } else {
      const value = argv[++i];
      if (value === undefined) throw new Error(`--${name} needs a value`);
      options.set(name, value);
    }
  }
  return { positionals, options };
}

/** Typed access to parsed options, with errors that name the option. */
export class Options {
  constructor(private readonly options: Map<string, string | true>) {}

  string(name: string): string | undefined {
    const value = this.options.get(name);
    return value === true ? undefined : value;
  }

  required(name: string): string {
    const value = this.string(name);
    if (value === undefined || value === "") throw new Error(`--${name} is required`);
    return value;
  }

  flag(name: string): boolean {
    return this.options.get(name) === true;
  }

  int(name: string): number | undefined {
    const value = this.string(name);
    if (value === undefined) return undefined;
    if (!/^-?\d+$/.test(value)) throw new Error(`--${name} must be a whole number, got "${value}"`);
    return Number(value);
  }

  /** Typos are errors, not silently ignored options. */
  assertOnly(allowed: ReadonlySet<string>): void {
    const unknown = [...this.options.keys()].filter((name) => !allowed.has(name));
    if (unknown.length) throw new Error(`Unknown option${unknown.length > 1 ? "s" : ""}: ${unknown.map((n) => `--${n}`).join(", ")}`);
  }
}
