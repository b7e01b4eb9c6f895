# The same names as test/e2e/run-tasks, run by Locust itself, so the run tests can compare our
# CSV files with Locust's own (headers byte for byte, the format of every column).
from locust import HttpUser, constant, task


class Shopper(HttpUser):
    wait_time = constant(0.05)

    @task(3)
    def list_items(self):
        self.client.get("/items")

    @task(1)
    def cjk(self):
        self.client.get("/cjk", name="压测Items")

    @task(1)
    def fail(self):
        self.client.get("/fail/x", name="/fail")

    @task(1)
    def explode(self):
        self.client.get("/boom")
        raise RuntimeError("boom in a run")
