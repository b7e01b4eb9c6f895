// The one test of which runtime runs us: Bun's global, or undefined (Deno). Only the files of this
// folder read `bun` (docs/ARCHITECTURE.md): the rest of src/ uses web standards and node: built-ins.
export const bun = (globalThis as { Bun?: typeof Bun }).Bun;

/** Deno: how a process relaunches itself from source differs there (`deno run -A file`). */
export const isDeno = "Deno" in globalThis;
