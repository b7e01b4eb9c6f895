// `loadworker build [DIR] [-o FILE]`: project/build.ts compiles; this names the result.
import { type ArgsDef, defineCommand } from "citty";
import { relative } from "node:path";
import { buildBinary } from "../project/build.ts";
import type { LoadPlan } from "../project/plan-source.ts";

const buildArgs = {
  dir: { type: "positional", required: false, description: "The folder of task files (default: loadtests)" },
  outfile: { type: "string", alias: "o", description: "Where to write the executable (default: ./loadworker)" },
} satisfies ArgsDef;

/** `plan` loads the folder before it is compiled, as `run --tasks DIR` would (project/build.ts). */
export function buildCommand(plan: LoadPlan) {
  return defineCommand({
    meta: { name: "build", description: "Compile a folder of task files and the runtime into one executable" },
    args: buildArgs,
    run: async ({ args }): Promise<number> => {
      const built = await buildBinary({ tasksDir: args.dir ?? "loadtests", outfile: args.outfile ?? "loadworker", load: plan });
      const carried = built.carried.length > 0 ? `, carrying ${built.carried.join(", ")}` : "";
      process.stderr.write(
        `loadworker: built ${relative(process.cwd(), built.outfile) || built.outfile} from ${built.tasks.join(", ")}${carried}\n`,
      );
      return 0;
    },
  });
}
