import { spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { mkdir, mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";

/**
 * Runs Claude Code (the `@anthropic-ai/claude-code` dev dependency's native binary) in print mode
 * against a local server, offline and isolated:
 *
 * - a fresh temporary HOME with CLAUDE_CONFIG_DIR, XDG dirs and TMPDIR / CLAUDE_CODE_TMPDIR inside
 *   it (Claude Code otherwise writes `/tmp/claude-<uid>` and `/tmp/cc-socks`), removed afterwards;
 * - a clean environment: PATH and the variables below only — none of the parent's ANTHROPIC_*,
 *   CLAUDE_*, proxy or cloud-provider variables;
 * - CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC and the DISABLE_* switches. Without them a run resolves
 *   the public API host (telemetry) and sends `HEAD /api/hello` to ANTHROPIC_BASE_URL; with them the
 *   only connection is the `POST /v1/messages?beta=true` to ANTHROPIC_BASE_URL (checked with strace).
 *
 * A fresh user needs nothing else: `-p` skips onboarding, the trust dialog and the API key approval,
 * so no settings file is written beforehand. stdin is /dev/null (else `-p` waits for piped input).
 */

const root = path.resolve(import.meta.dirname, "../..");
export const CLAUDE_CODE_BIN = path.join(root, "node_modules", ".bin", "claude");

/** Switches that keep Claude Code from any traffic but the model requests. */
export const CLAUDE_CODE_OFFLINE_ENV: Readonly<Record<string, string>> = {
  CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC: "1",
  DISABLE_AUTOUPDATER: "1",
  DISABLE_TELEMETRY: "1",
  DISABLE_ERROR_REPORTING: "1",
  DISABLE_GROWTHBOOK: "1",
  CLAUDE_CODE_ENABLE_TELEMETRY: "0",
};

export interface ClaudeCodeRun {
  /** Server origin without `/v1` (ANTHROPIC_BASE_URL), e.g. the fake's or the gateway's. */
  baseUrl: string;
  /** Sent as `x-api-key` (ANTHROPIC_API_KEY). */
  apiKey?: string;
  /** Sent as `Authorization: Bearer` (ANTHROPIC_AUTH_TOKEN). */
  authToken?: string;
  model: string;
  prompt: string;
  /** Working directory; default a fresh empty directory inside the temporary home. */
  cwd?: string;
  /** Default 60 s; the process group is killed then (result `timedOut`). */
  timeoutMs?: number;
  /** `--output-format` (default `text`); with `json` the result's `json` holds the parsed object. */
  outputFormat?: "text" | "json";
  /** More command-line arguments, after `-p <prompt> --model <model>`. */
  args?: string[];
  /** More environment variables (e.g. ANTHROPIC_SMALL_FAST_MODEL, ANTHROPIC_CUSTOM_HEADERS). */
  env?: Record<string, string>;
}

export interface ClaudeCodeResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  timedOut: boolean;
  /** Wall-clock time of the process, start to exit. */
  durationMs: number;
  /** The parsed `--output-format json` result (`result`, `is_error`, `usage`, `total_cost_usd`, …). */
  json?: ClaudeCodeJsonResult;
  /** The (already removed) temporary directories of the run, for scrubbing recorded requests. */
  dirs: { base: string; home: string; cwd: string; tmp: string };
}

/** The parts of Claude Code's `--output-format json` result the tests read. */
export interface ClaudeCodeJsonResult {
  type: "result";
  subtype: string;
  is_error: boolean;
  result: string;
  num_turns: number;
  total_cost_usd: number;
  usage: Record<string, unknown>;
  modelUsage: Record<string, Record<string, unknown>>;
  api_error_status: number | null;
  [key: string]: unknown;
}

export function claudeCodeAvailable(): boolean {
  return existsSync(CLAUDE_CODE_BIN);
}

/** The whole environment a run gets (exported for tests that spawn Claude Code themselves). */
export function claudeCodeEnv(options: Pick<ClaudeCodeRun, "baseUrl" | "apiKey" | "authToken" | "env">, home: string, tmp: string): Record<string, string> {
  const env: Record<string, string> = {
    PATH: process.env.PATH ?? "/usr/bin:/bin",
    LANG: "C.UTF-8",
    TERM: "dumb",
    NO_COLOR: "1",
    HOME: home,
    USER: "tester",
    LOGNAME: "tester",
    SHELL: "/bin/bash",
    CLAUDE_CONFIG_DIR: path.join(home, ".claude"),
    XDG_CONFIG_HOME: path.join(home, ".config"),
    XDG_CACHE_HOME: path.join(home, ".cache"),
    XDG_DATA_HOME: path.join(home, ".local", "share"),
    XDG_STATE_HOME: path.join(home, ".local", "state"),
    TMPDIR: tmp,
    CLAUDE_CODE_TMPDIR: tmp,
    ANTHROPIC_BASE_URL: options.baseUrl,
    ...CLAUDE_CODE_OFFLINE_ENV,
    ...options.env,
  };
  if (options.apiKey !== undefined) env.ANTHROPIC_API_KEY = options.apiKey;
  if (options.authToken !== undefined) env.ANTHROPIC_AUTH_TOKEN = options.authToken;
  return env;
}

export async function runClaudeCode(options: ClaudeCodeRun): Promise<ClaudeCodeResult> {
  const base = await mkdtemp(path.join(os.tmpdir(), "claude-code-"));
  const home = path.join(base, "home");
  const tmp = path.join(base, "tmp");
  const cwd = options.cwd ?? path.join(base, "work");
  await Promise.all([mkdir(home), mkdir(tmp), mkdir(cwd, { recursive: true })]);
  const args = ["-p", options.prompt, "--model", options.model, ...(options.outputFormat ? ["--output-format", options.outputFormat] : []), ...(options.args ?? [])];
  const started = performance.now();
  try {
    return await new Promise<ClaudeCodeResult>((resolve, reject) => {
      const child = spawn(CLAUDE_CODE_BIN, args, { cwd, env: claudeCodeEnv(options, home, tmp) as NodeJS.ProcessEnv, stdio: ["ignore", "pipe", "pipe"], detached: true });
      let stdout = "";
      let stderr = "";
      let timedOut = false;
      child.stdout.setEncoding("utf8").on("data", (c: string) => (stdout += c));
      child.stderr.setEncoding("utf8").on("data", (c: string) => (stderr += c));
      const timer = setTimeout(() => {
        timedOut = true;
        try {
          process.kill(-child.pid!, "SIGKILL");
        } catch {
          child.kill("SIGKILL");
        }
      }, options.timeoutMs ?? 60_000);
      child.on("error", (error) => {
        clearTimeout(timer);
        reject(error);
      });
      child.on("close", (code, signal) => {
        clearTimeout(timer);
        const result: ClaudeCodeResult = { code, signal, stdout, stderr, timedOut, durationMs: Math.round(performance.now() - started), dirs: { base, home, cwd, tmp } };
        if (options.outputFormat === "json" && stdout.trim()) {
          try {
            result.json = JSON.parse(stdout) as ClaudeCodeJsonResult;
          } catch {
            // Left undefined: the test sees stdout.
          }
        }
        resolve(result);
      });
    });
  } finally {
    await rm(base, { recursive: true, force: true });
  }
}

/**
 * Replaces machine- and run-specific strings in a recorded Claude Code request (body or headers)
 * with placeholders: the run's directories (`<cwd>`, `<cwd-slug>`, `<home>`, `<tmp>`, `<run-dir>`), this machine's
 * home, user and host names and kernel release, today's date (`<date>`), the session and device
 * ids inside `metadata.user_id` and the `x-claude-code-session-id` header (`<session-id>`,
 * `<device-id>`, `<account-uuid>`), and credentials (`<api-key>`, `Bearer <auth-token>`).
 * Drops `host` and `content-length`. Everything else stays as recorded.
 */
export function scrubClaudeCodeRecording<T>(recorded: T, run: Pick<ClaudeCodeResult, "dirs">, secrets: string[] = []): T {
  const replacements: Array<[string, string]> = [];
  const add = (value: string | undefined, placeholder: string) => {
    if (value && value.length >= 3) replacements.push([value, placeholder]);
  };
  const text = JSON.stringify(recorded);
  // metadata.user_id is a JSON string inside the body: its quotes are escaped once more here.
  for (const [key, placeholder] of [["device_id", "<device-id>"], ["account_uuid", "<account-uuid>"], ["session_id", "<session-id>"]]) {
    add(new RegExp(`\\\\"${key}\\\\":\\\\"([^"\\\\]*)\\\\"`).exec(text)?.[1], placeholder);
  }
  add(/"x-claude-code-session-id":"([^"]+)"/.exec(text)?.[1], "<session-id>");
  for (const secret of secrets) add(secret, "<secret>");
  add(run.dirs.cwd, "<cwd>");
  // Claude Code keys its per-project state by the working directory with every non-alphanumeric as "-".
  add(run.dirs.cwd.replace(/[^a-zA-Z0-9]/g, "-"), "<cwd-slug>");
  add(run.dirs.tmp, "<tmp>");
  add(run.dirs.home, "<home>");
  add(run.dirs.base, "<run-dir>");
  // This machine's home only as a whole path (it may be as short as "/root").
  replacements.push([`${os.homedir()}/`, "<home>/"], [`${os.homedir()}"`, '<home>"']);
  // The user name only inside paths (a name like "root" is also an English word).
  const user = os.userInfo().username;
  replacements.push([`/${user}/`, "/<user>/"], [`/${user}"`, "/<user>\""]);
  add(os.hostname().length >= 6 ? os.hostname() : undefined, "<host>");
  add(os.release(), "<os-release>");
  const today = new Date();
  for (const day of [today, new Date(today.getTime() - 86_400_000), new Date(today.getTime() + 86_400_000)]) add(day.toISOString().slice(0, 10), "<date>");
  replacements.sort((a, b) => b[0].length - a[0].length);
  let scrubbed = text;
  for (const [value, placeholder] of replacements) scrubbed = scrubbed.split(value).join(placeholder);
  const result = JSON.parse(scrubbed) as T;
  if (result && typeof result === "object" && !Array.isArray(result)) {
    const record = result as Record<string, unknown>;
    if ("host" in record) delete record.host;
    if ("content-length" in record) delete record["content-length"];
    if (typeof record["x-api-key"] === "string") record["x-api-key"] = "<api-key>";
    if (typeof record.authorization === "string") record.authorization = "Bearer <auth-token>";
  }
  return result;
}
