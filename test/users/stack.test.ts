import { describe, expect, test } from "bun:test";
import { frameFile, stackLayout, trimStack, userLocation } from "../../src/users/stack.ts";

// What a compiled worker prints (source-mapped, relative to the build directory).
const compiled = { engineRoot: "src/", runnerFile: "src/users/user.ts" };

const fromSpawn = [
  "Error: boom from a task",
  "    at fn (tasks/x.ts:11:19)",
  "    at run (node:async_hooks:144:29)",
  "    at runTask (src/users/user.ts:66:11)",
  "    at runUser (src/users/user.ts:44:11)",
  "    at start (src/users/pool.ts:152:18)",
  "    at setTargets (src/users/pool.ts:72:53)",
  "    at perform (src/worker/worker.ts:116:19)",
  "    at onMessage (src/worker/worker.ts:83:9)",
].join("\n");
const fromLoop = [
  "Error: boom from a task",
  "    at fn (tasks/x.ts:11:19)",
  "    at run (node:async_hooks:144:29)",
  "    at runTask (src/users/user.ts:66:11)",
  "    at runUser (src/users/user.ts:44:11)",
].join("\n");

describe("trimStack", () => {
  test("the same throw reads the same from the spawn path and from the user's loop", () => {
    const expected = "Error: boom from a task\n    at fn (tasks/x.ts:11:19)";
    expect(trimStack(fromSpawn, compiled)).toBe(expected);
    expect(trimStack(fromLoop, compiled)).toBe(expected);
  });

  test.each([
    [
      "keeps the engine frames the user's code called into (a bad URL in the client)",
      "TypeError: Invalid URL\n    at request (src/http/client.ts:80:11)\n    at get (src/http/client.ts:40:5)\n    at fn (tasks/x.ts:5:20)\n    at runTask (src/users/user.ts:66:11)",
      "TypeError: Invalid URL\n    at request (src/http/client.ts:80:11)\n    at get (src/http/client.ts:40:5)\n    at fn (tasks/x.ts:5:20)",
    ],
    [
      "keeps every user frame down to the last one, with runtime frames between them",
      "Error: x\n    at helper (tasks/lib.ts:3:9)\n    at new Promise (<anonymous>)\n    at async fn (tasks/x.ts:5:20)\n    at processTicksAndRejections (native:7:39)",
      "Error: x\n    at helper (tasks/lib.ts:3:9)\n    at new Promise (<anonymous>)\n    at async fn (tasks/x.ts:5:20)",
    ],
    [
      "keeps the one runner frame of an error the runner made",
      "RangeError: waitTime returned NaN\n    at nextWait (src/users/user.ts:90:30)\n    at runUser (src/users/user.ts:50:18)\n    at start (src/users/pool.ts:152:18)",
      "RangeError: waitTime returned NaN\n    at nextWait (src/users/user.ts:90:30)",
    ],
    [
      "leaves a stack with neither user nor runner frames as it is (an error from a socket event)",
      "Error: socket\n    at onData (src/http/connection.ts:10:3)\n    at emit (node:events:1:1)",
      "Error: socket\n    at onData (src/http/connection.ts:10:3)\n    at emit (node:events:1:1)",
    ],
    [
      "keeps message lines that follow the frames (a cause)",
      "Error: outer\n    at fn (tasks/x.ts:2:3)\n    at runTask (src/users/user.ts:66:11)\n  cause: Error: inner",
      "Error: outer\n    at fn (tasks/x.ts:2:3)\n  cause: Error: inner",
    ],
    [
      "keeps a multi-line message whole",
      "Error: line one\nline two\n    at fn (tasks/x.ts:2:3)\n    at runTask (src/users/user.ts:66:11)",
      "Error: line one\nline two\n    at fn (tasks/x.ts:2:3)",
    ],
    ["leaves a stack without frames alone", "Error: no frames", "Error: no frames"],
    [
      "drops user code below the runner too (whoever started the pool)",
      "Error: x\n    at fn (tasks/x.ts:2:3)\n    at runTask (src/users/user.ts:66:11)\n    at start (src/users/pool.ts:1:1)\n    at main (tasks/harness.ts:9:9)",
      "Error: x\n    at fn (tasks/x.ts:2:3)",
    ],
    [
      "keeps down to the last user frame without a runner frame (a state() factory)",
      "Error: x\n    at state (tasks/x.ts:2:3)\n    at createUserContext (src/users/context.ts:1:1)\n    at start (src/users/pool.ts:1:1)",
      "Error: x\n    at state (tasks/x.ts:2:3)",
    ],
  ])("%s", (_, stack, expected) => {
    expect(trimStack(stack, compiled)).toBe(expected);
  });

  test("works with the absolute paths and file: URLs of an uncompiled worker (Bun, Deno)", () => {
    const bun = { engineRoot: "/app/src/", runnerFile: "/app/src/users/user.ts" };
    expect(trimStack("Error: x\n    at fn (/app/tasks/x.ts:2:3)\n    at runTask (/app/src/users/user.ts:66:11)", bun)).toBe(
      "Error: x\n    at fn (/app/tasks/x.ts:2:3)",
    );
    const deno = { engineRoot: "file:///app/src/", runnerFile: "file:///app/src/users/user.ts" };
    expect(
      trimStack("Error: x\n    at fn (file:///app/tasks/x.ts:2:3)\n    at async runTask (file:///app/src/users/user.ts:66:11)", deno),
    ).toBe("Error: x\n    at fn (file:///app/tasks/x.ts:2:3)");
  });
});

describe("frameFile", () => {
  test.each([
    ["    at fn (tasks/x.ts:11:19)", "tasks/x.ts"],
    ["    at async fn (file:///tmp/d.ts:2:30)", "file:///tmp/d.ts"],
    ["    at tasks/x.ts:2:7", "tasks/x.ts"],
    ["    at /$bunfs/root/loadworker:7219:20", "/$bunfs/root/loadworker"],
    ["    at new Promise (<anonymous>)", "<anonymous>"],
    ["    at processTicksAndRejections (native:7:39)", "native"],
  ])("%s → %s", (line, file) => {
    expect(frameFile(line)).toBe(file);
  });
});

describe("userLocation", () => {
  test("names the first frame in user code", () => {
    expect(userLocation(fromSpawn, compiled)).toBe("tasks/x.ts:11:19");
    expect(userLocation("Error: x\n    at tasks/x.ts:2:7", compiled)).toBe("tasks/x.ts:2:7");
    expect(userLocation("Error: x\n    at nextWait (src/users/user.ts:90:30)", compiled)).toBeUndefined();
  });
});

describe("stackLayout", () => {
  test("finds the engine's root from a frame in a known module", () => {
    expect(stackLayout("Error\n    at <anonymous> (src/users/stack.ts:70:20)", "users/stack.ts", "users/user.ts")).toEqual(compiled);
    expect(stackLayout(new Error().stack ?? "", "users/stack.test.ts", "users/user.ts").engineRoot).toMatch(/test\/$/);
  });

  test("trims nothing when no frame names the module", () => {
    const layout = stackLayout("Error", "users/stack.ts", "users/user.ts");
    expect(trimStack(fromLoop, layout)).toBe(fromLoop);
  });
});
