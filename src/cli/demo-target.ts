// `loadworker demo-target`: serves the demo target (src/demo/) until SIGINT/SIGTERM.
import { type ArgsDef, defineCommand } from "citty";
import { consola } from "consola";
import { startDemoTarget } from "../demo/target.ts";
import { parsePort } from "./args.ts";

const demoTargetArgs = {
  port: { type: "string", default: "8099", description: "TCP port to listen on (0 picks a free one)" },
  bind: { type: "string", default: "127.0.0.1", description: "Address to bind; 0.0.0.0 to serve other hosts/containers" },
} satisfies ArgsDef;

export const demoTargetCommand = defineCommand({
  meta: {
    name: "demo-target",
    description: "Serve a local demo HTTP target (GET /get, POST /login, /api/items, /status/:code, /delay/:ms, /__stats)",
  },
  args: demoTargetArgs,
  async run({ args }) {
    const target = await startDemoTarget({ port: parsePort(args.port, "--port", { allowZero: true }), bind: args.bind });
    consola.info(`demo target listening on http://${args.bind}:${target.port}`);
    // Run until SIGINT/SIGTERM (Ctrl-C, supervisord stop, docker stop); then close and return 0.
    await new Promise<void>((resolve) => {
      const stop = (signal: NodeJS.Signals) => {
        process.off("SIGINT", stop);
        process.off("SIGTERM", stop);
        consola.info(`demo target stopping on ${signal} after ${target.count()} requests`);
        resolve();
      };
      process.on("SIGINT", stop);
      process.on("SIGTERM", stop);
    });
    await target.close();
    return 0;
  },
});
