"""Locust's ramp-up steps: its UsersDispatcher (what LocalRunner._start iterates) for one worker
node and one user class, the sleeps between steps skipped.

stdin: {"cases": [[users, spawn_rate]]}   stdout: [{"totals": [int], "wait": float}]
"""

import json
import sys

from locust import User, task
from locust.dispatch import UsersDispatcher
from locust.runners import WorkerNode


class U(User):
    @task
    def t(self):
        pass


def steps(users, spawn_rate):
    dispatcher = UsersDispatcher(worker_nodes=[WorkerNode("local")], user_classes=[U])
    dispatcher.new_dispatch(users, spawn_rate)
    wait = dispatcher._wait_between_dispatch
    dispatcher._wait_between_dispatch = 0  # the steps, not the sleeps between them
    return {"totals": [sum(d["local"].values()) for d in dispatcher], "wait": wait}


json.dump([steps(u, r) for u, r in json.load(sys.stdin)["cases"]], sys.stdout)
