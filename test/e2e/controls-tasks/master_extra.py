# Master-side Python for the controls end-to-end tests, appended to master.py by
# `loadworker locustfile`: custom messages both ways.
import logging

from locust import events
from locust.runners import MasterRunner


def _pong(environment, msg, **_kwargs):
    logging.info("got pong %s from worker %s", msg.data["n"], msg.data["worker"])


def _task_hello(environment, msg, **_kwargs):
    logging.info("got task_hello from %s", msg.data["from"])


@events.init.add_listener
def _register(environment, **_kwargs):
    if isinstance(environment.runner, MasterRunner):
        environment.runner.register_message("pong", _pong)
        environment.runner.register_message("task_hello", _task_hello)


@events.test_start.add_listener
def _greet(environment, **_kwargs):
    runner = environment.runner
    if isinstance(runner, MasterRunner):
        runner.send_message("ping", {"n": 42})
        runner.send_message("boom", None)
        runner.send_message("boom", None)
        runner.send_message("nobody_listens", [1, 2])
        runner.send_message("nobody_listens", [3])
