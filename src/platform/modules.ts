// Task files loaded from disk resolve "loadworker" to the running runtime (project/load.ts).
import { bun } from "./bun.ts";

/**
 * Makes `import … from name` resolve to `exports` in every module loaded after this call (task
 * files read from disk by `--tasks`: in the compiled binary there is no node_modules to find
 * "loadworker" in, and outside a project neither). Bun only; elsewhere returns false and the
 * runtime resolves the name itself (Deno: an import map or an `npm:` specifier).
 */
export function provideModule(name: string, exports: Record<string, unknown>): boolean {
  if (!bun) return false;
  bun.plugin({ name: `module ${name}`, setup: (build) => void build.module(name, () => ({ exports, loader: "object" })) });
  return true;
}
