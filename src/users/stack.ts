// Stack traces of task code, trimmed to what the task author wrote. The frames below the user's
// code are the engine's, and they differ by path: a user's first task runs from the spawn (the
// master's message, the pool's setTargets), later ones from the user's loop. The master keys
// its Exceptions tab by the traceback text, so untrimmed, one error would show as two rows.

export interface StackLayout {
  /** Where the engine's own files are, as stack frames print them (e.g. "src/", "/app/src/", "file:///app/src/"). */
  engineRoot: string;
  /** The engine file that calls user code; an error with no user frame is cut below its first frame there. */
  runnerFile: string;
}

const FRAME = /^\s*at\s/;
// "at fn (file:1:2)", "at async fn (file:1:2)", "at file:1:2"; a location without line (native) stays whole.
const LOCATION = /^\s*at\s+(?:.*?\()?(.+?)(?::\d+(?::\d+)?)?\)?\s*$/;

/** The file a stack frame line points at ("" when it names none). */
export function frameFile(line: string): string {
  return LOCATION.exec(line)?.[1] ?? "";
}

/** Frames of the runtime itself (node:internal, native code, `new Promise (<anonymous>)`): neither user nor engine. */
function isInternal(file: string): boolean {
  return file === "" || file.startsWith("node:") || file === "native" || file.startsWith("<") || file.startsWith("[") || file === "unknown";
}

/**
 * Drops the frames from the runner down: what they show is how the user got started (the
 * spawn, or the user's loop), not what threw. Runtime frames just above the cut (the
 * AsyncLocalStorage `run` the runner calls through) go too. An error the runner itself made
 * keeps its one frame there. Without a runner frame (a state() factory, run from the pool), it
 * keeps the frames down to the last one in user code; with neither, the stack as it is.
 */
export function trimStack(stack: string, layout: StackLayout): string {
  const lines = stack.split("\n");
  const frames: Array<{ i: number; kind: "user" | "engine" | "runner" | "internal" }> = [];
  for (const [i, line] of lines.entries()) {
    if (!FRAME.test(line)) continue;
    const file = frameFile(line);
    const kind =
      file === layout.runnerFile ? "runner" : isInternal(file) ? "internal" : file.startsWith(layout.engineRoot) ? "engine" : "user";
    frames.push({ i, kind });
  }
  let keep = frames.findIndex((f) => f.kind === "runner");
  if (keep >= 0) {
    while (keep > 0 && frames[keep - 1]?.kind === "internal") keep--;
    if (keep === 0) keep = 1;
  } else {
    keep = frames.findLastIndex((f) => f.kind === "user") + 1;
    if (keep === 0) keep = frames.length;
  }
  const cut = frames[keep]?.i ?? lines.length;
  // Message lines after the frames (a cause, an aggregate's errors) are kept; only frames go.
  return lines.filter((line, i) => i < cut || !FRAME.test(line)).join("\n");
}

/** The first frame in user code, e.g. "tasks/shop.ts:12:9", for one-line summaries. */
export function userLocation(stack: string, layout: StackLayout): string | undefined {
  for (const line of stack.split("\n")) {
    if (!FRAME.test(line)) continue;
    const file = frameFile(line);
    if (isInternal(file) || file.startsWith(layout.engineRoot) || file === layout.runnerFile) continue;
    return /\(([^()]+)\)\s*$/.exec(line)?.[1] ?? line.trim().replace(/^at\s+(?:async\s+)?/, "");
  }
  return undefined;
}

/**
 * Where this engine's files are, read from a stack taken in `here` (a module of the engine's
 * users/ folder): compiled, Bun prints source-mapped paths relative to the build's directory;
 * uncompiled, absolute paths or file: URLs.
 */
export function stackLayout(stackHere: string, here: string, runner: string): StackLayout {
  for (const line of stackHere.split("\n")) {
    if (!FRAME.test(line)) continue;
    const file = frameFile(line);
    if (!file.endsWith(here)) continue;
    const root = file.slice(0, file.length - here.length);
    return { engineRoot: root, runnerFile: root + runner };
  }
  // No frame from this module (stack traces disabled?): nothing is engine, nothing is trimmed.
  return { engineRoot: "\0", runnerFile: "\0" };
}

/** This engine's layout, read once from a stack taken here. */
export const engineLayout: StackLayout = stackLayout(new Error("where the engine is").stack ?? "", "users/stack.ts", "users/user.ts");
