// The flags that may hold a password travel to a --processes child in its environment, and the
// child gets back exactly the arguments the parent had.
import { describe, expect, test } from "bun:test";
import { CHILD_ARGS_ENV, hideArgs, restoreArgs } from "../../src/processes/child-args.ts";

const SECRET = ["--host", "--master-host"];

describe("hideArgs", () => {
  test("takes --host and its value off the command line, in both spellings, and keeps the rest in order", () => {
    const { visible, env } = hideArgs(
      ["run", "-u", "4", "--host", "http://u:secret@h:1", "--processes", "2", "--master-host=m.example"],
      SECRET,
    );
    expect(visible).toEqual(["run", "-u", "4", "--processes", "2"]);
    expect(JSON.parse(env[CHILD_ARGS_ENV] as string)).toEqual(["--host", "http://u:secret@h:1", "--master-host=m.example"]);
  });

  test("leaves a command line without those flags alone, with no variable to set", () => {
    expect(hideArgs(["--processes", "2", "--hostname-like", "x"], SECRET)).toEqual({
      visible: ["--processes", "2", "--hostname-like", "x"],
      env: {},
    });
  });

  test("stops at --: what follows is not a flag", () => {
    expect(hideArgs(["run", "--", "--host", "x"], SECRET).visible).toEqual(["run", "--", "--host", "x"]);
  });

  test("a --host without a value stays without one, for the child to refuse as the parent would", () => {
    expect(hideArgs(["--host", "--processes", "2"], SECRET)).toEqual({
      visible: ["--processes", "2"],
      env: { [CHILD_ARGS_ENV]: '["--host"]' },
    });
  });
});

describe("restoreArgs", () => {
  test("puts the hidden arguments back before a --, and removes the variable so nothing the child starts inherits it", () => {
    const { visible, env } = hideArgs(["run", "--host", "http://u:secret@h:1", "Shopper"], SECRET);
    const childEnv: Record<string, string | undefined> = { ...env, PATH: "/bin" };
    expect(restoreArgs(visible, childEnv)).toEqual(["run", "Shopper", "--host", "http://u:secret@h:1"]);
    expect(childEnv).toEqual({ PATH: "/bin" });
    expect(restoreArgs(["run", "--", "x"], { [CHILD_ARGS_ENV]: '["--host=h"]' })).toEqual(["run", "--host=h", "--", "x"]);
  });

  test("without the variable, the arguments are as given", () => {
    expect(restoreArgs(["run", "-u", "2"], {})).toEqual(["run", "-u", "2"]);
  });

  test("a value that is not a JSON array of strings is a usage error that says to unset it", () => {
    for (const bad of ["--host x", '{"host":"x"}', "[1]"]) {
      expect(() => restoreArgs([], { [CHILD_ARGS_ENV]: bad })).toThrow(
        `${CHILD_ARGS_ENV} must be a JSON array of strings; it is set by the parent of --processes: unset it`,
      );
    }
  });
});
