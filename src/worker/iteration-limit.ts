// locust-plugins' `-i/--iterations N` under a master: its argument reaches every worker in the
// spawn's parsed_options, and each worker process runs at most N task runs of the test and then
// quits (as locust-plugins' own workers do, so a fleet of Python and TypeScript workers stops alike).
import { IterationQuota } from "../users/iteration-quota.ts";

/** The test's quota when the master's parsed_options carry a positive `iterations`; `quit` once its last run ended. */
export function iterationLimit(
  parsedOptions: Readonly<Record<string, unknown>>,
  quit: (reason: string) => void,
): IterationQuota | undefined {
  const limit = parsedOptions.iterations;
  if (typeof limit !== "number" || !Number.isInteger(limit) || limit <= 0) return undefined;
  const quota = new IterationQuota(limit);
  void quota.done.then(() => quit(`locust-plugins' iteration limit reached (-i ${limit}, every task run of this worker ended)`));
  return quota;
}
