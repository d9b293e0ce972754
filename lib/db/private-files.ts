import fs from "node:fs";
import path from "node:path";

/**
 * The SQLite database holds password hashes, sealed upstream keys and every tenant's request log:
 * like data/secrets.json it is readable by its owner only, whatever the process umask. The file is
 * created 0600 before SQLite opens it (SQLite then gives its -wal, -shm and -journal files the
 * database's own mode), and files left by older versions are tightened on every open.
 */
const COMPANIONS = ["", "-wal", "-shm", "-journal"];

export function privateSqliteFile(file: string): void {
  if (file === ":memory:" || file === "") return;
  privateDirectory(path.dirname(file), { tightenExisting: false });
  try {
    fs.closeSync(fs.openSync(file, fs.constants.O_CREAT | fs.constants.O_RDWR, 0o600));
  } catch (error) {
    // Read-only mounts and the like: SQLite reports its own, clearer error when it opens the file.
    if ((error as NodeJS.ErrnoException).code !== "EACCES" && (error as NodeJS.ErrnoException).code !== "EROFS") throw error;
  }
  for (const suffix of COMPANIONS) tighten(`${file}${suffix}`, 0o600);
}

/**
 * Creates a directory (and missing parents) 0700. `tightenExisting` also narrows one that exists —
 * right for our own data dir, not for the parent of a database file an operator placed elsewhere.
 */
export function privateDirectory(dir: string, { tightenExisting }: { tightenExisting: boolean }): void {
  const created = fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
  // mkdir's mode passes through the umask; chmod does not. Only the directories made here, plus
  // the asked-for one when it already existed.
  if (created) {
    for (let current = dir; ; current = path.dirname(current)) {
      tighten(current, 0o700);
      if (current === created || path.dirname(current) === current) break;
    }
  } else if (tightenExisting) {
    tighten(dir, 0o700);
  }
}

function tighten(file: string, mode: number): void {
  try {
    if ((fs.statSync(file).mode & 0o777) !== mode) fs.chmodSync(file, mode);
  } catch (error) {
    // Absent (no WAL yet), or not ours to change (a shared mount): nothing to do.
    const code = (error as NodeJS.ErrnoException).code;
    if (code !== "ENOENT" && code !== "EPERM") throw error;
  }
}
