// The one test of which runtime runs us: Bun's global, or undefined (Deno). Only the files of this
// folder read it (docs/ARCHITECTURE.md): the rest of src/ uses web standards and node: built-ins.
export const bun = (globalThis as { Bun?: typeof Bun }).Bun;
