# The master of examples/distributor: locust-plugins' CSVDictReader feeds its Distributor named
# "customers", and every worker (loadworker's and Python's alike) asks it for the next customer.
#   pip install locust==2.47.0 locust-plugins==5.0.3
#   locust -f master.py --master --host http://127.0.0.1:8099   (the demo target: scripts/up.sh, or loadworker demo-target)
#   ./loadworker --tasks examples/distributor/tasks --master-host 127.0.0.1   (or build them in: docs/package.md)
#   locust -f master.py --worker                      (a Python worker in the same test, if you like)
# CSVDictReader starts over at the end of the file; END_AFTER_ONE_PASS=1 hands each customer out
# once and then None, which stops the asking user (StopUser) on both kinds of worker.
import itertools
import os

from locust import HttpUser, constant, events, task
from locust.exception import StopUser
from locust.runners import WorkerRunner
from locust_plugins.csvreader import CSVDictReader
from locust_plugins.distributor import Distributor

HERE = os.path.dirname(os.path.abspath(__file__))
distributors = {}


@events.init.add_listener
def _init(environment, **_kwargs):
    customers = None  # workers ask the master; only the master reads the file
    if not isinstance(environment.runner, WorkerRunner):
        reader = CSVDictReader(os.path.join(HERE, "customers.csv"))
        if os.environ.get("END_AFTER_ONE_PASS") == "1":
            with open(os.path.join(HERE, "customers.csv")) as f:
                count = sum(1 for _ in f) - 1  # rows, without the header
            customers = itertools.chain(itertools.islice(reader, count), itertools.repeat(None))
        else:
            customers = reader
    distributors["customers"] = Distributor(environment, customers, "customers")


class CustomerUser(HttpUser):
    """The same class as tasks/customer.ts, for Python workers (the master needs the class name too)."""

    wait_time = constant(1)

    @task
    def order(self):
        customer = next(distributors["customers"])
        if customer is None:
            raise StopUser()
        login = self.client.post("/login", json={"username": customer["username"], "password": customer["password"]}, name="/login")
        token = login.json()["token"]
        self.client.get(f"/api/items?customer={customer['customer_id']}", name="/api/items", headers={"Authorization": f"Bearer {token}"})
