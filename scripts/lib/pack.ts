// npm pack's prepack: src/ compiled to dist/ (tsconfig.pack.json: JavaScript for Deno, .d.ts for a
// user's tsc), and src/'s files that are not TypeScript (.py read as text, .json, init's templates)
// copied beside the JavaScript that reads them.
import { cpSync, readdirSync, rmSync } from "node:fs";
import { join, resolve } from "node:path";

const root = resolve(import.meta.dir, "../..");
const src = join(root, "src");
const dist = join(root, "dist");
rmSync(dist, { recursive: true, force: true });
const tsc = Bun.spawnSync([join(root, "node_modules/.bin/tsc"), "-p", join(root, "tsconfig.pack.json")], {
  stdout: "inherit",
  stderr: "inherit",
});
if (tsc.exitCode !== 0) {
  console.error("pack: tsc failed (see above); nothing was packed");
  process.exit(1);
}
let copied = 0;
for (const entry of readdirSync(src, { recursive: true, withFileTypes: true })) {
  const from = join(entry.parentPath, entry.name);
  // TypeScript is compiled; init's templates (example.ts.template and the rest) are copied as they are.
  if (!entry.isFile() || /\.m?ts$/.test(entry.name)) continue;
  cpSync(from, join(dist, from.slice(src.length + 1)));
  copied += 1;
}
console.error(`pack: dist/ has src/ compiled, and ${copied} other file(s) copied`);
