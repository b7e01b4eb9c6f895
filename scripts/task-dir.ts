// What scripts/build.ts compiles in from a tasks directory, from one listing of it: the task
// modules (tests and specs left out) and the master-side Python files, each sorted by name.
import { readdirSync } from "node:fs";

export interface TaskDir {
  /** .ts/.js/.mts/.mjs files, without *.test.* and *.spec.*: imported into the binary. */
  tasks: string[];
  /** .py files: `loadworker locustfile` appends them to master.py. */
  python: string[];
  /** .proto files: ctx.grpc finds them by name. */
  protos: string[];
}

export function readTaskDir(dir: string): TaskDir {
  const entries = readdirSync(dir).sort();
  return {
    tasks: entries.filter((f) => /\.(ts|js|mts|mjs)$/.test(f) && !/\.(test|spec)\./.test(f)),
    python: entries.filter((f) => f.endsWith(".py")),
    protos: entries.filter((f) => f.endsWith(".proto")),
  };
}
