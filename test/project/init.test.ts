// `loadworker init [DIR]`: what it writes in a project, what it leaves alone (a user's tsconfig,
// their .gitignore lines), and that it refuses to overwrite anything: exit 2, naming each file,
// nothing written.
import { describe, expect, test } from "bun:test";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { BUN, ROOT, startProc, tempDir } from "../support/procs.ts";
import { within } from "../support/wait.ts";

async function init(cwd: string, args: string[] = []) {
  const proc = startProc(BUN, [join(ROOT, "src/main.ts"), "init", ...args], { cwd, env: { NO_COLOR: "1" } });
  const code = await within(proc.exited, 30_000, "loadworker init");
  return { code, output: proc.output() };
}

function project(name: string, pkg: object = { name: "shop", scripts: { test: "vitest" } }): string {
  const dir = tempDir(name);
  writeFileSync(join(dir, "package.json"), JSON.stringify(pkg));
  return dir;
}

const read = (dir: string, file: string) => readFileSync(join(dir, file), "utf8");

describe("loadworker init", () => {
  test("writes loadtests/ with an example, a Dockerfile and its supervisord.conf, a tsconfig, the scripts and a .gitignore line", async () => {
    const dir = project("init-fresh");
    writeFileSync(join(dir, ".gitignore"), "node_modules/");
    const { code, output } = await init(dir);
    expect(code, output).toBe(0);
    for (const file of ["example.ts", "package.json", "Dockerfile", "supervisord.conf", "supervisord.sh"])
      expect(existsSync(join(dir, "loadtests", file))).toBe(true);
    expect(read(dir, "loadtests/example.ts")).toContain('from "loadworker"');
    expect(JSON.parse(read(dir, "loadtests/package.json"))).toEqual({ private: true, type: "module" });
    expect(JSON.parse(read(dir, "tsconfig.json")).include).toEqual(["loadtests"]);
    const pkg = JSON.parse(read(dir, "package.json"));
    expect(pkg.name).toBe("shop");
    expect(pkg.scripts).toEqual({
      test: "vitest",
      loadtest: "loadworker run --tasks loadtests -u 10 -r 5 -t 30s",
      "loadtest:build": "loadworker build loadtests -o loadworker",
    });
    expect(read(dir, ".gitignore").split("\n")).toEqual([
      "node_modules/",
      "# the load-test binary (npm run loadtest:build)",
      "/loadworker",
      "",
    ]);
    const dockerfile = read(dir, "loadtests/Dockerfile");
    expect(dockerfile).toContain("RUN npx loadworker build loadtests -o /out/loadworker");
    expect(dockerfile).toContain("COPY loadtests/supervisord.conf /etc/supervisor/supervisord.conf");
    // supervisord exits 0 whatever stopped it; supervisord.sh makes a refused start exit 78.
    expect(dockerfile).toContain("COPY loadtests/supervisord.sh /app/supervisord.sh");
    expect(dockerfile).toContain('CMD ["sh", "/app/supervisord.sh"]');
    expect(dockerfile).toContain("WORKDIR /src");
    expect(dockerfile).not.toContain("{{DIR}}");
  });

  test("init DIR scaffolds that folder, keeps a tsconfig the project has, and adds no second .gitignore line", async () => {
    const dir = project("init-dir");
    writeFileSync(join(dir, "tsconfig.json"), '{ "compilerOptions": { "strict": true } }\n');
    writeFileSync(join(dir, ".gitignore"), "/loadworker\n");
    const { code, output } = await init(dir, ["perf/http"]);
    expect(code, output).toBe(0);
    expect(output).toContain("kept your tsconfig.json");
    expect(read(dir, "tsconfig.json")).toBe('{ "compilerOptions": { "strict": true } }\n');
    expect(read(dir, ".gitignore")).toBe("/loadworker\n");
    expect(existsSync(join(dir, "perf/http/example.ts"))).toBe(true);
    expect(JSON.parse(read(dir, "package.json")).scripts.loadtest).toBe("loadworker run --tasks perf/http -u 10 -r 5 -t 30s");
    expect(read(dir, "perf/http/Dockerfile")).toContain("COPY perf/http ./perf/http");
  });

  test("refuses to overwrite: exit 2 naming every file and script in the way, and writes nothing", async () => {
    const dir = project("init-refuse", { name: "shop", scripts: { loadtest: "k6 run x.js" } });
    const { code: first, output: said } = await init(dir, ["other"]);
    expect(first).toBe(2); // the project has its own scripts.loadtest
    expect(said).toContain(
      "init would overwrite package.json scripts.loadtest; nothing was written. To init: rename or remove those scripts in package.json [E_EXISTS]",
    );
    expect(existsSync(join(dir, "other"))).toBe(false);
    writeFileSync(join(dir, "package.json"), JSON.stringify({ name: "shop" }));
    expect((await init(dir)).code).toBe(0);
    const before = read(dir, "loadtests/example.ts");
    writeFileSync(join(dir, "loadtests/example.ts"), "// mine\n");
    const { code, output } = await init(dir);
    expect(code).toBe(2);
    const errors = output.split("\n").filter((l) => l.startsWith("loadworker:"));
    expect(errors).toEqual([
      "loadworker: init would overwrite loadtests/example.ts, loadtests/package.json, loadtests/Dockerfile, loadtests/supervisord.conf, loadtests/supervisord.sh, package.json scripts.loadtest, package.json scripts.loadtest:build; nothing was written. To init: move the files away or init another folder (npx loadworker init DIR), and rename or remove those scripts in package.json [E_EXISTS]",
    ]);
    expect(read(dir, "loadtests/example.ts")).toBe("// mine\n");
    expect(before).toContain("defineUser");
  });
});
