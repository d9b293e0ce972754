/**
 * The mail server for browser tests, as its own process: SMTP on FAKE_SMTP_PORT for the app, and
 * GET http://127.0.0.1:FAKE_SMTP_PORT+1/mails?to=<address> for specs to read what was sent.
 */
import http from "node:http";
import { startMailCatcher } from "../test/helpers/smtp";

async function main() {
  const port = Number(process.env.FAKE_SMTP_PORT);
  const catcher = await startMailCatcher(port);
  const reader = http.createServer((req, res) => {
    const to = new URL(req.url ?? "/", "http://localhost").searchParams.get("to");
    res.writeHead(200, { "content-type": "application/json" });
    res.end(JSON.stringify(catcher.mails.filter((m) => !to || m.to.includes(to))));
  });
  reader.listen(port + 1, "127.0.0.1", () => console.log(`Fake SMTP on ${port}, mails readable on ${port + 1}`));
  const stop = () => void catcher.close().then(() => reader.close(() => process.exit(0)));
  process.on("SIGTERM", stop);
  process.on("SIGINT", stop);
}

void main();
