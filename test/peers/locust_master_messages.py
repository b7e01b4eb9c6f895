"""Encodes master -> worker messages with Locust's own Message(...).serialize(), built the way
the master builds them (runners.py MasterRunner.start for spawn), and prints them as hex.

stdout: {"frames": {"<label>": "<hex>", ...}, "expect": {...}}

Used by test/protocol/locust.test.ts to check decodeMasterMessage on real master bytes.
"""

import json
import sys

from locust.argument_parser import get_parser
from locust.rpc.protocol import Message

NODE = "vm_204200e6e1514eb2acd6d3a76ab17f62"


def main():
    # The master's own parser (as main.py uses it), without config files from the cwd.
    options = get_parser(default_config_files=[]).parse_args(
        args=["-f", "master.py", "--master", "--headless", "-u", "4", "-r", "2",
              "--stop-timeout", "5", "-H", "http://example.test", "--tags", "a", "b"]
    )
    parsed = vars(options)
    spawn = {
        "timestamp": 1795592059.3529203,
        "user_classes_count": {"Alpha": 3, "Beta": 0},
        "host": options.host,
        "stop_timeout": options.stop_timeout,
        "parsed_options": parsed,
    }
    # Library use / 2.12.1 defaults: no host, stop_timeout None, parsed_options {}.
    spawn_bare = {"timestamp": 1795592060.5, "user_classes_count": {"Alpha": 1},
                  "host": None, "stop_timeout": None, "parsed_options": {}}
    update = {"user_class_name": "Beta", "host": "http://beta.invalid", "weight": 5,
              "fixed_count": 0, "tasks": ["t"]}
    frames = {
        "ack": Message("ack", {"index": 2}, NODE),
        "spawn": Message("spawn", spawn, NODE),
        "spawn_bare": Message("spawn", spawn_bare, NODE),
        "spawning_complete": Message("spawning_complete", {"user_count": 4}, NODE),
        "heartbeat": Message("heartbeat", None, NODE),
        "stop": Message("stop", None, NODE),
        "quit": Message("quit", None, NODE),
        "reconnect": Message("reconnect", None, NODE),
        "update_user_class": Message("update_user_class", update, NODE),
        "custom": Message("my_custom", {"answer": 42, "nested": [1, "two", None]}, NODE),
    }
    expect = {
        "parsed_options": json.loads(json.dumps(parsed, default=repr)),
        "stop_timeout": options.stop_timeout,
    }
    json.dump({"frames": {k: m.serialize().hex() for k, m in frames.items()}, "expect": expect}, sys.stdout)


main()
