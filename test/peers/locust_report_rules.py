"""Merges worker stats reports with Locust's own master code and renders Locust's own CSVs and
console tables from the result, for the standalone tests to compare byte for byte.

stdin:  {"created": epoch, "reports": [{"epoch": float, "report": StatsReport}],
         "exceptions": [[msg, traceback, node]], "now": epoch, "user_count": int, "name_width": int,
         "floats": [float], "fixed": [[float, digits]], "csv_rows": [[str, ...]],
         "reset": {"after": int, "epoch": epoch} (optional: reset_all() before that report)}
stdout: {"stats_csv", "failures_csv", "exceptions_csv", "history_header", "history_row", "history_full_rows",
         "summary_total", "summary_current", "percentiles", "errors": [str lines], "entries": [...],
         "floats": [repr], "fixed": [str], "csv_rows": [str]}
"""

import csv
import io
import json
import sys
import tempfile
import types

import locust.stats as S
from locust.event import Events

clock = [0.0]
S.time = types.SimpleNamespace(time=lambda: clock[0])


def int_keys(d):
    return {int(k): v for k, v in d.items()}


def fix_entry(e):
    e = dict(e)
    for key in ("response_times", "num_reqs_per_sec", "num_fail_per_sec"):
        e[key] = int_keys(e[key])
    return e


def write(fn):
    out = io.StringIO()
    fn(csv.writer(out))
    return out.getvalue()


def main():
    data = json.load(sys.stdin)
    clock[0] = data["created"]
    stats = S.RequestStats(use_response_times_cache=True)
    events = Events()
    S.setup_distributed_stats_event_listeners(events, stats)
    reset = data.get("reset")  # {"after": k, "epoch": t}: --reset-stats after the k-th report
    for i, item in enumerate(data["reports"]):
        if reset is not None and i == reset["after"]:
            clock[0] = reset["epoch"]
            stats.reset_all()
        clock[0] = item["epoch"]
        report = dict(item["report"])
        report["stats"] = [fix_entry(e) for e in report["stats"]]
        report["stats_total"] = fix_entry(report["stats_total"])
        events.worker_report.fire(client_id="worker", data=report)
    clock[0] = data["now"]

    runner = types.SimpleNamespace(exceptions={}, user_count=data["user_count"])
    for msg, tb, node in data["exceptions"]:
        key = hash(tb)
        row = runner.exceptions.setdefault(key, {"count": 0, "msg": msg, "traceback": tb, "nodes": set()})
        row["count"] += 1
        row["nodes"].add(node)
    env = types.SimpleNamespace(stats=stats, runner=runner)
    writer = S.StatsCSV(env, S.PERCENTILES_TO_REPORT)
    writer.full_history = False
    full_writer = S.StatsCSV(env, S.PERCENTILES_TO_REPORT)
    full_writer.full_history = True  # --csv-full-history
    with tempfile.TemporaryDirectory() as tmp:
        file_writer = S.StatsCSVFileWriter(env, S.PERCENTILES_TO_REPORT, f"{tmp}/x")
        history_header = write(lambda w: w.writerow(file_writer.stats_history_csv_columns))
        file_writer.close_files()
    S.STATS_NAME_WIDTH = data["name_width"]

    entries = []
    for e in [*S.sort_stats(stats.entries), stats.total]:
        entries.append(
            {
                "name": e.name,
                "method": e.method,
                "current_rps": e.current_rps,
                "total_rps": e.total_rps,
                "median": e.median_response_time,
                "avg": e.avg_response_time,
                "fail_ratio": e.fail_ratio,
                "percentiles": [e.get_response_time_percentile(p) for p in S.PERCENTILES_TO_REPORT],
                "current_percentiles": [e.get_current_response_time_percentile(p) for p in S.PERCENTILES_TO_REPORT],
            }
        )
    out = {
        "stats_csv": write(writer.requests_csv),
        "failures_csv": write(writer.failures_csv),
        "exceptions_csv": write(writer.exceptions_csv),
        "history_header": history_header,
        "history_row": write(lambda w: S.StatsCSVFileWriter._stats_history_data_rows(writer, w, data["now"])),
        "history_full_rows": write(lambda w: S.StatsCSVFileWriter._stats_history_data_rows(full_writer, w, data["now"])),
        "summary_total": S.get_stats_summary(stats, current=False),
        "summary_current": S.get_stats_summary(stats, current=True),
        "percentiles": S.get_percentile_stats_summary(stats),
        "errors": S.get_error_report_summary(stats),
        "entries": entries,
        "floats": [repr(float(x)) for x in data.get("floats", [])],
        "fixed": ["%.*f" % (d, x) for x, d in data.get("fixed", [])],
        "csv_rows": [write(lambda w, r=r: w.writerow(r)) for r in data.get("csv_rows", [])],
    }
    json.dump(out, sys.stdout)


main()
