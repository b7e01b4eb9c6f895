# Locust's own worker for bench/workers: one FastHttpUser, GET / with no wait time.
# The master runs the same file (it needs the class name); the host comes from --host.
from locust import FastHttpUser, constant, task


class BenchUser(FastHttpUser):
    wait_time = constant(0)

    @task
    def get_root(self):
        self.client.get("/")
