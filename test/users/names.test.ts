import { afterEach, describe, expect, test } from "bun:test";
import { buildPlan, collectDefinitions } from "../../src/api/plan.ts";
import { systemClock } from "../../src/clock.ts";
import { constant, defineUser } from "../../src/index.ts";
import { createStats } from "../../src/stats/index.ts";
import { userClients } from "../../src/users/clients.ts";
import { currentTask } from "../../src/users/current.ts";
import { nameWatcher } from "../../src/users/names.ts";
import { UserPool } from "../../src/users/pool.ts";
import { recordingLogger } from "../support/fakes.ts";
import { countingServer } from "../support/procs.ts";
import { until } from "./pool-harness.ts";

const pools: UserPool[] = [];
const stopPools = () => Promise.all(pools.splice(0).map((p) => p.stopAll(0)));

describe("nameWatcher", () => {
  test("warns once per task past the limit, naming the task, the latest name and the fix", () => {
    const warnings: string[] = [];
    const seen = nameWatcher({ warn: (m) => void warnings.push(m), limit: 3 });
    for (let i = 1; i <= 3; i++) seen("browse", "GET", `/item/${i}`);
    expect(warnings).toEqual([]);
    seen("browse", "GET", "/item/4");
    seen("browse", "GET", "/item/5");
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toContain('task "browse" has recorded more than 3 distinct request names (the latest: GET /item/4)');
    expect(warnings[0]).toContain('{ name: "/item/[id]" }');
  });

  test("counts each task on its own, and names recorded outside any task apart", () => {
    const warnings: string[] = [];
    const seen = nameWatcher({ warn: (m) => void warnings.push(m), limit: 2 });
    for (const task of ["a", "b", undefined]) for (let i = 0; i < 2; i++) seen(task, "GET", `/${task}/${i}`);
    expect(warnings).toEqual([]);
    seen(undefined, "GET", "/x");
    expect(warnings[0]).toStartWith("code outside any task has recorded more than 2");
  });

  test("uses a limit of 1,000 by default", () => {
    const warnings: string[] = [];
    const seen = nameWatcher({ warn: (m) => void warnings.push(m) });
    for (let i = 0; i < 1000; i++) seen("t", "GET", `/${i}`);
    expect(warnings).toEqual([]);
    seen("t", "GET", "/1000");
    expect(warnings[0]).toContain("more than 1,000");
  });
});

describe("a task that puts an id in every request name, run by a real pool with a real client", () => {
  afterEach(stopPools);

  test("is named in one warning once it passes the limit, with the fix; other tasks are not blamed", async () => {
    const server = await countingServer();
    try {
      const warnings: string[] = [];
      const watch = nameWatcher({ warn: (m) => void warnings.push(m), limit: 50 });
      const stats = createStats(systemClock, { onNewEntry: (method, name, task) => watch(task ?? currentTask(), method, name) });
      const thrown: unknown[] = [];
      let id = 0;
      const user = defineUser({
        name: "Browser",
        waitTime: constant(0.001),
        onStart: async ({ client }) => void (await client.get("/login")),
        tasks: [
          { name: "item", weight: 3, fn: async ({ client }) => void (await client.get(`/item/${id++}`)) },
          { name: "home", weight: 1, fn: async ({ client }) => void (await client.get("/")) },
        ],
      });
      const pool = new UserPool({
        plan: buildPlan(collectDefinitions([user])),
        clock: systemClock,
        recorder: stats.recorder,
        log: recordingLogger(),
        onException: (error) => void thrown.push(error),
        makeClient: userClients(stats.recorder, systemClock),
      });
      pools.push(pool);
      pool.env = { ...pool.env, host: server.url };
      await pool.setTargets({ Browser: 3 }, 0);
      await until(() => (id > 120 ? true : undefined), "the users to request more than 120 item ids");
      await pool.stopAll(0);
      expect(thrown).toEqual([]);
      expect(warnings).toHaveLength(1);
      expect(warnings[0]).toStartWith('task "item" has recorded more than 50 distinct request names (the latest: GET /item/');
    } finally {
      await server.close();
    }
  });
});
