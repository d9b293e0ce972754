/**
 * RootAPI admin CLI:  npm run cli -- <command> [options]
 * Exit code 0 on success; otherwise one line on stderr and a non-zero code. A printed value
 * (a key, a balance) is alone on the last line of stdout.
 */
import { BOOLEAN_FLAGS, COMMANDS } from "../lib/cli/commands";
import { Options, parseArgs } from "../lib/cli/args";
import { UserError } from "../lib/errors";

function usage(): string {
  return ["Usage: npm run cli -- <command> [options]", "", "Commands:", ...Object.values(COMMANDS).map((c) => `  ${c.usage}`)].join("\n");
}

async function main(argv: string[]): Promise<number> {
  const { positionals, options } = parseArgs(argv, BOOLEAN_FLAGS);
  if (!positionals.length || options.get("help") === true) {
    console.log(usage());
    return positionals.length ? 0 : 1;
  }
  const name = COMMANDS[positionals.slice(0, 2).join(" ")] ? positionals.slice(0, 2).join(" ") : positionals[0]!;
  const command = COMMANDS[name];
  if (!command || positionals.length > name.split(" ").length) {
    throw new Error(`Unknown command "${positionals.join(" ")}". Run "npm run cli -- --help" for the list.`);
  }
  const opts = new Options(options);
  // A command accepts exactly the options its usage line names.
  opts.assertOnly(new Set([...command.usage.matchAll(/--([a-z0-9-]+)/g)].map((m) => m[1]!)));

  // Loaded lazily so --help and argument errors answer instantly.
  const { databaseUrl } = await import("../lib/db/url");
  const { migrate } = await import("../lib/db/migrate");
  const { getDb, closeDb } = await import("../lib/db/client");
  const url = databaseUrl();
  try {
    // Every command works on a fresh install: the schema is brought up to date first (idempotent).
    if (command.needsDb !== false) await migrate(url);
    const result = await command.run({ db: getDb(), url, opts });
    for (const line of result.lines) console.log(line);
    return result.exitCode ?? 0;
  } finally {
    await closeDb();
  }
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: unknown) => {
    const message = error instanceof UserError || error instanceof Error ? error.message : String(error);
    console.error(`error: ${message.split("\n")[0]}`);
    process.exit(1);
  },
);
