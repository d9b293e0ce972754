import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync, existsSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { dockerIgnore, parseDockerfile, replayImage } from "../helpers/image-recipe";

/** The Dockerfile replayer the image-recipe integration test relies on: it must fail where Docker would. */
const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function context(files: Record<string, string>): { context: string; workRoot: string } {
  const context = mkdtempSync(path.join(os.tmpdir(), "rootapi-recipe-context-"));
  const workRoot = mkdtempSync(path.join(os.tmpdir(), "rootapi-recipe-root-"));
  dirs.push(context, workRoot);
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(context, name)), { recursive: true });
    writeFileSync(path.join(context, name), text);
  }
  return { context, workRoot };
}

const replay = ({ context: dir, workRoot }: { context: string; workRoot: string }) =>
  replayImage({ context: dir, dockerfile: path.join(dir, "Dockerfile"), workRoot, baseEnv: { PATH: process.env.PATH } });

describe("the Dockerfile replayer", () => {
  it("parses stages, continuations and both command forms", () => {
    const stages = parseDockerfile(`# syntax=docker/dockerfile:1\nFROM node:20 AS build\nWORKDIR /app\nRUN echo a \\\n  # inside\n  && echo b\nFROM node:20\nCMD ["node", "x.js"]\n`);
    expect(stages.map((s) => [s.name, s.from])).toEqual([["build", "node:20"], ["1", "node:20"]]);
    expect(stages[0]!.instructions[1]).toEqual({ keyword: "RUN", args: "echo a && echo b", line: 4 });
  });

  it("matches .dockerignore patterns from the context's root, a matched directory taking its contents", () => {
    const ignored = dockerIgnore("# comment\nnode_modules\n.env.*\nprisma/*/schema.prisma\n**/*.log\n");
    expect(ignored("node_modules")).toBe(true);
    expect(ignored("node_modules/x/index.js")).toBe(true);
    expect(ignored("lib/node_modules")).toBe(false);
    expect(ignored(".env.local")).toBe(true);
    expect(ignored("prisma/sqlite/schema.prisma")).toBe(true);
    expect(ignored("prisma/models.prisma")).toBe(false);
    expect(ignored("a/b/c.log")).toBe(true);
    expect(ignored("c.log")).toBe(true);
  });

  it("builds stages: COPY from the filtered context and from another stage, RUN in WORKDIR with ENV", async () => {
    const dir = context({
      "hello.txt": "hello",
      "src/a.txt": "a",
      "src/secret.env": "nope",
      ".dockerignore": "src/*.env\n",
      Dockerfile: `FROM node:20 AS build\nWORKDIR /app\nENV GREETING=hi\nCOPY . .\nRUN echo "$GREETING" > out.txt && cat hello.txt >> out.txt\nFROM node:20\nWORKDIR /srv\nCOPY --from=build /app/out.txt ./\nCOPY --from=build /app/src ./src\nUSER node\nVOLUME /srv/data\nEXPOSE 8080\nHEALTHCHECK --interval=5s CMD ["node", "-e", "1"]\nCMD ["node", "main.js"]\n`,
    });
    const image = await replay(dir);
    expect(readFileSync(path.join(image.workdir, "out.txt"), "utf8")).toBe("hi\nhello");
    expect(existsSync(path.join(image.workdir, "src/a.txt"))).toBe(true);
    expect(existsSync(path.join(dir.workRoot, "build/app/src/secret.env"))).toBe(false);
    expect(image).toMatchObject({ user: "node", volumes: ["/srv/data"], exposed: ["8080"], cmd: ["node", "main.js"], healthcheck: ["node", "-e", "1"] });
  });

  it("fails on a COPY of a file that does not exist or that .dockerignore excludes", async () => {
    await expect(replay(context({ Dockerfile: "FROM node:20\nWORKDIR /app\nCOPY gone.json ./\n" }))).rejects.toThrow(/line 3 .*gone\.json not found/);
    await expect(replay(context({ "x.env": "", ".dockerignore": "*.env\n", Dockerfile: "FROM node:20\nCOPY x.env ./\n" }))).rejects.toThrow(/excluded by \.dockerignore/);
    await expect(replay(context({ Dockerfile: "FROM node:20\nCOPY --from=build /app ./\n" }))).rejects.toThrow(/no earlier stage build/);
  });

  it("fails on a RUN that fails and on instructions it cannot replay", async () => {
    await expect(replay(context({ Dockerfile: "FROM node:20\nRUN echo broken >&2 && exit 3\n" }))).rejects.toThrow(/line 2 .*exit code 3[\s\S]*broken/);
    await expect(replay(context({ Dockerfile: "FROM node:20\nADD https://example.com/x ./\n" }))).rejects.toThrow(/ADD is not replayed/);
  });
});
