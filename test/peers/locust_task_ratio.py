"""Locust's "Final ratio" (get_ratio, as its HTML report calls it) for user classes whose tasks
are listed once per unit of weight, as @task(weight) lists them.

stdin: {"cases": [{"classes": [{"name": str, "tasks": [[name, weight]]}], "spawned": {class: users}}]}
stdout: [{"per_class": ..., "total": ...}]
"""

import json
import sys

from locust import User
from locust.user.inspectuser import get_ratio


def task_function(name):
    def t(self):
        pass

    t.__name__ = name
    return t


def user_class(spec):
    tasks = []
    for name, weight in spec["tasks"]:
        tasks += [task_function(name)] * weight
    return type(spec["name"], (User,), {"tasks": tasks, "abstract": False})


def ratio(case):
    classes = [user_class(c) for c in case["classes"]]
    spawned = case["spawned"]
    return {"per_class": get_ratio(classes, spawned, False), "total": get_ratio(classes, spawned, True)}


json.dump([ratio(c) for c in json.load(sys.stdin)["cases"]], sys.stdout)
