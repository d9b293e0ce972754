import net from "node:net";

const ci = process.env.CI === "true" || process.env.CI === "1";

/** The Redis server tests use (each test keeps to its own key prefix and deletes it). */
export function testRedisUrl(): string {
  return process.env.TEST_REDIS_URL || "redis://127.0.0.1:6379";
}

/** Whether Redis answers PING; in CI it must, so a missing server fails loudly instead of skipping silently. */
export async function redisAvailable(): Promise<boolean> {
  const url = new URL(testRedisUrl());
  const pong = await new Promise<boolean>((resolve) => {
    const socket = net.connect({ host: url.hostname, port: Number(url.port || 6379) });
    const done = (ok: boolean) => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(1_000, () => done(false));
    socket.once("error", () => done(false));
    socket.once("connect", () => socket.write("PING\r\n"));
    socket.once("data", (data) => done(data.toString().startsWith("+PONG")));
  });
  if (!pong && ci) throw new Error("Redis is not reachable (TEST_REDIS_URL); CI must test on it");
  if (!pong) console.warn("Redis not reachable: the shared rate-limit tests are skipped");
  return pong;
}
