// The image tests' port check (requirePortsFree): the image's ports are fixed, so a port that
// something else holds must stop the test with a message naming the port and its holder, wherever
// on this machine that holder listens (no Docker needed to check the checker).
import { afterEach, describe, expect, test } from "bun:test";
import { createServer, type Server } from "node:net";
import { freePort } from "../support/procs.ts";
import { requirePortsFree } from "./docker.ts";

const servers: Server[] = [];
afterEach(async () => {
  for (const s of servers.splice(0)) await new Promise((r) => s.close(r));
});

async function listen(host: string): Promise<number> {
  const port = await freePort();
  const server = createServer();
  servers.push(server);
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, host, resolve);
  });
  return port;
}

describe("requirePortsFree", () => {
  test("passes when nothing listens on the ports", async () => {
    await expect(requirePortsFree({ web: await freePort(), master: await freePort() })).resolves.toBeUndefined();
  });

  test("names a port held on 127.0.0.1, with the holder's pid and command line", async () => {
    const port = await listen("127.0.0.1");
    const error = await requirePortsFree({ web: await freePort(), master: port }).catch((e: Error) => e);
    expect(String(error)).toContain(`port ${port} (master) is in use: listening on 127.0.0.1 by pid ${process.pid}: `);
    expect(String(error)).toContain("Stop what holds them (a container left running: docker ps) and rerun.");
  });

  test("names a port held on another loopback address, which blocks the image's 0.0.0.0 as well", async () => {
    const port = await listen("127.0.0.2");
    await expect(requirePortsFree({ demo: port })).rejects.toThrow(
      `port ${port} (demo) is in use: listening on 127.0.0.2 by pid ${process.pid}`,
    );
  });

  test("names every busy port at once", async () => {
    const [a, b] = [await listen("127.0.0.1"), await listen("0.0.0.0")];
    const message = String(await requirePortsFree({ web: a, demo: b }).catch((e: Error) => e));
    expect(message).toContain(`port ${a} (web) is in use`);
    expect(message).toContain(`port ${b} (demo) is in use: listening on 0.0.0.0 by pid ${process.pid}`);
  });
});
