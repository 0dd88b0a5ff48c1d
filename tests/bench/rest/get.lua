-- wrk: GET /rest/v1/bench_items?grp=eq.<random group> (50 rows each), as
-- postgrest-js sends it, with the anon key from $TANDEM_ANON_KEY.
-- SPDX-License-Identifier: GPL-3.0-or-later
local key = os.getenv("TANDEM_ANON_KEY")
local groups = tonumber(os.getenv("BENCH_GROUPS") or "200")

wrk.headers["apikey"] = key
wrk.headers["Authorization"] = "Bearer " .. key
wrk.headers["Accept-Profile"] = "public"
wrk.headers["X-Client-Info"] = "postgrest-js/2.109.0"

request = function()
  return wrk.format("GET", "/rest/v1/bench_items?grp=eq." .. math.random(0, groups - 1))
end

done = function(summary, latency, requests)
  io.write(string.format("rps=%.1f p50_ms=%.2f p99_ms=%.2f n=%d errors=%d\n",
    summary.requests / (summary.duration / 1e6), latency:percentile(50) / 1000,
    latency:percentile(99) / 1000, summary.requests,
    summary.errors.status + summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout))
end
