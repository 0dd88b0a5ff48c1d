-- wrk: POST /rest/v1/bench_items, one row, Prefer: return=representation,
-- as postgrest-js sends insert(row).select(), with the anon key from
-- $TANDEM_ANON_KEY. The rows go to group 1000, outside the groups get.lua
-- reads, so the reads stay at 50 rows.
-- SPDX-License-Identifier: GPL-3.0-or-later
local key = os.getenv("TANDEM_ANON_KEY")

wrk.method = "POST"
wrk.path = "/rest/v1/bench_items"
wrk.body = '{"grp":1000,"name":"bench","price":12.5,"tags":["a","b"],"meta":{"k":1}}'
wrk.headers["apikey"] = key
wrk.headers["Authorization"] = "Bearer " .. key
wrk.headers["Content-Profile"] = "public"
wrk.headers["Content-Type"] = "application/json"
wrk.headers["Prefer"] = "return=representation"
wrk.headers["X-Client-Info"] = "postgrest-js/2.109.0"

done = function(summary, latency, requests)
  io.write(string.format("rps=%.1f p50_ms=%.2f p99_ms=%.2f n=%d errors=%d\n",
    summary.requests / (summary.duration / 1e6), latency:percentile(50) / 1000,
    latency:percentile(99) / 1000, summary.requests,
    summary.errors.status + summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout))
end
