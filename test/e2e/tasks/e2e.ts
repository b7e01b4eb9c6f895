// Tasks for the end-to-end tests: one class that only hits the target (and records a
// self-measured request), one that hits it and then throws.
import { constant, defineUser, recordSuccess } from "../../../src/index.ts";

export const hitter = defineUser({
  name: "Hitter",
  weight: 3,
  waitTime: constant(0.02),
  tasks: [
    { name: "hit", weight: 4, fn: ({ client }) => client.get("/hit") },
    { name: "measure", weight: 1, fn: () => recordSuccess("custom", "self-measured", 1.5, 10) },
  ],
});

export const thrower = defineUser({
  name: "Thrower",
  weight: 1,
  waitTime: constant(0.1),
  tasks: [
    {
      name: "throw",
      fn: async ({ client }) => {
        await client.get("/throw");
        throw new Error("boom from a task");
      },
    },
  ],
});

// A task that blocks the event loop (a CPU loop without awaiting) once per user, for the stall warning.
export const blocker = defineUser({
  name: "Blocker",
  waitTime: constant(60),
  tasks: [
    {
      name: "block the loop",
      fn: () => {
        const end = Date.now() + 5_000;
        while (Date.now() < end) {
          // computing without awaiting: nothing else in the worker runs meanwhile
        }
      },
    },
  ],
});

// CPU-bound: a task that only records, with no wait time, never awaits I/O by itself.
export const recordOnly = defineUser({
  name: "RecordOnly",
  weight: 1,
  tasks: [{ name: "record only", fn: () => recordSuccess("custom", "record-only", 1, 0) }],
});

// A task that ignores its signal: a kill abandons it, and its late request meets a closed client.
export const stubborn = defineUser({
  name: "Stubborn",
  weight: 1,
  tasks: [
    {
      name: "ignore the kill",
      fn: async ({ client }) => {
        await new Promise((resolve) => setTimeout(resolve, 3_000));
        await client.get("/late");
      },
    },
  ],
});
