import { describe, expect, test } from "bun:test";
import { type HostSources, targetHost } from "../../src/users/target-host.ts";

describe("targetHost: the master's host, else the class's edited host, else --host", () => {
  const cases: Array<[string, HostSources, string | undefined]> = [
    [
      "the master's host wins over a class edit and --host (Locust's start_worker)",
      { master: "http://m", classEdit: "http://e", flag: "http://f" },
      "http://m",
    ],
    ["the master's host wins over --host", { master: "http://m", flag: "http://f" }, "http://m"],
    ["without one from the master, a web UI class edit shows", { master: null, classEdit: "http://e", flag: "http://f" }, "http://e"],
    ["an empty master host is none (Locust tests it by truth)", { master: "", classEdit: "http://e", flag: "http://f" }, "http://e"],
    ["without either, --host", { master: null, classEdit: undefined, flag: "http://f" }, "http://f"],
    ["an empty class edit is none", { master: null, classEdit: "", flag: "http://f" }, "http://f"],
    ["a null class edit (the web UI cleared it) is none", { classEdit: null, flag: "http://f" }, "http://f"],
    ["without a master (run, --run-tasks): --host", { flag: "http://f" }, "http://f"],
    ["nothing given: undefined", {}, undefined],
    ["only empty values: undefined, never an empty string", { master: "", classEdit: "", flag: "" }, undefined],
  ];
  for (const [what, sources, expected] of cases) test(what, () => expect(targetHost(sources)).toBe(expected));
});
