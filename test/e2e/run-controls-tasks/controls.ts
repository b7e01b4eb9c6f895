// Tasks for test/e2e/run-controls.test.ts: a Ticker whose tasks carry tags, a class the tags can
// leave without tasks, and test hooks that tell the counting server when they ran.
import { constant, defineUser, onTestStart, onTestStop } from "../../../src/index.ts";

export const ticker = defineUser({
  name: "Ticker",
  weight: 3,
  waitTime: constant(0),
  tasks: [
    { name: "tick", tags: ["fast"], fn: ({ client }) => client.get("/tick") },
    { name: "slow", tags: ["slow"], fn: ({ client }) => client.get("/slow") },
    { name: "plain", fn: ({ client }) => client.get("/plain") },
  ],
});

export const other = defineUser({
  name: "Other",
  weight: 1,
  waitTime: constant(0),
  tasks: [{ name: "other", tags: ["other"], fn: ({ client }) => client.get("/other") }],
});

// The wait makes a user that started before the hook ended visible as a request before /hook/start.
export const started = onTestStart(async ({ host, parsedOptions, workerIndex }) => {
  await new Promise((resolve) => setTimeout(resolve, 300));
  await fetch(`${host}/hook/start?users=${String(parsedOptions.num_users)}&process=${workerIndex}`);
});

export const stopped = onTestStop(async ({ host }) => {
  await fetch(`${host}/hook/stop`);
});
