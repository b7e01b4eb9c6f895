#!/usr/bin/env node
// `npx loadworker …` after `npm i -D loadworker`: runs src/main.ts under the Bun that npm installed
// with this package (the `bun` dependency), so a user needs only Node.js and npm. Signals go to
// Bun, and its exit code (or signal) is this process's.
import { spawn } from "node:child_process";
import { statSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const require = createRequire(import.meta.url);
const main = join(dirname(fileURLToPath(import.meta.url)), "..", "src", "main.ts");

// The bun package's postinstall puts the platform's binary at bin/bun.exe; where install scripts
// did not run, the binary is still in the platform package npm chose (@oven/bun-<os>-<arch>).
function findBun() {
  const candidates = [];
  try {
    candidates.push(join(dirname(require.resolve("bun/package.json")), "bin", "bun.exe"));
  } catch {
    // not installed beside us: the platform package or PATH below
  }
  const arch = process.arch === "arm64" ? "aarch64" : process.arch;
  for (const variant of ["", "-musl", "-baseline"]) {
    try {
      candidates.push(join(dirname(require.resolve(`@oven/bun-${process.platform}-${arch}${variant}/package.json`)), "bin", "bun"));
    } catch {
      // this variant is not installed; try the next
    }
  }
  // A real Bun is tens of MB; the placeholder the package ships before postinstall is not.
  return candidates.find((file) => {
    try {
      return statSync(file).size > 1_000_000;
    } catch {
      return false;
    }
  });
}

const bun = process.versions.bun ? process.execPath : (findBun() ?? "bun");
const child = spawn(bun, [main, ...process.argv.slice(2)], { stdio: "inherit" });
child.on("error", (error) => {
  process.stderr.write(`loadworker: could not start Bun (${error.message}); reinstall with npm i -D loadworker\n`);
  process.exit(1);
});
// Ctrl-C reaches Bun through the terminal's process group; a signal sent to this process alone is passed on.
for (const signal of ["SIGINT", "SIGTERM", "SIGHUP"]) process.on(signal, () => child.kill(signal));
child.on("exit", (code, signal) => {
  if (signal) {
    process.removeAllListeners(signal); // die of the same signal, as a shell expects
    process.kill(process.pid, signal);
  } else process.exit(code ?? 1);
});
