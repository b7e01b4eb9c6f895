-- wrk's latency figures in one JSON line (wrk keeps every request's latency, in µs, in a
-- histogram; --latency prints only up to p99): p50, p99, p99.9, max, requests.
done = function(summary, latency, requests)
  io.write(string.format('{"requests":%d,"duration_us":%d,"errors":%d,"p50_ms":%.3f,"p99_ms":%.3f,"p99.9_ms":%.3f,"max_ms":%.3f}\n',
    summary.requests, summary.duration,
    summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.status + summary.errors.timeout,
    latency:percentile(50) / 1000, latency:percentile(99) / 1000, latency:percentile(99.9) / 1000, latency.max / 1000))
end
