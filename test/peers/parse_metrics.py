# Parses Prometheus text from stdin with prometheus_client's own parser and prints the families
# as JSON: [{"name", "type", "samples": [{"name", "labels", "value"}]}]. A parse error exits 1.
import json
import math
import sys

from prometheus_client.parser import text_string_to_metric_families


def value(v):
    return "+Inf" if v == math.inf else v


families = [
    {
        "name": f.name,
        "type": f.type,
        "samples": [{"name": s.name, "labels": s.labels, "value": value(s.value)} for s in f.samples],
    }
    for f in text_string_to_metric_families(sys.stdin.read())
]
print(json.dumps(families))
