-- GET one of the lines of $PATHS_FILE at random: "<path>" or "<path> <token>" (a token of its
-- own, else the -H Authorization header applies). One RESULT line when done.
local paths, tokens = {}, {}
for line in io.lines(os.getenv("PATHS_FILE")) do
  local path, token = line:match("^(%S+)%s+(%S+)$")
  paths[#paths + 1] = path or line
  tokens[#tokens + 1] = token
end
request = function()
  local i = math.random(#paths)
  if tokens[i] then return wrk.format("GET", paths[i], { ["Authorization"] = "Bearer " .. tokens[i] }) end
  return wrk.format("GET", paths[i])
end
done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format("RESULT reqs=%d rps=%.1f p50_us=%.0f p90_us=%.0f p99_us=%.0f max_us=%.0f non2xx=%d errs=%d\n",
    summary.requests, summary.requests / summary.duration * 1e6, latency:percentile(50), latency:percentile(90),
    latency:percentile(99), latency.max, e.status, e.connect + e.read + e.write + e.timeout))
end
