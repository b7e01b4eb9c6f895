// Stopping users that do real HTTP: a request in flight finishes within stop_timeout and is
// recorded; a killed user's onStop can still log out over its own client (Locust runs on_stop).
import { afterAll, afterEach, beforeAll, describe, expect, test } from "bun:test";
import { defineUser } from "../../src/index.ts";
import { type CountingServer, countingServer } from "../support/procs.ts";
import { waitFor, within } from "../support/wait.ts";
import { realClientPool, realClientPoolWith, stopPools } from "./pool-harness.ts";

let server: CountingServer;
let slow: import("node:http").Server;
let slowUrl = "";

beforeAll(async () => {
  server = await countingServer();
  const { createServer } = await import("node:http");
  // Answers after 300 ms, so a stop lands while the request is in flight.
  slow = createServer((req, res) => setTimeout(() => res.end(`slow ${req.url}`), 300));
  await new Promise<void>((r) => slow.listen(0, "127.0.0.1", r));
  slowUrl = `http://127.0.0.1:${(slow.address() as { port: number }).port}`;
});
afterEach(stopPools);
afterAll(async () => {
  await server.close();
  slow.closeAllConnections();
  await new Promise((r) => slow.close(r));
});

describe("stopping users that make HTTP requests", () => {
  test("a request in flight finishes within stop_timeout and is recorded", async () => {
    let started = 0;
    const user = defineUser({ name: "Slow", tasks: [{ name: "slow", fn: async ({ client }) => (started++, client.get("/slow")) }] });
    const { pool, recorder } = realClientPool(slowUrl, user);
    pool.setTargets({ Slow: 1 }, 5);
    await waitFor(() => (started === 1 ? true : undefined), 3_000, "the request to start");
    await within(pool.stopAll(5), 3_000, "the stop");
    expect(recorder.records.filter((r) => r.name === "/slow" && r.ok)).toHaveLength(1);
  });

  test("a user killed mid-request (stop_timeout 0) still logs out in onStop", async () => {
    let started = 0;
    const user = defineUser({
      name: "Session",
      onStop: async ({ client }) => {
        await client.post(`${server.url}/logout`);
      },
      tasks: [{ name: "slow", fn: async ({ client }) => (started++, client.get("/slow")) }],
    });
    const { pool, recorder } = realClientPool(slowUrl, user);
    pool.setTargets({ Session: 1 }, 0);
    await waitFor(() => (started === 1 ? true : undefined), 3_000, "the request to start");
    await within(pool.stopAll(0), 3_000, "the stop");
    expect(server.counts.get("/logout")).toBe(1);
    expect(recorder.records.filter((r) => r.name === "/logout" && r.ok)).toHaveLength(1);
    // The killed request was aborted, not recorded.
    expect(recorder.records.filter((r) => r.name === "/slow")).toHaveLength(0);
  });

  test("a killed task that ignores its signal starts no request after the kill, quietly; its onStop still logs out", async () => {
    let started = 0;
    let rejected: unknown;
    const exceptions: unknown[] = [];
    const user = defineUser({
      name: "Stubborn",
      onStop: async ({ client }) => {
        await client.post(`${server.url}/stubborn-logout`);
      },
      tasks: [
        {
          name: "stubborn",
          fn: async ({ client }) => {
            started++;
            await new Promise((r) => setTimeout(r, 300)); // not the user's sleep: the kill does not end it
            rejected = await client.get(`${server.url}/after-kill`).then(
              () => "sent",
              (error: unknown) => error,
            );
            throw rejected; // as a task that does not catch it
          },
        },
      ],
    });
    const { pool, recorder } = realClientPoolWith({ onException: (error) => void exceptions.push(error) }, slowUrl, user);
    pool.setTargets({ Stubborn: 1 }, 0);
    await waitFor(() => (started === 1 ? true : undefined), 3_000, "the task to start");
    await within(pool.stopAll(0), 3_000, "the stop");
    expect((rejected as Error).name).toBe("AbortError");
    expect(server.counts.get("/after-kill")).toBeUndefined();
    expect(recorder.records.filter((r) => r.name === "/after-kill")).toHaveLength(0);
    expect(exceptions).toEqual([]); // the kill's abort ends the task unreported
    expect(server.counts.get("/stubborn-logout")).toBe(1);
  });

  test("a killed task's own records after the kill are not counted (it may outlive its test), while its onStop's are", async () => {
    let started = 0;
    let recordedAfterKill = false;
    const user = defineUser({
      name: "Recorder",
      onStop: async (ctx) => ctx.recordSuccess("custom", "logout", 1, 0),
      tasks: [
        {
          name: "manual",
          fn: async (ctx) => {
            started++;
            ctx.recordSuccess("custom", "before-kill", 1, 0);
            await new Promise((r) => setTimeout(r, 300)); // not the user's sleep: the kill does not end it
            ctx.recordSuccess("custom", "after-kill", 1, 0);
            ctx.recordFailure("custom", "after-kill", 1, new Error("late"));
            recordedAfterKill = true;
          },
        },
      ],
    });
    const { pool, recorder } = realClientPool(server.url, user);
    pool.setTargets({ Recorder: 1 }, 0);
    await waitFor(() => (started === 1 ? true : undefined), 3_000, "the task to start");
    await within(pool.stopAll(0), 3_000, "the stop");
    await waitFor(() => (recordedAfterKill ? true : undefined), 3_000, "the killed task to record");
    expect(recorder.records.map((r) => [r.ok, r.name])).toEqual([
      [true, "before-kill"],
      [true, "logout"],
    ]);
  });

  // Locust records a catch_response call by the default rule when its `with` block ends; here a
  // task's unmarked call is recorded at its next request, at the client's close, and at a stop.
  test("a waiting user's unmarked catchResponse call is recorded by the default rule when it is killed (stop_timeout 0)", async () => {
    let done = 0;
    const user = defineUser({
      name: "Checker",
      waitTime: () => 3600,
      tasks: [{ name: "check", fn: async ({ client }) => void (await client.get("/fail/unmarked", { catchResponse: true }), done++) }],
    });
    const { pool, recorder } = realClientPool(server.url, user);
    pool.setTargets({ Checker: 1 }, 0);
    await waitFor(() => (done === 1 ? true : undefined), 3_000, "the task to end and the user to wait");
    expect(recorder.records).toEqual([]);
    await within(pool.stopAll(0), 3_000, "the stop");
    expect(recorder.records.map((r) => [r.ok, r.name])).toEqual([[false, "/fail/unmarked"]]);
  });

  test("a user killed in a task after an unmarked catchResponse call records it once, by the default rule (a ramp-down too)", async () => {
    let waiting = 0;
    const user = defineUser({
      name: "Lingerer",
      tasks: [
        {
          name: "linger",
          fn: async (ctx) => {
            await ctx.client.get("/ok", { catchResponse: true });
            waiting++;
            await ctx.sleep(3600);
          },
        },
      ],
    });
    const { pool, recorder } = realClientPool(server.url, user);
    pool.setTargets({ Lingerer: 2 }, 0);
    await waitFor(() => (waiting === 2 ? true : undefined), 3_000, "both users to sleep in their task");
    await within(pool.setTargets({ Lingerer: 1 }, 0), 3_000, "the ramp-down");
    expect(recorder.records.map((r) => [r.ok, r.name])).toEqual([[true, "/ok"]]);
    await within(pool.stopAll(0), 3_000, "the stop");
    expect(recorder.records.map((r) => [r.ok, r.name])).toEqual([
      [true, "/ok"],
      [true, "/ok"],
    ]);
  });
});
