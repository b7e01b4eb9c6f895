// What to do about an import a task file makes that does not resolve. A relative path names the
// file already; a package may be missing from the project, or be a tsconfig.json "paths" alias,
// which Bun's run from source honours and the compiled binary's --tasks (and Deno) does not.
import { readFileSync } from "node:fs";
import { dirname, join, relative } from "node:path";

/** The advice to append to `cannot find module "<specifier>"` imported from `referrer` ("" for none). */
export function resolveHint(specifier: string, referrer: string): string {
  if (specifier.startsWith(".") || specifier.startsWith("/") || /^[a-z]+:/.test(specifier)) return "";
  const alias = pathsAlias(specifier, dirname(referrer.replace(/^file:\/\//, "")));
  if (alias !== undefined) {
    return `: it is the "paths" alias "${alias.pattern}" of ${alias.tsconfig}, which task files loaded at run time (--tasks in the compiled binary, Deno) do not read; import it by a relative path, or compile it in with loadworker build`;
  }
  const name = specifier.startsWith("@") ? specifier.split("/").slice(0, 2).join("/") : (specifier.split("/")[0] ?? specifier);
  return `: install it in the project (npm i ${name}) or in a node_modules beside the task files`;
}

/** The nearest tsconfig.json above `dir` whose compilerOptions.paths has a pattern `specifier` matches. */
function pathsAlias(specifier: string, dir: string): { pattern: string; tsconfig: string } | undefined {
  for (let at = dir; ; at = dirname(at)) {
    const file = join(at, "tsconfig.json");
    const paths = readPaths(file);
    if (paths !== undefined) {
      const pattern = Object.keys(paths).find((p) =>
        p.includes("*")
          ? specifier.startsWith(p.slice(0, p.indexOf("*"))) && specifier.endsWith(p.slice(p.indexOf("*") + 1))
          : p === specifier,
      );
      // The nearest tsconfig.json is the one tsc and Bun use: stop there, alias or not.
      return pattern === undefined ? undefined : { pattern, tsconfig: relative(process.cwd(), file) || file };
    }
    if (dirname(at) === at) return undefined;
  }
}

// tsconfig.json allows comments and trailing commas; undefined when there is no file here.
function readPaths(file: string): Record<string, unknown> | undefined {
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch {
    return undefined; // no tsconfig.json in this folder: look further up
  }
  try {
    const json = JSON.parse(text.replace(/\/\*[\s\S]*?\*\/|(^|[^:"])\/\/.*$/gm, "$1").replace(/,(\s*[}\]])/g, "$1")) as {
      compilerOptions?: { paths?: Record<string, unknown> };
    };
    return json.compilerOptions?.paths ?? {};
  } catch {
    return {}; // unreadable as JSON: no alias we can name
  }
}
