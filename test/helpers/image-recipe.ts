// Replays a Dockerfile without a container engine: every stage gets a directory standing for its
// filesystem, WORKDIR/COPY/VOLUME paths are taken inside it, COPY copies what Docker would copy
// (the build context filtered by .dockerignore, or another stage's files), RUN runs in a shell in
// the stage's working directory with its ENV. What cannot be replayed is the base image itself:
// this machine's node, npm and shell stand in for FROM's, and the base image's users are assumed
// (BASE_IMAGE_USERS). Anything else the recipe says that this replayer does not understand fails.
// RUN commands really run on this machine, with its HOME (npm's settings and cache): a recipe must
// not clean caches or write outside its working directory (no `npm cache clean` in a stage).
import { spawn } from "node:child_process";
import { chownSync, cpSync, existsSync, lstatSync, mkdirSync, readdirSync, readFileSync, statSync } from "node:fs";
import path from "node:path";

export interface Instruction {
  keyword: string;
  args: string;
  line: number;
}

export interface Stage {
  name: string;
  from: string;
  instructions: Instruction[];
}

/** The users of the official node images (node:<version>-bookworm-slim): `node` is uid/gid 1000. */
export const BASE_IMAGE_USERS: Record<string, number> = { root: 0, node: 1000 };

/** Stages and their instructions; continuation lines joined, comments dropped. */
export function parseDockerfile(text: string): Stage[] {
  const stages: Stage[] = [];
  const lines = text.split("\n");
  for (let i = 0; i < lines.length; i++) {
    const start = i + 1;
    let line = lines[i]!.trim();
    if (!line || line.startsWith("#")) continue;
    while (line.endsWith("\\")) {
      line = line.slice(0, -1).trimEnd();
      // Comment lines inside a continuation are dropped, as Docker does.
      while (++i < lines.length && lines[i]!.trim().startsWith("#"));
      if (i >= lines.length) break;
      line += " " + lines[i]!.trim();
    }
    const match = /^(\S+)\s*(.*)$/.exec(line)!;
    const keyword = match[1]!.toUpperCase();
    const args = match[2]!.trim();
    if (keyword === "FROM") {
      const from = /^(\S+)(?:\s+AS\s+(\S+))?$/i.exec(args);
      if (!from) throw new Error(`Dockerfile line ${start}: cannot read FROM ${args}`);
      stages.push({ from: from[1]!, name: from[2] ?? String(stages.length), instructions: [] });
      continue;
    }
    if (!stages.length) throw new Error(`Dockerfile line ${start}: ${keyword} before FROM`);
    stages.at(-1)!.instructions.push({ keyword, args, line: start });
  }
  return stages;
}

/** Exec form (a JSON array) as is; shell form through /bin/sh -c, as Docker runs it. */
export function commandOf(args: string): string[] {
  return args.startsWith("[") ? (JSON.parse(args) as string[]) : ["/bin/sh", "-c", args];
}

/** `--name=value` options in front of the arguments. */
function options(args: string): { flags: Record<string, string>; rest: string } {
  const flags: Record<string, string> = {};
  let rest = args;
  for (let m = /^--([\w-]+)=(\S+)\s+/.exec(rest); m; m = /^--([\w-]+)=(\S+)\s+/.exec(rest)) {
    flags[m[1]!] = m[2]!;
    rest = rest.slice(m[0].length);
  }
  return { flags, rest };
}

/** ENV a=b c=d (or the legacy ENV a b); values without quotes or spaces, which is all this project uses. */
function envPairs(args: string): Array<[string, string]> {
  if (!args.includes("=")) {
    const [name, ...value] = args.split(/\s+/);
    return [[name!, value.join(" ")]];
  }
  return args.split(/\s+/).map((pair) => {
    if (/["'$]/.test(pair)) throw new Error(`ENV ${pair}: quotes and substitutions are not replayed`);
    const at = pair.indexOf("=");
    return [pair.slice(0, at), pair.slice(at + 1)];
  });
}

/**
 * .dockerignore as a predicate on context-relative paths: patterns are anchored at the context's
 * root, `*` and `?` stay within a path segment, `**` spans segments, and a directory that matches
 * excludes everything under it.
 */
export function dockerIgnore(text: string): (relative: string) => boolean {
  const patterns = text
    .split("\n")
    .map((line) => line.trim())
    .filter((line) => line && !line.startsWith("#"));
  if (patterns.some((p) => p.startsWith("!"))) throw new Error(".dockerignore exceptions (!) are not replayed");
  const regexes = patterns.map((pattern) => {
    const body = path.posix
      .normalize(pattern.replace(/^\/+/, ""))
      .split("/")
      .map((segment) =>
        segment === "**"
          ? "(?:.*)"
          : segment.replace(/[.+^${}()|\\]/g, "\\$&").replace(/\*/g, "[^/]*").replace(/\?/g, "[^/]"),
      )
      .join("/")
      .replace(/\(\?:\.\*\)\//g, "(?:.*/)?");
    return new RegExp(`^${body}$`);
  });
  return (relative) => {
    const parts = relative.split("/");
    for (let n = 1; n <= parts.length; n++) {
      const prefix = parts.slice(0, n).join("/");
      if (regexes.some((r) => r.test(prefix))) return true;
    }
    return false;
  };
}

export type Environment = Record<string, string | undefined>;

/** Next's types make NODE_ENV required in process environments; a container's need not have it. */
export function asProcessEnv(env: Environment): NodeJS.ProcessEnv {
  return env as unknown as NodeJS.ProcessEnv;
}

export interface ReplayedImage {
  /** The final stage's filesystem. */
  root: string;
  /** Its WORKDIR, inside root. */
  workdir: string;
  env: Record<string, string>;
  cmd: string[];
  user: string | null;
  healthcheck: string[] | null;
  volumes: string[];
  exposed: string[];
  /** The container path `p` of the final stage, on this machine. */
  at(p: string): string;
}

export interface ReplayOptions {
  context: string;
  dockerfile: string;
  /** An empty directory the stages' filesystems are made in. */
  workRoot: string;
  /** What the base image's environment provides to RUN (PATH, HOME, npm settings). */
  baseEnv: Environment;
  log?: (text: string) => void;
}

/** Builds every stage in order; rejects on the first instruction Docker would fail on. */
export async function replayImage(options_: ReplayOptions): Promise<ReplayedImage> {
  const { context, workRoot, baseEnv } = options_;
  const log = options_.log ?? (() => {});
  const stages = parseDockerfile(readFileSync(options_.dockerfile, "utf8"));
  const ignorePath = path.join(context, ".dockerignore");
  const ignored = existsSync(ignorePath) ? dockerIgnore(readFileSync(ignorePath, "utf8")) : () => false;
  const roots = new Map<string, string>();
  let image: ReplayedImage | undefined;

  for (const stage of stages) {
    if (roots.has(stage.name)) throw new Error(`Two stages are named ${stage.name}`);
    const root = path.join(workRoot, stage.name);
    mkdirSync(root, { recursive: true });
    roots.set(stage.name, root);
    let workdir = "/";
    const env: Record<string, string> = {};
    const state = { user: null as string | null, healthcheck: null as string[] | null, cmd: [] as string[], volumes: [] as string[], exposed: [] as string[] };
    const at = (p: string) => path.join(root, path.posix.resolve(workdir, p));

    for (const { keyword, args, line } of stage.instructions) {
      const where = `Dockerfile line ${line} (${keyword} ${args.slice(0, 80)})`;
      switch (keyword) {
        case "WORKDIR":
          workdir = path.posix.resolve(workdir, args);
          mkdirSync(at("."), { recursive: true });
          break;
        case "ENV":
          for (const [name, value] of envPairs(args)) env[name] = value;
          break;
        case "COPY": {
          const { flags, rest } = options(args);
          const parts = rest.startsWith("[") ? (JSON.parse(rest) as string[]) : rest.split(/\s+/);
          const dest = parts.pop()!;
          if (!parts.length) throw new Error(`${where}: nothing to copy`);
          const destIsDir = dest.endsWith("/") || dest === "." || parts.length > 1;
          for (const source of parts) {
            if (/[*?[]/.test(source)) throw new Error(`${where}: wildcards are not replayed`);
            let from: string;
            if (flags.from) {
              const stageRoot = roots.get(flags.from);
              if (!stageRoot) throw new Error(`${where}: no earlier stage ${flags.from}`);
              from = path.join(stageRoot, path.posix.resolve("/", source));
            } else {
              const relative = path.posix.normalize(source).replace(/^\/+/, "");
              if (relative !== "." && ignored(relative)) throw new Error(`${where}: ${source} is excluded by .dockerignore`);
              from = path.join(context, relative);
            }
            if (!existsSync(from)) throw new Error(`${where}: ${source} not found`);
            const isDir = statSync(from).isDirectory();
            const target = isDir ? at(dest) : destIsDir || (existsSync(at(dest)) && statSync(at(dest)).isDirectory()) ? path.join(at(dest), path.basename(from)) : at(dest);
            mkdirSync(isDir ? target : path.dirname(target), { recursive: true });
            cpSync(from, target, {
              recursive: true,
              verbatimSymlinks: true,
              filter: (file) => flags.from !== undefined || file === from || !ignored(path.relative(context, file).split(path.sep).join("/")),
            });
            if (flags.chown) chownTree(target, flags.chown, where);
          }
          break;
        }
        case "RUN":
          log(`RUN ${args}`);
          await run(commandOf(args), { cwd: at("."), env: asProcessEnv({ ...baseEnv, ...env }) }, where);
          break;
        case "USER":
          state.user = args;
          break;
        case "VOLUME":
          state.volumes.push(...(args.startsWith("[") ? (JSON.parse(args) as string[]) : args.split(/\s+/)));
          break;
        case "EXPOSE":
          state.exposed.push(...args.split(/\s+/));
          break;
        case "HEALTHCHECK": {
          const { rest } = options(args);
          if (rest === "NONE") state.healthcheck = null;
          else if (!rest.startsWith("CMD ")) throw new Error(`${where}: expected CMD`);
          else state.healthcheck = commandOf(rest.slice(4).trim());
          break;
        }
        case "CMD":
          state.cmd = commandOf(args);
          break;
        default:
          throw new Error(`${where}: ${keyword} is not replayed`);
      }
    }
    image = { root, workdir: at("."), env, ...state, at };
  }
  if (!image) throw new Error("The Dockerfile has no stage");
  return image;
}

function chownTree(target: string, owner: string, where: string): void {
  const [user, group = user] = owner.split(":");
  const uid = BASE_IMAGE_USERS[user!];
  const gid = BASE_IMAGE_USERS[group!];
  if (uid === undefined || gid === undefined) throw new Error(`${where}: unknown user ${owner} in the base image`);
  // Only root may give files away; as another user the files stay this user's (and readable).
  if (process.getuid?.() !== 0) return;
  const visit = (file: string) => {
    chownSync(file, uid, gid);
    if (lstatSync(file).isDirectory()) for (const entry of readdirSync(file)) visit(path.join(file, entry));
  };
  visit(target);
}

function run(command: string[], options: { cwd: string; env: NodeJS.ProcessEnv }, where: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(command[0]!, command.slice(1), { ...options, stdio: ["ignore", "pipe", "pipe"] });
    let output = "";
    const keep = (data: Buffer) => (output = (output + data.toString()).slice(-8_000));
    child.stdout.on("data", keep);
    child.stderr.on("data", keep);
    child.once("error", reject);
    child.once("exit", (code, signal) => {
      if (code === 0) resolve();
      else reject(new Error(`${where} failed (${signal ?? `exit code ${code}`}):\n${output}`));
    });
  });
}
