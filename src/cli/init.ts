// `loadworker init [DIR]`: the scaffold is project/init.ts; this prints what it did.
import { type ArgsDef, defineCommand } from "citty";
import { initProject } from "../project/init.ts";

const initArgs = {
  dir: { type: "positional", required: false, description: "The load-test folder to create (default: loadtests)" },
} satisfies ArgsDef;

export const initCommand = defineCommand({
  meta: { name: "init", description: "Scaffold a load-test folder in this project: an example user class, scripts, a Dockerfile" },
  args: initArgs,
  run: ({ args }): number => {
    const dir = args.dir ?? "loadtests";
    const done = initProject(process.cwd(), dir);
    const lines = [
      `wrote ${done.written.join(", ")}`,
      `updated ${done.changed.join(", ")}`,
      ...(done.kept.length > 0 ? [`kept your ${done.kept.join(", ")} (it must include ${dir}/)`] : []),
      "next:",
      "  npm run loadtest -- --host http://localhost:8080    run the example against your service, no master",
      "  npm run loadtest:build                              one binary with your tasks: ./loadworker --master-host …",
      `  docker build -f ${dir}/Dockerfile -t my-loadtest .   the Locust master and your binary in one image`,
    ];
    process.stdout.write(`${lines.join("\n")}\n`);
    return 0;
  },
});
