import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import { chmodSync, existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parse as parseYaml } from "yaml";
import { createDb, type Db } from "@/lib/db/client";
import { createApiKey } from "@/lib/keys/keys";
import { createUser } from "@/lib/users/users";
import { postgresAvailable, createTestDatabase, type TestDatabase } from "../helpers/databases";
import { asProcessEnv, BASE_IMAGE_USERS, replayImage, type ReplayedImage } from "../helpers/image-recipe";
import { redisAvailable, testRedisUrl } from "../helpers/redis";
import { ROOT, stopChild } from "../helpers/server";
import { freePort } from "../helpers/free-port";

/**
 * The Dockerfile and compose.yaml, proven without a container engine: the Dockerfile's stages are
 * replayed in a clean temporary directory (test/helpers/image-recipe.ts — the context as
 * .dockerignore filters it, every RUN for real, `npm ci` from the npm registry included), then the
 * final stage's CMD is started, as the image's user when this runs as root, with the environment
 * compose.yaml gives a RootAPI service, on a fresh PostgreSQL database and the test Redis. A COPY
 * of a file that is gone, a RUN that fails or a CMD that does not serve fails this test. What it
 * cannot check is the base image: this machine's node, npm and shell stand in for node:20's
 * (their major versions must agree), and its `node` user is assumed to be uid 1000.
 *
 * Slow (two `npm ci` and a production build: several minutes), so it runs once, on PostgreSQL,
 * which is what compose.yaml deploys.
 */
const ci = process.env.CI === "true" || process.env.CI === "1";
const ready = (await postgresAvailable()) && (await redisAvailable());
if (!ready && ci) throw new Error("The image recipe test needs PostgreSQL and Redis in CI");

const REPLAY_MS = 30 * 60_000;

/** compose.yaml's `${VAR}`, `${VAR:-default}` and `${VAR:?error}`, with the given variables. */
function interpolate(value: string, vars: Record<string, string>): string {
  return value.replace(/\$\{(\w+)(?::([?-])([^}]*))?\}/g, (_, name: string, kind: string | undefined, rest: string) => {
    const set = vars[name];
    if (set !== undefined && set !== "") return set;
    if (kind === "?") throw new Error(`compose.yaml requires ${name}: ${rest}`);
    return kind === "-" ? rest : "";
  });
}


describe.skipIf(!ready)("the Docker image recipe", () => {
  const workRoot = mkdtempSync(path.join(os.tmpdir(), "rootapi-image-"));
  let image: ReplayedImage;
  let database: TestDatabase;
  let db: Db;
  let child: ChildProcess | undefined;
  let output = "";
  let url = "";
  let env: NodeJS.ProcessEnv;

  beforeAll(async () => {
    // The image's user must be able to reach its files, as in a container.
    chmodSync(workRoot, 0o755);
    image = await replayImage({
      context: ROOT,
      dockerfile: path.join(ROOT, "Dockerfile"),
      workRoot,
      // The base image's environment; HOME keeps this machine's npm settings and cache.
      baseEnv: { PATH: process.env.PATH, HOME: process.env.HOME, ...Object.fromEntries(Object.entries(process.env).filter(([k]) => k.startsWith("npm_config_"))) }
    });
    database = await createTestDatabase("postgresql");
    db = createDb(database.url);
  }, REPLAY_MS);

  afterAll(async () => {
    if (child) await stopChild(child);
    await db?.$disconnect();
    await database?.drop();
    rmSync(workRoot, { recursive: true, force: true });
  }, 10 * 60_000);

  it("builds on the node version this machine stands in with", () => {
    const from = readFileSync(path.join(ROOT, "Dockerfile"), "utf8").match(/^FROM node:(\d+)/m);
    expect(from, "the stages build FROM node:<major>").not.toBeNull();
    expect(process.versions.node.split(".")[0]).toBe(from![1]);
  });

  it("keeps only what npm start needs, runs as a non-root user, declares the data volume, port and health check", () => {
    expect(image.user).toBe("node");
    expect(BASE_IMAGE_USERS[image.user!]).not.toBe(0);
    expect(image.volumes).toEqual(["/app/data"]);
    expect(image.exposed).toEqual(["3000"]);
    expect(image.cmd).toEqual(["node", "dist/server/index.js"]);
    const packageJson = JSON.parse(readFileSync(path.join(ROOT, "package.json"), "utf8")) as { scripts: Record<string, string> };
    expect(packageJson.scripts.start).toBe(image.cmd.join(" "));
    const size = spawnSync("du", ["-sm", image.root], { encoding: "utf8" }).stdout.split("\t")[0];
    console.log(`runtime stage: ${size} MB on top of the base image`);
    // No sources, tests or devDependencies in the runtime stage. (npm --omit=dev keeps typescript,
    // esbuild and @playwright/test: peers or dependencies of @prisma/client, tsx and next.)
    for (const absent of ["app", "lib", "components", "test", "server", ".next/cache", "node_modules/vitest", "node_modules/@anthropic-ai/claude-code", "node_modules/autocannon", "node_modules/openai"]) {
      expect(existsSync(path.join(image.workdir, absent)), absent).toBe(false);
    }
    for (const present of ["node_modules/next", "node_modules/better-sqlite3", ".next/BUILD_ID", "dist/server/index.js", "dist/server/prepare-database.js"]) {
      expect(existsSync(path.join(image.workdir, present)), present).toBe(true);
    }
  });

  it("starts with compose.yaml's environment and serves /healthz, /readyz, /v1 and the portal", async () => {
    const compose = parseYaml(readFileSync(path.join(ROOT, "compose.yaml"), "utf8"), { merge: true }) as {
      services: Record<string, { build?: string; environment: Record<string, string>; depends_on: Record<string, { condition: string }> }>;
    };
    const services = Object.entries(compose.services).filter(([, s]) => s.build === ".");
    expect(services.map(([name]) => name)).toEqual(["rootapi-1", "rootapi-2"]);
    expect(Object.keys(compose.services)).toEqual(expect.arrayContaining(["postgres", "redis"]));
    const [, service] = services[0]!;
    expect(service.depends_on).toEqual({ postgres: { condition: "service_healthy" }, redis: { condition: "service_healthy" } });

    const vars = {
      POSTGRES_PASSWORD: "compose-password",
      AUTH_SECRET: randomBytes(32).toString("hex"),
      ROOTAPI_ENCRYPTION_KEY: randomBytes(32).toString("hex"),
      PUBLIC_URL: "https://api.example.com",
    };
    expect(() => interpolate(service.environment.AUTH_SECRET!, {}), "secrets are required variables").toThrow(/requires AUTH_SECRET/);
    const composeEnv = Object.fromEntries(Object.entries(service.environment).map(([name, value]) => [name, interpolate(String(value), vars)]));
    // The hosts `postgres` and `redis` are compose's service names; here they are the test servers.
    expect(composeEnv.DATABASE_URL).toMatch(/^postgresql:\/\/rootapi:compose-password@postgres:5432\/rootapi$/);
    expect(composeEnv.REDIS_URL).toBe("redis://redis:6379");
    const port = await freePort();
    env = asProcessEnv({
      PATH: process.env.PATH,
      HOME: image.at("/home/node"),
      ...image.env,
      ...composeEnv,
      DATABASE_URL: database.url,
      REDIS_URL: testRedisUrl(),
      // Inside a container 3000 is the container's own; here the port is shared with the machine.
      PORT: String(port),
    });
    const asUser = process.getuid?.() === 0 ? { uid: BASE_IMAGE_USERS[image.user!]!, gid: BASE_IMAGE_USERS[image.user!]! } : {};
    const server = (child = spawn(image.cmd[0]!, image.cmd.slice(1), { cwd: image.workdir, env, stdio: ["ignore", "pipe", "pipe"], ...asUser }));
    server.stdout!.on("data", (d) => (output += d));
    server.stderr!.on("data", (d) => (output += d));
    url = await new Promise<string>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`The image's CMD did not start in 90 s:\n${output}`)), 90_000);
      server.stdout!.on("data", () => {
        if (/ready on http:\/\/\S+:\d+/.test(output)) {
          clearTimeout(timer);
          resolve(`http://127.0.0.1:${port}`);
        }
      });
      server.once("exit", (code) => {
        clearTimeout(timer);
        reject(new Error(`The image's CMD exited with ${code}:\n${output}`));
      });
    });

    expect((await fetch(`${url}/healthz`)).status).toBe(200);
    const readyz = await fetch(`${url}/readyz`);
    expect(readyz.status, output).toBe(200);
    expect(await readyz.json()).toEqual({ status: "ready" });

    // The HEALTHCHECK, as the container engine runs it: in the container, as its user.
    const check = spawnSync(image.healthcheck![0]!, image.healthcheck!.slice(1), { cwd: image.workdir, env, ...asUser, encoding: "utf8", timeout: 10_000 });
    expect(check.status, check.stderr).toBe(0);

    const user = await createUser(db, { email: `image-${Date.now()}@example.com`, password: "long enough pw" });
    const { key } = await createApiKey(db, user.id, { name: "image" });
    const completion = await fetch(`${url}/v1/chat/completions`, {
      method: "POST",
      headers: { authorization: `Bearer ${key}`, "content-type": "application/json" },
      body: JSON.stringify({ model: "sandbox-chat", messages: [{ role: "user", content: "Hello from the image" }] }),
    });
    expect(completion.status, output).toBe(200);
    expect((await completion.json()).choices[0].message.content).toContain("Hello from the image");

    // The portal (Next.js, from .next) renders too.
    const portal = await fetch(`${url}/models`);
    expect(portal.status, output).toBe(200);
    expect(output).not.toMatch(/EACCES|EPERM/);

    // SIGTERM (docker stop) ends it cleanly.
    const exited = new Promise<number | null>((resolve) => server.once("exit", (code) => resolve(code)));
    server.kill("SIGTERM");
    expect(await exited).toBe(0);
    child = undefined;
  }, 180_000);
});
