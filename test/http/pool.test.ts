// The keep-alive pool per origin: a steady batch of N concurrent requests (a task's Promise.all)
// reuses the same N sockets as long as N is within maxIdlePerOrigin; the server counts the
// connections it accepted.
import { afterAll, afterEach, beforeAll, describe, expect, test } from "bun:test";
import { buildPlan, collectDefinitions } from "../../src/api/plan.ts";
import { HttpClient } from "../../src/http/index.ts";
import { defineUser } from "../../src/index.ts";
import { waitFor, within } from "../support/wait.ts";
import { realClientPool } from "../users/pool-harness.ts";
import { httpServer, RecordingRecorder, type TestServer } from "./helpers.ts";

let server: TestServer;
beforeAll(async () => {
  // Answers after 5 ms, so every request of a batch is in flight at once.
  server = await httpServer((_request, response) => setTimeout(() => response.end("ok"), 5));
});
afterAll(() => server.close());

const clients: HttpClient[] = [];
afterEach(() => {
  for (const client of clients.splice(0)) client.close();
});

async function batches(client: HttpClient, size: number, count: number): Promise<void> {
  for (let i = 0; i < count; i++) {
    const responses = await Promise.all(Array.from({ length: size }, () => client.get("/batch")));
    for (const response of responses) expect(response.status).toBe(200);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

function newClient(extra: { maxIdlePerOrigin?: number } = {}): HttpClient {
  const client = new HttpClient({ baseUrl: server.url, recorder: new RecordingRecorder(), ...extra });
  clients.push(client);
  return client;
}

describe("the keep-alive pool", () => {
  test("by default a steady batch of 10 reuses the same 10 sockets (requests' pool_maxsize)", async () => {
    const before = server.connections;
    await batches(newClient(), 10, 20);
    expect(server.connections - before).toBe(10);
  });

  test("maxIdlePerOrigin: 4 keeps 4: a batch of 4 reuses them, a batch of 6 opens 2 again every time", async () => {
    const within4 = server.connections;
    await batches(newClient({ maxIdlePerOrigin: 4 }), 4, 10);
    expect(server.connections - within4).toBe(4);
    const over = server.connections;
    await batches(newClient({ maxIdlePerOrigin: 4 }), 6, 10);
    expect(server.connections - over).toBe(6 + 9 * 2);
  });

  test("a maxIdlePerOrigin below 1 or not whole is refused with a message", () => {
    for (const bad of [0, -1, 2.5, Number.NaN])
      expect(() => new HttpClient({ recorder: new RecordingRecorder(), maxIdlePerOrigin: bad })).toThrow(
        /maxIdlePerOrigin must be a whole number >= 1/,
      );
  });
});

describe("the user class setting http.maxIdlePerOrigin", () => {
  test("a class with maxIdlePerOrigin 16 and batches of 16 keeps 16 sockets per user", async () => {
    let rounds = 0;
    const user = defineUser({
      name: "Batcher",
      http: { maxIdlePerOrigin: 16 },
      tasks: [
        {
          name: "batch",
          fn: async ({ client, sleep }) => {
            await Promise.all(Array.from({ length: 16 }, () => client.get("/batch")));
            rounds++;
            await sleep(0.01);
          },
        },
      ],
    });
    const { pool, recorder } = realClientPool(server.url, user);
    const before = server.connections;
    await pool.setTargets({ Batcher: 2 }, 5);
    await waitFor(() => (rounds >= 20 ? true : undefined), 10_000, "20 batches");
    await within(pool.stopAll(5), 5_000, "the stop");
    expect(recorder.records.filter((r) => !r.ok)).toHaveLength(0);
    expect(server.connections - before).toBe(2 * 16);
  });

  test("a class with maxIdlePerOrigin 0 fails at start with the setting named", () => {
    const user = defineUser({ name: "Bad", http: { maxIdlePerOrigin: 0 }, tasks: [{ name: "t", fn: () => {} }] });
    expect(() => buildPlan(collectDefinitions([user]))).toThrow(/http\.maxIdlePerOrigin is 0; it must be a whole number >= 1/);
  });
});
