import { describe, expect, test } from "bun:test";
import { nameWatcher } from "../../src/users/names.ts";

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
