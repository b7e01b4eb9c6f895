"""Locust's task ratios for user classes whose tasks are listed once per unit of weight, as
@task(weight) lists them: get_ratio (its HTML report's "Final ratio") for given user counts, and
what --show-task-ratio and --show-task-ratio-json print for a -u (or none).

stdin: {"cases": [{"classes": [{"name": str, "weight": int, "fixed_count": int, "tasks": [[name, weight]]}],
                   "spawned": {class: users}, "num_users": int | null}]}
stdout: [{"per_class": ..., "total": ..., "planned": {class: users}, "text": str, "json": str}]
"""

import contextlib
import io
import json
import sys

from locust import User
from locust.user.inspectuser import _calc_distribution, get_ratio, print_task_ratio, print_task_ratio_json


def task_function(name):
    def t(self):
        pass

    t.__name__ = name
    return t


def user_class(spec):
    tasks = []
    for name, weight in spec["tasks"]:
        tasks += [task_function(name)] * weight
    attrs = {"tasks": tasks, "abstract": False, "weight": spec.get("weight", 1), "fixed_count": spec.get("fixed_count", 0)}
    return type(spec["name"], (User,), attrs)


def printed(fn, *args):
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        fn(*args)
    return out.getvalue()


def show_task_ratio(classes, num_users):
    # locust/main.py's --show-task-ratio
    print("\n Task ratio per User class")
    print("-" * 80)
    print_task_ratio(classes, num_users, False)
    print("\n Total task ratio")
    print("-" * 80)
    print_task_ratio(classes, num_users, True)


def ratio(case):
    classes = [user_class(c) for c in case["classes"]]
    spawned = case["spawned"]
    num_users = case.get("num_users")
    return {
        "per_class": get_ratio(classes, spawned, False),
        "total": get_ratio(classes, spawned, True),
        "planned": _calc_distribution(classes, num_users),
        "text": printed(show_task_ratio, classes, num_users),
        "json": printed(print_task_ratio_json, classes, num_users),
    }


json.dump([ratio(c) for c in json.load(sys.stdin)["cases"]], sys.stdout)
