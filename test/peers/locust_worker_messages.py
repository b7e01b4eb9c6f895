"""Decodes worker frames the way a real Locust master does, and merges stats reports with
Locust's own code; prints what the master would see as JSON.

stdin:  {"frames": ["<hex>", ...]}
stdout: {"messages": [...], "entries": [...], "total": {...}, "errors": [...], "summary": [...]}

Used by test/protocol/locust.test.ts. Any exception exits non-zero with a traceback, which is
what would have hit the master's listener or event handler.
"""

import json
import sys

from locust.event import Events
from locust.rpc.protocol import Message
from locust.stats import (
    RequestStats,
    get_error_report_summary,
    get_percentile_stats_summary,
    get_stats_summary,
    setup_distributed_stats_event_listeners,
)


def typed_map(m):
    # Key and value types matter: the master needs int keys (str keys crash its stats printer).
    return [[k, type(k).__name__, v] for k, v in sorted(m.items(), key=lambda kv: str(kv[0]))]


def entry_view(e):
    return {
        "name": e.name,
        "method": e.method,
        "num_requests": e.num_requests,
        "num_none_requests": e.num_none_requests,
        "num_failures": e.num_failures,
        "total_response_time": e.total_response_time,
        "min_response_time": e.min_response_time,
        "max_response_time": e.max_response_time,
        "total_content_length": e.total_content_length,
        "start_time": e.start_time,
        "last_request_timestamp": e.last_request_timestamp,
        "avg_response_time": e.avg_response_time,
        "median_response_time": e.median_response_time,
        "p95": e.get_response_time_percentile(0.95),
        "p99": e.get_response_time_percentile(0.99),
        "current_rps": e.current_rps,
        "current_fail_per_sec": e.current_fail_per_sec,
        "total_rps": e.total_rps,
        "fail_ratio": e.fail_ratio,
        "avg_content_length": e.avg_content_length,
        "response_times": typed_map(e.response_times),
        "num_reqs_per_sec": typed_map(e.num_reqs_per_sec),
        "num_fail_per_sec": typed_map(e.num_fail_per_sec),
    }


def main():
    frames = json.load(sys.stdin)["frames"]
    stats = RequestStats()
    events = Events()
    setup_distributed_stats_event_listeners(events, stats)
    messages = []
    for frame in frames:
        msg = Message.unserialize(bytes.fromhex(frame))
        view = {"type": msg.type, "node_id": msg.node_id, "node_id_type": type(msg.node_id).__name__}
        view["data_type"] = type(msg.data).__name__
        if msg.type == "stats":
            # Call the master's on_worker_report directly: EventHook.fire would swallow exceptions.
            for handler in events.worker_report._handlers:
                handler(client_id=msg.node_id, data=msg.data)
            # The runner's own listener reads this key; it must be there (docs/PROTOCOL.md, Stats report).
            view["user_classes_count"] = msg.data["user_classes_count"]
            view["user_count"] = msg.data["user_count"]
            view["keys"] = sorted(msg.data.keys())
        else:
            view["data"] = msg.data
            if isinstance(msg.data, dict):
                view["value_types"] = {k: type(v).__name__ for k, v in msg.data.items()}
        messages.append(view)

    # The console printers are where string keys crashed the master (docs/PROTOCOL.md, Integer-keyed maps): run them all.
    summary = get_stats_summary(stats, current=True) + get_percentile_stats_summary(stats)
    summary += get_error_report_summary(stats)
    out = {
        "messages": messages,
        "entries": [entry_view(e) for _, e in sorted(stats.entries.items())],
        "total": entry_view(stats.total),
        "errors": [
            {"key": k, **e.to_dict(), "name_shown": e.to_name()} for k, e in sorted(stats.errors.items())
        ],
        "summary": summary,
    }
    json.dump(out, sys.stdout)


main()
