// `loadworker build`: Bun's compiler, with bytecode and an inline source map (project/build.ts).
import { bun } from "./bun.ts";

export interface CompileOptions {
  entry: string;
  outfile: string;
  bytecode: boolean;
  minify: boolean;
  /** Bare import → file: "loadworker" in a task file is the runtime being compiled in. */
  aliases: Record<string, string>;
}

/** Compiles `entry` into one executable with Bun (`bun build --compile`); resolves with Bun's messages when it fails. */
export async function compileExecutable(options: CompileOptions): Promise<{ ok: true } | { ok: false; messages: string[] }> {
  if (!bun) return { ok: false, messages: ["compiling needs Bun: run `npx loadworker build` (the npm package brings Bun)"] };
  const result = await bun.build({
    entrypoints: [options.entry],
    compile: { outfile: options.outfile },
    // Bytecode halves start-up (bench/workers/README.md); it needs ESM for the entry's top-level await.
    ...(options.bytecode ? { bytecode: true, format: "esm" as const } : {}),
    minify: options.minify,
    // The map rides inside the binary and Bun maps Error.stack with it: a task's exception names its .ts file and line.
    sourcemap: "inline",
    plugins: [
      {
        name: "aliases",
        setup: (build) => {
          for (const [name, path] of Object.entries(options.aliases)) {
            build.onResolve({ filter: new RegExp(`^${name.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}$`) }, () => ({ path }));
          }
        },
      },
    ],
    throw: false,
  });
  return result.success ? { ok: true } : { ok: false, messages: result.logs.map(buildMessage) };
}

// Bun's build log says what and where separately; one line as compilers write it: file:line:column: message.
function buildMessage(log: {
  message: string;
  position?: { file: string; line: number; column: number; lineText: string } | null;
}): string {
  const at = log.position;
  if (!at) return log.message;
  return `${at.file}:${at.line}:${at.column + 1}: ${log.message}${at.lineText ? `\n    ${at.lineText.trim()}` : ""}`;
}
