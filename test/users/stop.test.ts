import { describe, expect, test } from "bun:test";
import { SleepQueue } from "../../src/users/sleep-queue.ts";
import { UserStop } from "../../src/users/stop.ts";

describe("UserStop (a user's stop request)", () => {
  test("tells each listener once, function or handleEvent object, and no removed or late one", () => {
    const stop = new UserStop();
    const heard: string[] = [];
    const removed = () => heard.push("removed");
    stop.addEventListener("abort", () => heard.push("first"));
    stop.addEventListener("abort", removed);
    stop.addEventListener("abort", { handleEvent: () => heard.push("object") });
    stop.removeEventListener("abort", removed);
    expect(stop.aborted).toBe(false);
    stop.abort();
    stop.abort();
    stop.addEventListener("abort", () => heard.push("late"));
    expect(stop.aborted).toBe(true);
    expect(heard).toEqual(["first", "object"]);
  });

  test("wakes a user sleeping in the shared queue at once, and leaves other sleepers asleep", async () => {
    const queue = new SleepQueue();
    const stop = new UserStop();
    const other = new UserStop();
    const stopped = queue.sleep(60_000, stop);
    const still = queue.sleep(60_000, other);
    stop.abort();
    await expect(stopped).rejects.toThrow("the user was stopped");
    expect(queue.size).toBe(1);
    other.abort();
    await expect(still).rejects.toThrow("the user was stopped");
    expect(queue.size).toBe(0);
  });
});
