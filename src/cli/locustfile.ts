// `loadworker locustfile`: prints master.py for these tasks (master/locustfile.ts writes it);
// the flags bake in the master's default host and a login's user and password file.
import { type ArgsDef, defineCommand } from "citty";
import { LoadworkerError } from "../errors.ts";
import type { AccessDefaults } from "../master/access.ts";
import { renderLocustfile } from "../master/locustfile.ts";
import { parseHostUrl } from "./args.ts";
import type { LoadPlan } from "../project/plan-source.ts";
import { tasksArg } from "./tasks-arg.ts";

const locustfileArgs = {
  ...tasksArg,
  host: { type: "string", description: "The master's host when it is started without --host (the web UI's Host field, headless runs too)" },
  "web-user": { type: "string", description: "Require a login for the web UI as this user (LOADWORKER_WEB_USER overrides)" },
  "web-password-file": {
    type: "string",
    description:
      "File the master reads the login password from at start, e.g. a mounted secret (LOADWORKER_WEB_PASSWORD overrides); never the password itself",
  },
} satisfies ArgsDef;

function nonEmpty(value: string | undefined, flag: string): string | undefined {
  if (value !== undefined && value.trim() === "") throw new LoadworkerError("E_USAGE", `${flag} is empty; give it a value or leave it out`);
  return value;
}

export function locustfileCommand(plan: LoadPlan) {
  return defineCommand({
    meta: { name: "locustfile", description: "Print the master-side master.py for these tasks" },
    args: locustfileArgs,
    run: async ({ args }): Promise<number> => {
      const access: AccessDefaults = {};
      const user = nonEmpty(args["web-user"], "--web-user");
      const passwordFile = nonEmpty(args["web-password-file"], "--web-password-file");
      if ((user === undefined) !== (passwordFile === undefined)) {
        throw new LoadworkerError("E_USAGE", "--web-user and --web-password-file go together: give both to require a login, or neither");
      }
      if (user !== undefined) access.LOADWORKER_WEB_USER = user;
      if (passwordFile !== undefined) access.LOADWORKER_WEB_PASSWORD_FILE = passwordFile;
      const loaded = await plan(args.tasks);
      process.stdout.write(renderLocustfile(loaded, { tasksFrom: loaded.tasksFrom, host: parseHostUrl(args.host, "--host"), access }));
      return 0;
    },
  });
}
