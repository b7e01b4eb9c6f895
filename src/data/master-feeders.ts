// The master's side of unique feeders (unique.ts), appended to master.py by `loadworker locustfile`
// when a task file has one: a counter per file, a block of row numbers per request. Plain Locust API.
import { masterPython } from "../api/definitions.ts";
import { RESPONSE_TYPE, REQUEST_TYPE } from "./unique.ts";

const SOURCE = `# loadworker's unique feeders: every worker process asks the master for blocks of row numbers
# of a data file, so no row goes to two users across all workers. A new test starts from row 1.
from locust import events as _lw_events
from locust.runners import MasterRunner as _LwMasterRunner

_lw_feeder_next = {}


@_lw_events.init.add_listener
def _lw_feeders_init(environment, **_kwargs):
    runner = environment.runner
    if not isinstance(runner, _LwMasterRunner):
        return

    def _lw_feeder_request(environment, msg, **_kwargs):
        name = msg.data["feeder"]
        start = _lw_feeder_next.get(name, 0)
        _lw_feeder_next[name] = start + int(msg.data["count"])
        runner.send_message("${RESPONSE_TYPE}", {"gid": msg.data["gid"], "start": start}, client_id=msg.data["client_id"])

    runner.register_message("${REQUEST_TYPE}", _lw_feeder_request)


@_lw_events.test_start.add_listener
def _lw_feeders_restart(environment, **_kwargs):
    _lw_feeder_next.clear()
`;

export const MASTER_FEEDERS = masterPython("loadworker_feeders.py", SOURCE);
