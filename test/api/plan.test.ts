import { describe, expect, test } from "bun:test";
import { LoadworkerError } from "../../src/errors.ts";
import { constant, defineTask, defineUser, onMessage, onTestStart, onTestStop } from "../../src/index.ts";
import { DEFAULT_USER_NAME, buildPlan, collectDefinitions } from "../../src/api/plan.ts";

const noop = () => {};
const task = (name: string, weight?: number) => defineTask({ name, weight, fn: noop });

/** The LoadworkerError that building a plan from `exports` throws (fails the test if none). */
function planError(...exports: unknown[]): LoadworkerError {
  try {
    buildPlan(collectDefinitions(exports));
  } catch (error) {
    expect(error).toBeInstanceOf(LoadworkerError);
    return error as LoadworkerError;
  }
  throw new Error("expected buildPlan to throw");
}

describe("collectDefinitions", () => {
  test("finds definitions among module values and inside arrays, once each, and ignores everything else", () => {
    const a = task("a");
    const b = task("b");
    const user = defineUser({ name: "U", tasks: [a] });
    const found = collectDefinitions([a, "text", 42, null, { name: "not a definition" }, [b, [user, a]], a]);
    expect(found).toEqual([a, b, user]);
  });
});

describe("defineUser", () => {
  test("refuses tasks that are not a list, where it is called, with the shape to write", () => {
    expect(() => defineUser({ name: "Shop", tasks: { home: noop } as never })).toThrow(
      'defineUser "Shop": tasks must be a list, tasks: [{ name: "home", fn: async (ctx) => { … } }]',
    );
  });
});

describe("buildPlan", () => {
  test("turns standalone tasks into the DefaultUser class, listed first", () => {
    const a = task("a", 2);
    const b = task("b");
    const plan = buildPlan(collectDefinitions([a, b]));
    expect(plan.users.map((u) => u.name)).toEqual([DEFAULT_USER_NAME]);
    expect(plan.users[0]?.tasks).toEqual([a, b]);
    expect(plan.users[0]?.weight).toBe(1);
    expect([...plan.tasks.keys()]).toEqual(["a", "b"]);
    expect(plan.tasks.get("b")?.user.name).toBe(DEFAULT_USER_NAME);
  });

  test("keeps user classes in declaration order and indexes their tasks by name", () => {
    const first = defineUser({ name: "Zed", weight: 3, tasks: [{ name: "z1", fn: noop }] });
    const second = defineUser({
      name: "Alpha",
      tasks: [
        { name: "a1", fn: noop },
        { name: "a2", weight: 5, fn: noop },
      ],
    });
    const plan = buildPlan(collectDefinitions([first, second]));
    expect(plan.users).toEqual([first, second]);
    expect([...plan.tasks.keys()]).toEqual(["z1", "a1", "a2"]);
    expect(plan.tasks.get("a2")?.user).toBe(second);
  });

  test("falls back to DefaultUser when there are standalone tasks", () => {
    const user = defineUser({ name: "Shop", tasks: [task("browse")] });
    const plan = buildPlan(collectDefinitions([user, task("ping")]));
    expect(plan.users.map((u) => u.name)).toEqual([DEFAULT_USER_NAME, "Shop"]);
    expect(plan.fallback.map((u) => u.name)).toEqual([DEFAULT_USER_NAME]);
  });

  test("falls back to every user class when there are no standalone tasks", () => {
    const users = [defineUser({ name: "A", tasks: [task("a")] }), defineUser({ name: "B", tasks: [task("b")] })];
    expect(buildPlan(collectDefinitions(users)).fallback).toEqual(users);
  });

  test("allows one task object to be shared by two user classes", () => {
    const shared = task("shared");
    const plan = buildPlan(collectDefinitions([defineUser({ name: "A", tasks: [shared] }), defineUser({ name: "B", tasks: [shared] })]));
    expect(plan.tasks.get("shared")?.task).toBe(shared);
    expect(plan.users.map((u) => u.name)).toEqual(["A", "B"]);
  });

  test("does not make an exported task that a user class uses into a DefaultUser as well", () => {
    // The natural way to share a task: export it and list it in the classes.
    const shared = task("shared");
    const plan = buildPlan(
      collectDefinitions([shared, defineUser({ name: "A", tasks: [shared] }), defineUser({ name: "B", tasks: [shared] })]),
    );
    expect(plan.users.map((u) => u.name)).toEqual(["A", "B"]);
    expect(plan.fallback.map((u) => u.name)).toEqual(["A", "B"]);
  });

  test("reports nothing exported as E_NO_TASKS", () => {
    const error = planError("just a string", { nothing: true });
    expect(error.code).toBe("E_NO_TASKS");
    expect(error.message).toContain("defineTask");
  });

  describe("rejects at start-up, with E_CONFIG and the name in the message,", () => {
    test("two different tasks with the same name, naming both classes", () => {
      const error = planError(defineUser({ name: "A", tasks: [task("login")] }), defineUser({ name: "B", tasks: [task("login")] }));
      expect(error.code).toBe("E_CONFIG");
      expect(error.message).toContain('"login"');
      expect(error.message).toContain("A and B");
    });

    test("two standalone tasks with the same name", () => {
      const error = planError(task("dup"), task("dup"));
      expect(error.code).toBe("E_CONFIG");
      expect(error.message).toContain('"dup"');
    });

    test("a task weight of zero, below zero or NaN", () => {
      for (const weight of [0, -1, Number.NaN]) {
        const error = planError(task("heavy", weight));
        expect(error.code).toBe("E_CONFIG");
        expect(error.message).toContain('task "heavy"');
        expect(error.message).toContain(`weight is ${weight}`);
      }
    });

    test("a user class weight of zero or NaN", () => {
      for (const weight of [0, Number.NaN]) {
        const error = planError(defineUser({ name: "Light", weight, tasks: [task("t")] }));
        expect(error.code).toBe("E_CONFIG");
        expect(error.message).toContain('user class "Light"');
      }
    });

    test("a wait time that returns NaN or a negative number", () => {
      for (const [waitTime, shown] of [
        [() => Number.NaN, "NaN"],
        [({ taskSeconds }: { taskSeconds: number }) => 1 - taskSeconds, "-29"],
      ] as const) {
        const error = planError(defineUser({ name: "Waiter", waitTime, tasks: [task("t")] }));
        expect(error.code).toBe("E_CONFIG");
        expect(error.message).toContain("Waiter");
        expect(error.message).toContain(`waitTime returned ${shown}`);
      }
    });

    test("an HTTP timeout below zero or NaN (0 and Infinity mean none and are fine)", () => {
      for (const timeoutMs of [-1, Number.NaN]) {
        const error = planError(defineUser({ name: "Impatient", http: { timeoutMs }, tasks: [task("t")] }));
        expect(error.code).toBe("E_CONFIG");
        expect(error.message).toContain(`http.timeoutMs is ${timeoutMs}`);
      }
      for (const timeoutMs of [0, Infinity])
        expect(() =>
          buildPlan(collectDefinitions([defineUser({ name: "Patient", http: { timeoutMs }, tasks: [task("t")] })])),
        ).not.toThrow();
    });

    test("a wait time that is not a function", () => {
      const error = planError(defineUser({ name: "Waiter", waitTime: 3 as never, tasks: [task("t")] }));
      expect(error.message).toContain("waitTime must be a function");
    });

    test("a class name that is not a Python identifier", () => {
      for (const name of ["Shop User", "1st", "shop-user", ""]) {
        const error = planError(defineUser({ name, tasks: [task("t")] }));
        expect(error.code).toBe("E_CONFIG");
        expect(error.message).toContain(`"${name}"`);
        expect(error.message).toContain("Python identifier");
      }
    });

    test("a class name that master.py cannot use: a Python keyword or a name it imports", () => {
      for (const name of ["class", "None", "pass", "task", "User"]) {
        const error = planError(defineUser({ name, tasks: [task("t")] }));
        expect(error.code).toBe("E_CONFIG");
        expect(error.message).toContain(`"${name}"`);
      }
    });

    test("a user class with no tasks", () => {
      const error = planError(defineUser({ name: "Idle", tasks: [] }));
      expect(error.code).toBe("E_CONFIG");
      expect(error.message).toContain('"Idle" has no tasks');
    });

    test("two user classes with the same name", () => {
      const error = planError(defineUser({ name: "Twin", tasks: [task("a")] }), defineUser({ name: "Twin", tasks: [task("b")] }));
      expect(error.message).toContain('two user classes are named "Twin"');
    });

    test("a user class named DefaultUser next to standalone tasks", () => {
      const error = planError(defineUser({ name: DEFAULT_USER_NAME, tasks: [task("a")] }), task("b"));
      expect(error.code).toBe("E_CONFIG");
      expect(error.message).toContain(`"${DEFAULT_USER_NAME}" is reserved`);
    });

    test("a refused definition with the file and line of the define* call that made it", () => {
      const line = Number(new Error().stack?.match(/plan\.test\.ts:(\d+)/)?.[1]) + 1;
      const light = defineUser({ name: "Light", weight: 0, tasks: [task("t")] });
      expect(planError(light).message).toStartWith(`test/api/plan.test.ts:${line}: user class "Light": weight is 0`);
      const inline = defineUser({ name: "Inline", tasks: [{ name: "heavy", weight: -1, fn: noop }] });
      expect(planError(inline).message).toStartWith(`test/api/plan.test.ts:${line + 2}: task "heavy": weight is -1`);
    });

    test("two user classes of one name, with where each was made", () => {
      const line = Number(new Error().stack?.match(/plan\.test\.ts:(\d+)/)?.[1]) + 1;
      const [a, b] = [defineUser({ name: "Twin", tasks: [task("a")] }), defineUser({ name: "Twin", tasks: [task("b")] })];
      expect(planError(a, b).message).toContain(`"Twin" (at test/api/plan.test.ts:${line} and test/api/plan.test.ts:${line})`);
    });

    test("a weight given as a string, shown in quotes so the user sees it is not a number", () => {
      expect(planError(task("quoted", "2" as never)).message).toContain('weight is "2"; it must be a number > 0');
    });

    test("a user class without a name, saying to give it one", () => {
      expect(planError(defineUser({ tasks: [task("t")] } as never)).message).toContain(
        'a user class has no name; give it one, e.g. defineUser({ name: "ShopUser"',
      );
    });

    test("a task without a name or without a function", () => {
      expect(planError(task("  ")).message).toContain("has no name");
      expect(planError(defineTask({ name: "lazy", fn: undefined as never })).message).toContain('task "lazy": fn must be a function');
    });
  });

  test("accepts a class named DefaultUser when there are no standalone tasks", () => {
    expect(
      buildPlan(collectDefinitions([defineUser({ name: DEFAULT_USER_NAME, waitTime: constant(1), tasks: [task("a")] })])).users,
    ).toHaveLength(1);
  });

  test("accepts Unicode letters in class names (Python 3 identifiers)", () => {
    expect(buildPlan(collectDefinitions([defineUser({ name: "压测用户_1", tasks: [task("a")] })])).users[0]?.name).toBe("压测用户_1");
  });
});

describe("buildPlan: the controls", () => {
  const user = (extra: Record<string, unknown> = {}) => defineUser({ name: "U", tasks: [task("t")], ...extra });

  test("collects onMessage handlers by type and test hooks in order", () => {
    const handler = () => {};
    const [a, b] = [() => {}, () => {}];
    const plan = buildPlan(collectDefinitions([user(), onMessage("accounts", handler), onTestStart(a), onTestStop(b), onTestStart(b)]));
    expect(plan.messages.get("accounts")).toBe(handler);
    expect(plan.testStart).toEqual([a, b]);
    expect(plan.testStop).toEqual([b]);
  });

  test.each([
    ["a type registered twice", [onMessage("x", noop), onMessage("x", noop)], 'onMessage("x") is registered twice'],
    ["a protocol type", [onMessage("spawn", noop)], '"spawn" is a Locust protocol message the worker handles itself'],
    ["an empty type", [onMessage("", noop)], "the message type must be a non-empty string"],
    ["a handler that is not a function", [onMessage("x", 3 as never)], "the handler must be a function"],
  ])("refuses %s at start-up", (_what, defs, message) => {
    const error = planError(user(), ...defs);
    expect(error.code).toBe("E_CONFIG");
    expect(error.message).toContain(message);
  });

  test.each([[-1], [1.5], [Number.NaN]])("refuses fixedCount %p", (fixedCount) => {
    expect(planError(user({ fixedCount })).message).toContain("fixedCount is");
  });

  test.each([[["has space"]], [[""]], ["read" as never]])("refuses tags %p", (tags) => {
    expect(planError(defineUser({ name: "U", tasks: [{ name: "t", tags, fn: noop }] })).message).toContain("tags must be a list of words");
  });
});
