// The one rule for a user's target host (what relative URLs join and ctx.host says), used by the
// worker (spawns, test hooks), the pool (each new user) and `run`/--run-tasks alike.

/** Where a target host can come from; null, undefined and "" all mean "not given". */
export interface HostSources {
  /** The spawn's host: the master's --host or its web UI Host field. */
  readonly master?: string | null | undefined;
  /** The web UI's edit of this user class's host (update_user_class). */
  readonly classEdit?: string | null | undefined;
  /** This process's own --host (or LOADWORKER_HOST). */
  readonly flag?: string | undefined;
}

/**
 * The master's host, else the class's edited host, else --host. Locust's worker sets every
 * class's host to the spawn's when there is one (start_worker), so a web UI host edit only shows
 * when the master has none; --host is ours, for a master that sends none (and for `run`).
 * Locust tests hosts by truth, so an empty one is not given.
 */
export function targetHost(sources: HostSources): string | undefined {
  if (sources.master) return sources.master;
  if (sources.classEdit) return sources.classEdit;
  return sources.flag || undefined;
}
