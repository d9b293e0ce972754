// Preloaded into a server under test (NODE_OPTIONS=--require …): every 200 ms and at exit, writes
// the modules the process has loaded to $ROOTAPI_TEST_MODULES_DIR/<pid>-<thread>.json, so a test can
// tell what was never loaded. NODE_OPTIONS preloads this into every thread too (tsx's module-hooks
// thread, worker threads): each thread writes its own file — two threads renaming one shared
// temporary file raced, and the loser's ENOENT killed the server.
const fs = require("node:fs");
const path = require("node:path");
const { threadId } = require("node:worker_threads");

const dir = process.env.ROOTAPI_TEST_MODULES_DIR;
if (dir) {
  const file = path.join(dir, `${process.pid}-${threadId}.json`);
  const report = () => {
    try {
      fs.writeFileSync(`${file}.tmp`, JSON.stringify(Object.keys(require.cache)));
      fs.renameSync(`${file}.tmp`, file);
    } catch {
      // The directory is gone (the test cleaned up first): a report is not worth a crash.
    }
  };
  setInterval(report, 200).unref();
  process.on("exit", report);
}
