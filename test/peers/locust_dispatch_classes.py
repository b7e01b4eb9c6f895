"""Locust's split of users over classes with weights and fixed_count: its UsersDispatcher for one
worker node, one user a step, the sleeps between steps skipped.

stdin: {"cases": [{"classes": [[name, weight, fixed_count]], "users": int}]}
stdout: [[{class: users}]]   (the counts after each step)
"""

import json
import sys

from locust import User, task
from locust.dispatch import UsersDispatcher
from locust.runners import WorkerNode


def user_class(name, weight, fixed_count):
    def t(self):
        pass

    return type(name, (User,), {"weight": weight, "fixed_count": fixed_count, "tasks": [task(t)]})


def steps(case):
    classes = [user_class(*c) for c in case["classes"]]
    dispatcher = UsersDispatcher(worker_nodes=[WorkerNode("local")], user_classes=classes)
    dispatcher.new_dispatch(case["users"], 1)
    dispatcher._wait_between_dispatch = 0  # the steps, not the sleeps between them
    return [dict(d["local"]) for d in dispatcher]


json.dump([steps(c) for c in json.load(sys.stdin)["cases"]], sys.stdout)
