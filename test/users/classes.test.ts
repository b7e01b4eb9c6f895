import { describe, expect, test } from "bun:test";
import { NO_TAG_FILTER, applyClassUpdate, passesTags, tagFilterFrom, tasksFor } from "../../src/users/classes.ts";

const tasks = [{ name: "browse", tags: ["read"] }, { name: "buy", tags: ["write", "slow"] }, { name: "health" }];
const names = (list: ReadonlyArray<{ name: string }>) => list.map((t) => t.name);

describe("tags from the master (Locust's filter_tasks_by_tags)", () => {
  test("no --tags and no --exclude-tags keep every task", () => {
    expect(names(tasksFor(tasks, undefined, tagFilterFrom({})))).toEqual(["browse", "buy", "health"]);
    expect(names(tasksFor(tasks, undefined, tagFilterFrom({ tags: null, exclude_tags: null })))).toEqual(["browse", "buy", "health"]);
  });

  test("--tags keeps tasks with at least one of the tags; untagged tasks drop out", () => {
    expect(names(tasksFor(tasks, undefined, tagFilterFrom({ tags: ["read"] })))).toEqual(["browse"]);
    expect(names(tasksFor(tasks, undefined, tagFilterFrom({ tags: ["slow", "read"] })))).toEqual(["browse", "buy"]);
  });

  test("--exclude-tags drops tasks with any of the tags; untagged tasks stay", () => {
    expect(names(tasksFor(tasks, undefined, tagFilterFrom({ exclude_tags: ["slow"] })))).toEqual(["browse", "health"]);
  });

  test("both: a task needs a tag and none of the excluded ones", () => {
    expect(names(tasksFor(tasks, undefined, tagFilterFrom({ tags: ["read", "write"], exclude_tags: ["slow"] })))).toEqual(["browse"]);
  });

  test("an empty list means not given, as Locust's truthiness check reads it", () => {
    expect(tagFilterFrom({ tags: [], exclude_tags: [] })).toEqual(NO_TAG_FILTER);
  });

  test("a tag matching nothing leaves no tasks", () => {
    expect(tasksFor(tasks, undefined, tagFilterFrom({ tags: ["nope"] }))).toEqual([]);
    expect(passesTags({ name: "x" }, NO_TAG_FILTER)).toBe(true);
  });
});

describe("web UI class edits (update_user_class)", () => {
  test("merge per class: later keys override, missing keys stay", () => {
    let edits = applyClassUpdate(new Map(), { userClassName: "Shop", weight: 3, tasks: ["browse"] });
    edits = applyClassUpdate(edits, { userClassName: "Shop", host: "http://b" });
    edits = applyClassUpdate(edits, { userClassName: "Other", fixedCount: 2 });
    expect(edits.get("Shop")).toEqual({ weight: 3, tasks: ["browse"], host: "http://b" });
    expect(edits.get("Other")).toEqual({ fixedCount: 2 });
  });

  test("a task list picks tasks by name from the class's own tasks, and tags still apply", () => {
    expect(names(tasksFor(tasks, { tasks: ["buy", "health", "unknown"] }, NO_TAG_FILTER))).toEqual(["buy", "health"]);
    expect(names(tasksFor(tasks, { tasks: ["buy", "health"] }, tagFilterFrom({ exclude_tags: ["write"] })))).toEqual(["health"]);
    expect(tasksFor(tasks, { tasks: [] }, NO_TAG_FILTER)).toEqual([]);
  });
});
