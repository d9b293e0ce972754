import { chmodSync, existsSync, mkdirSync, mkdtempSync, rmSync, statSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startServer, type RunningServer } from "../helpers/server";

const mode = (file: string) => statSync(file).mode & 0o777;

/**
 * A fresh install under an ordinary umask (022): the data dir, the SQLite database with its WAL and
 * shared-memory files, and secrets.json are the owner's alone. Files an older version left readable
 * are tightened at the next start.
 */
describe("data files are private to the server's user", () => {
  let root: string;
  let fresh: string;
  let upgraded: string;
  const servers: RunningServer[] = [];
  let previousUmask: number | undefined;

  beforeAll(async () => {
    try {
      previousUmask = process.umask(0o022);
    } catch {
      // worker threads cannot change it; the machine default is 022 here
    }
    root = mkdtempSync(path.join(os.tmpdir(), "rootapi-modes-"));
    fresh = path.join(root, "fresh", "data");
    upgraded = path.join(root, "upgraded");
    // What an older version left behind: a world-readable dir and database files.
    mkdirSync(upgraded, { mode: 0o755 });
    chmodSync(upgraded, 0o755);
    for (const suffix of ["", "-wal", "-shm"]) {
      writeFileSync(path.join(upgraded, `rootapi.db${suffix}`), "", { mode: 0o644 });
      chmodSync(path.join(upgraded, `rootapi.db${suffix}`), 0o644);
    }
    for (const dir of [fresh, upgraded]) servers.push(await startServer("", { ROOTAPI_DATA_DIR: dir, AUTH_SECRET: "", ROOTAPI_ENCRYPTION_KEY: "" }));
    // A /v1 call makes the gateway's own connection write through the WAL.
    for (const server of servers) await fetch(`${server.url}/v1/models`, { headers: { authorization: "Bearer sk-nobody" } });
  });

  afterAll(async () => {
    for (const server of servers) await server.stop();
    if (root) rmSync(root, { recursive: true, force: true });
    if (previousUmask !== undefined) process.umask(previousUmask);
  });

  it("a fresh data dir is 0700 and everything in it 0600", () => {
    expect(mode(fresh).toString(8)).toBe("700");
    expect(mode(path.dirname(fresh)).toString(8)).toBe("700");
    for (const file of ["rootapi.db", "rootapi.db-wal", "rootapi.db-shm", "secrets.json"]) {
      const full = path.join(fresh, file);
      expect(existsSync(full), file).toBe(true);
      expect(mode(full).toString(8), file).toBe("600");
    }
  });

  it("an existing install is tightened at start", () => {
    expect(mode(upgraded).toString(8)).toBe("700");
    for (const file of ["rootapi.db", "rootapi.db-wal", "rootapi.db-shm"]) expect(mode(path.join(upgraded, file)).toString(8), file).toBe("600");
  });
});
