import { describe, expect, test } from "bun:test";
import { callSite } from "../../src/api/made.ts";

const stackOf = (...frames: string[]) => Object.assign(new Error("made here"), { stack: ["Error: made here", ...frames].join("\n") });

describe("callSite: where a define* call is, from the stack taken in remember()", () => {
  test("skips the runtime's own frames, from src/ (Bun) or from the package's dist/ (Deno), and Array.map's native frame", () => {
    for (const ext of ["ts", "js"]) {
      const at = stackOf(
        `    at remember (file:///p/node_modules/loadworker/dist/api/made.${ext}:10:14)`,
        `    at defineTask (file:///p/node_modules/loadworker/dist/api/definitions.${ext}:30:10)`,
        "    at map (native:1:11)",
        `    at defineUser (file:///p/node_modules/loadworker/dist/api/definitions.${ext}:40:5)`,
        "    at file:///p/loadtests/shop.ts:12:31",
      );
      expect(callSite(at)).toEndWith("/p/loadtests/shop.ts:12");
    }
  });

  test("gives nothing when no frame names a file", () => {
    expect(callSite(stackOf("    at remember (native:1:1)"))).toBeUndefined();
  });
});
