# The master's side of accounts.ts. `loadworker locustfile --tasks examples/custom-messages`
# appends this file verbatim to master.py. Plain Locust API:
# https://docs.locust.io/en/stable/running-distributed.html#communicating-across-nodes
import logging

from locust import events
from locust.runners import MasterRunner


@events.init_command_line_parser.add_listener
def _add_options(parser):
    # Custom options reach the workers too, in the spawn's parsed_options (ctx.parsedOptions).
    parser.add_argument("--accounts", type=int, default=100, help="How many test accounts the master hands out")


def _account_in_use(environment, msg, **_kwargs):
    logging.info("worker %s uses account %s", msg.node_id, msg.data["username"])


def _account_released(environment, msg, **_kwargs):
    logging.info("worker %s released account %s", msg.node_id, msg.data["username"])


@events.init.add_listener
def _register_handlers(environment, **_kwargs):
    if isinstance(environment.runner, MasterRunner):
        environment.runner.register_message("account_in_use", _account_in_use)
        environment.runner.register_message("account_released", _account_released)


@events.test_start.add_listener
def _hand_out_accounts(environment, **_kwargs):
    # Runs on the master before it dispatches users, so every worker has its slice before its
    # first AccountUser starts. The slices are disjoint: no account is used by two workers.
    runner = environment.runner
    if not isinstance(runner, MasterRunner):
        return
    accounts = [{"username": f"account-{i}", "password": "demo"} for i in range(environment.parsed_options.accounts)]
    workers = sorted(runner.clients.keys())
    for i, worker in enumerate(workers):
        runner.send_message("accounts", accounts[i :: len(workers)], worker)
