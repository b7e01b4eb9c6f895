"""Locust's parse_timespan on each text; null where Locust raises ValueError.

stdin: {"texts": [str]}   stdout: [int | null]
"""

import json
import sys

from locust.util.timespan import parse_timespan


def parse(text):
    try:
        return parse_timespan(text)
    except ValueError:
        return None


json.dump([parse(t) for t in json.load(sys.stdin)["texts"]], sys.stdout)
