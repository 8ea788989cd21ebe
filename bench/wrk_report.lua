-- wrk reporter for bench/api.sh: one machine-readable line instead of wrk's prose.
-- Fields: requests/s, p50 ms, p99 ms, requests, non-2xx/3xx responses, socket errors.
-- The Authorization header comes from the environment, not from `-H` on wrk's command
-- line, so a real API key never shows in `ps`.
local auth = os.getenv("BENCH_AUTH_HEADER")
if auth and auth ~= "" then
  wrk.headers["Authorization"] = auth
end

function done(summary, latency, requests)
  local seconds = summary.duration / 1e6
  local e = summary.errors
  io.write(string.format("WRKRESULT %.1f %.2f %.2f %d %d %d\n",
    summary.requests / seconds,
    latency:percentile(50) / 1000, latency:percentile(99) / 1000,
    summary.requests, e.status, e.connect + e.read + e.write + e.timeout))
end
