// Facts of the docs that are copies of a file in the repo and drifted before: the commands of
// supervisord.conf's programs as docs/deploy.md tabulates them, the Dockerfile's base images and
// pins, and the versions the docs name for pinned dependencies and test peers.
import { describe, expect, test } from "bun:test";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { ROOT } from "../support/procs.ts";

const read = (path: string) => readFileSync(join(ROOT, path), "utf8");
const squash = (text: string) => text.replace(/\s+/g, " ");

/** supervisord.conf's `command=` of each [program:NAME]. */
export function programCommands(conf: string): Record<string, string> {
  const commands: Record<string, string> = {};
  for (const [, name, body] of conf.matchAll(/^\[program:([^\]]+)\]\n([\s\S]*?)(?=^\[|(?![\s\S]))/gm))
    commands[name as string] = /^command=(.+)$/m.exec(body as string)?.[1] ?? "";
  return commands;
}

/** docs/deploy.md's table of programs: `| \`name\` | \`command\` | order |`. */
export function tabledCommands(markdown: string): Record<string, string> {
  return Object.fromEntries([...markdown.matchAll(/^\| `(\w+)` \| `([^`]+)` \|/gm)].map((m) => [m[1] as string, m[2] as string]));
}

describe("docs/deploy.md", () => {
  const deploy = read("docs/deploy.md");
  const dockerfile = read("Dockerfile");

  test("tabulates supervisord.conf's programs with their commands as the file has them", () => {
    expect(tabledCommands(deploy)).toEqual(programCommands(read("supervisord.conf")));
  });

  test("names the Dockerfile's base images and the runtime's pins", () => {
    const images = [...dockerfile.matchAll(/^FROM (\S+)/gm)].map((m) => m[1] as string);
    expect(images).toHaveLength(3);
    const [deps, build, runtime] = images;
    expect(squash(deploy)).toContain(`**deps** stage: \`${deps}\``);
    expect(squash(deploy)).toContain(`**build** stage: \`${build}\``);
    const arg = (name: string) => new RegExp(`^ARG ${name}=(\\S+)$`, "m").exec(dockerfile)?.[1];
    expect(squash(deploy)).toContain(
      `**runtime** stage: \`${runtime}\` with \`locust==${arg("LOCUST_VERSION")}\` and \`supervisor==${arg("SUPERVISOR_VERSION")}\``,
    );
  });

  test("the checkers read a table row and a program section", () => {
    expect(tabledCommands("| `demo` | `/app/x --port 1` | first |\n| --- | --- | --- |")).toEqual({ demo: "/app/x --port 1" });
    expect(programCommands("[program:a]\ncommand=x -y\npriority=1\n\n[program:b]\ncommand=z\n")).toEqual({ a: "x -y", b: "z" });
  });
});

describe("the versions the docs name", () => {
  const pkg = JSON.parse(read("package.json")) as { dependencies: Record<string, string> };
  const shellPin = (file: string, name: string) => new RegExp(`^${name}=(\\S+)`, "m").exec(read(file))?.[1];

  test("are the pinned ones", () => {
    const testData = squash(read("docs/TEST-DATA.md"));
    expect(testData).toContain(`papaparse ${pkg.dependencies.papaparse}`);
    expect(testData).toContain(`locust-plugins ${shellPin("scripts/lib/venv-plugins.sh", "LOCUST_PLUGINS_VERSION")}`);
    const otelcol = shellPin("scripts/lib/otelcol.sh", "VERSION");
    expect(squash(read("docs/telemetry.md"))).toContain(`\`otelcol\` ${otelcol}`);
    expect(squash(read("docs/development.md"))).toContain(`\`otelcol\` ${otelcol}`);
    const telemetry = squash(read("docs/telemetry.md"));
    expect(telemetry).toContain(`api ${pkg.dependencies["@opentelemetry/api"]}, SDK ${pkg.dependencies["@opentelemetry/sdk-trace"]}`);
    expect(telemetry).toContain(`\`otlp-transformer\` ${pkg.dependencies["@opentelemetry/otlp-transformer"]}`);
  });
});
