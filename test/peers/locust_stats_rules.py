"""Applies Locust's own stats rules to inputs from the TS tests.

stdin:  {"bucket": [float, ...], "round": [float, ...], "errors": [[method, name, error_text], ...]}
stdout: {"bucket": [int, ...], "round": [int, ...], "keys": [sha256 hex, ...], "reprs": [str, ...]}
"""

import json
import sys

from locust.stats import StatsError, bucket_response_time


def main():
    data = json.load(sys.stdin)
    out = {
        "bucket": [bucket_response_time(x) for x in data["bucket"]],
        "round": [round(x) for x in data["round"]],
        "keys": [StatsError.create_key(m, n, e) for m, n, e in data["errors"]],
        "reprs": [repr(e) for _, _, e in data["errors"]],
    }
    json.dump(out, sys.stdout)


main()
