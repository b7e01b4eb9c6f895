// The part of master.py that decides who may start a load test (README, Deployment): a login for
// the web UI, TLS, and the address the worker port binds to. Python, because the Locust master
// runs it; settings come from the environment at master start, so no secret is in master.py or
// the image (`loadworker locustfile` may bake in a user name and a password *file* path only).
// Locust's flags turn on through init_command_line_parser defaults, so the image's
// supervisord.conf, compose and Kubernetes need no extra arguments, and an explicit flag wins.
// The Python is access.py, imported as text: the compiled binary carries it, Bun and Deno both
// read it so, and it stays Python that an editor and a linter can read.
import MASTER_ACCESS_PY from "./access.py" with { type: "text" };

/** Defaults baked in by `loadworker locustfile` flags; the environment overrides each. */
export interface AccessDefaults {
  LOADWORKER_WEB_USER?: string;
  LOADWORKER_WEB_PASSWORD_FILE?: string;
}

export function masterAccessPy(defaults: AccessDefaults = {}): string {
  // A JSON object of strings is also a Python dict literal.
  return MASTER_ACCESS_PY.replace("_DEFAULTS = {}", `_DEFAULTS = ${JSON.stringify(defaults)}`);
}
