// `npx loadworker init [DIR]`: a load-test folder in the user's project (an example user class,
// the Dockerfile, supervisord.conf and supervisord.sh of an image, a package.json that makes its .ts files ES
// modules), the project's package.json scripts, a .gitignore line for the binary, and a tsconfig
// only where none exists. Nothing is overwritten: when any target exists, nothing is written.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join, relative, resolve } from "node:path";
import { LoadworkerError } from "../errors.ts";
import { TEMPLATES } from "./templates.ts";

/** The built binary, as `loadtest:build` writes it and .gitignore leaves it out. */
const BINARY = "loadworker";

export interface Scaffold {
  /** Files written, relative to the project. */
  written: string[];
  /** Files changed: package.json (scripts), .gitignore (a line). */
  changed: string[];
  /** Left alone because the user has one: tsconfig.json. */
  kept: string[];
}

/** Scaffolds `dir` (relative to `project`, the folder with package.json). */
export function initProject(project: string, dir = "loadtests"): Scaffold {
  const folder = relative(project, resolve(project, dir)).replaceAll("\\", "/") || ".";
  const template = (name: keyof typeof TEMPLATES) => TEMPLATES[name].replaceAll("{{DIR}}", folder);
  const files: Record<string, string> = {
    [`${folder}/example.ts`]: template("example.ts"),
    [`${folder}/package.json`]: `${JSON.stringify({ private: true, type: "module" }, null, 2)}\n`, // .ts files here are ES modules under any tsconfig
    [`${folder}/Dockerfile`]: template("Dockerfile"),
    [`${folder}/supervisord.conf`]: template("supervisord.conf"),
    [`${folder}/supervisord.sh`]: template("supervisord.sh"),
  };
  const scripts = {
    loadtest: `loadworker run --tasks ${folder} -u 10 -r 5 -t 30s`,
    "loadtest:build": `loadworker build ${folder} -o ${BINARY}`,
  };
  const packageFile = join(project, "package.json");
  const pkg = existsSync(packageFile) ? (JSON.parse(readFileSync(packageFile, "utf8")) as { scripts?: Record<string, string> }) : {};
  const filesThere = Object.keys(files).filter((f) => existsSync(join(project, f)));
  const scriptsThere = Object.keys(scripts)
    .filter((s) => pkg.scripts?.[s] !== undefined)
    .map((s) => `package.json scripts.${s}`);
  if (filesThere.length + scriptsThere.length > 0) {
    // Another folder does not help with the scripts: every init writes the same two names.
    const what = [
      filesThere.length > 0 ? "move the files away or init another folder (npx loadworker init DIR)" : "",
      scriptsThere.length > 0 ? "rename or remove those scripts in package.json" : "",
    ].filter(Boolean);
    throw new LoadworkerError(
      "E_EXISTS",
      `init would overwrite ${[...filesThere, ...scriptsThere].join(", ")}; nothing was written. To init: ${what.join(", and ")}`,
    );
  }
  const scaffold: Scaffold = { written: [], changed: [], kept: [] };
  mkdirSync(join(project, folder), { recursive: true });
  for (const [file, text] of Object.entries(files)) {
    writeFileSync(join(project, file), text, { flag: "wx" });
    scaffold.written.push(file);
  }
  if (existsSync(join(project, "tsconfig.json"))) scaffold.kept.push("tsconfig.json");
  else {
    writeFileSync(join(project, "tsconfig.json"), template("tsconfig.json"), { flag: "wx" });
    scaffold.written.push("tsconfig.json");
  }
  writeFileSync(packageFile, `${JSON.stringify({ ...pkg, scripts: { ...pkg.scripts, ...scripts } }, null, 2)}\n`);
  scaffold.changed.push("package.json");
  if (addLine(join(project, ".gitignore"), `/${BINARY}`)) scaffold.changed.push(".gitignore");
  return scaffold;
}

/** Appends `line` to the file (made if missing) unless it is there; true if it added it. */
function addLine(file: string, line: string): boolean {
  const text = existsSync(file) ? readFileSync(file, "utf8") : "";
  if (text.split(/\r?\n/).includes(line)) return false;
  writeFileSync(file, `${text}${text === "" || text.endsWith("\n") ? "" : "\n"}# the load-test binary (npm run loadtest:build)\n${line}\n`);
  return true;
}
