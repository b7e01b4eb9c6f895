import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { systemClock } from "../../src/clock.ts";
import { LoadworkerError } from "../../src/errors.ts";
import { RescheduleTask, defineTask, defineUser, recordSuccess } from "../../src/index.ts";
import type { AnyDefinition } from "../../src/api/definitions.ts";
import { buildPlan, collectDefinitions } from "../../src/api/plan.ts";
import { type Recorded, runTasksOnce } from "../../src/users/run-once.ts";
import { type CountingServer, countingServer } from "../support/procs.ts";
import { recordingLogger } from "../support/fakes.ts";

let server: CountingServer;
beforeAll(async () => {
  server = await countingServer();
});
afterAll(async () => {
  await server?.close();
});

function runOnce(definitions: AnyDefinition[], names: string[]) {
  const streamed: Array<[string, Recorded]> = [];
  const runs = runTasksOnce(buildPlan(collectDefinitions(definitions)), names, {
    host: server.url,
    log: recordingLogger(),
    clock: systemClock,
    onRecord: (task, record) => void streamed.push([task, record]),
  });
  return { runs, streamed };
}

const getTask = (name: string, path: string) => defineTask({ name, fn: async ({ client }) => void (await client.get(path)) });

describe("runTasksOnce", () => {
  test("runs each named task once against the host, in the order given, and returns what it recorded", async () => {
    const before = server.counts.get("/one") ?? 0;
    const { runs, streamed } = runOnce(
      [getTask("one", "/one"), getTask("fails", "/fail/x"), getTask("unused", "/unused")],
      ["fails", "one"],
    );
    const result = await runs;
    expect(result.map((r) => r.task)).toEqual(["fails", "one"]);
    expect(result[1]?.records).toMatchObject([{ ok: true, requestType: "GET", name: "/one", length: "hello from /one\n".length }]);
    expect(result[0]?.records).toMatchObject([{ ok: false, requestType: "GET", name: "/fail/x" }]);
    expect(result[0]?.records[0]?.error).toContain("500");
    expect(result.every((r) => r.exception === undefined)).toBe(true);
    expect(server.counts.get("/one")).toBe(before + 1);
    expect(server.counts.get("/unused")).toBeUndefined();
    expect(streamed.map(([task, r]) => `${task} ${r.name}`)).toEqual(["fails /fail/x", "one /one"]);
  });

  test("runs the task's user onStart first, with its state, and onStop after", async () => {
    const order: string[] = [];
    const user = defineUser<{ token: string }>({
      name: "Shop",
      state: () => ({ token: "" }),
      onStart: async ({ client, state }) => {
        await client.get("/login");
        state.token = "t-1";
        order.push("onStart");
      },
      onStop: () => void order.push("onStop"),
      tasks: [
        {
          name: "browse",
          fn: async ({ client, state }) => {
            order.push(`browse with ${state.token}`);
            await client.get("/items");
          },
        },
      ],
    });
    const [run] = await runOnce([user], ["browse"]).runs;
    expect(order).toEqual(["onStart", "browse with t-1", "onStop"]);
    expect(run?.records.map((r) => r.name)).toEqual(["/login", "/items"]);
  });

  // As Locust's `with ... catch_response=True` block records by status when it ends unmarked.
  test("records a catchResponse call the task marked neither way by the default rule when the task ends", async () => {
    const unmarked = defineTask({
      name: "unmarked",
      fn: async ({ client }) => void (await client.get("/fail/unmarked", { catchResponse: true })),
    });
    const [run] = await runOnce([unmarked], ["unmarked"]).runs;
    expect(run?.records).toMatchObject([{ ok: false, requestType: "GET", name: "/fail/unmarked" }]);
    expect(run?.records[0]?.error).toContain("500");
  });

  test("captures recordSuccess from a task that measures itself", async () => {
    const [run] = await runOnce(
      [defineTask({ name: "custom", fn: async () => (await Promise.resolve(), recordSuccess("grpc", "Say", 4.5, 12)) })],
      ["custom"],
    ).runs;
    expect(run?.records).toEqual([{ ok: true, requestType: "grpc", name: "Say", ms: 4.5, length: 12 }]);
  });

  test("rejects an unknown task name with E_UNKNOWN_TASK, listing the tasks there are, before running any", async () => {
    const before = server.total();
    const error = await runOnce([getTask("alpha", "/a"), getTask("beta", "/b")], ["alpha", "gamma"]).runs.catch((e: unknown) => e);
    expect(error).toBeInstanceOf(LoadworkerError);
    expect((error as LoadworkerError).code).toBe("E_UNKNOWN_TASK");
    expect((error as LoadworkerError).message).toContain('no task named "gamma"');
    expect((error as LoadworkerError).message).toContain('"alpha", "beta"');
    // The likeliest reason a task someone just wrote is missing: it was defined but not exported.
    expect((error as LoadworkerError).message).toContain("export");
    expect(server.total()).toBe(before);
  });

  test("reports a throwing task in `exception` and goes on with the next task", async () => {
    const throwing = defineTask({
      name: "broken",
      fn: async ({ client }) => {
        await client.get("/before-throw");
        throw new RangeError("bad index");
      },
    });
    const result = await runOnce([throwing, getTask("fine", "/fine")], ["broken", "fine"]).runs;
    expect(result[0]?.exception).toMatch(/^RangeError\('bad index'\) in broken at \S*test\/users\/run-once\.test\.ts:\d+:\d+$/); // the throw's line in this file
    expect(result[0]?.records.map((r) => r.name)).toEqual(["/before-throw"]);
    expect(result[1]?.exception).toBeUndefined();
    expect(result[1]?.records).toHaveLength(1);
  });

  test("takes ctx.stopUser() and RescheduleTask as control flow, not exceptions, and still runs onStop after them", async () => {
    const stops: string[] = [];
    const user = defineUser({
      name: "Leaver",
      onStop: ({ userId }) => void stops.push(`onStop ${userId}`),
      tasks: [
        defineTask({
          name: "leave",
          fn: async (ctx) => {
            await ctx.client.get("/leave");
            ctx.stopUser();
          },
        }),
        defineTask({
          name: "skip",
          fn: () => {
            throw new RescheduleTask();
          },
        }),
      ],
    });
    const result = await runOnce([user], ["leave", "skip"]).runs;
    expect(result.map((r) => [r.task, r.records.length, r.exception])).toEqual([
      ["leave", 1, undefined],
      ["skip", 0, undefined],
    ]);
    expect(stops).toEqual(["onStop 1", "onStop 2"]);
  });

  test("reports a throwing state() factory as the task's exception rather than failing the whole run", async () => {
    const user = defineUser({
      name: "Fragile",
      state: () => {
        throw new Error("no state");
      },
      tasks: [getTask("fragile", "/fragile")],
    });
    const result = await runOnce([user, getTask("fine", "/fine")], ["fragile", "fine"]).runs;
    expect(result[0]?.exception).toContain("no state");
    expect(result[1]?.records).toHaveLength(1);
  });
});
