-- Bid rush: POST one bid for request number i, every (brief, studio) pair at most once.
--   spread: brief i % #briefs, studio floor(i / #briefs)  (consecutive requests hit different briefs)
--   HOT=1:  brief floor(i / #tokens), studio i % #tokens   (every request hits the same brief)
-- TOKENS_FILE: one studio producer token a line; BRIEFS_FILE: brief ids; BODY_FILE: the JSON body.
local tokens, briefs = {}, {}
for line in io.lines(os.getenv("TOKENS_FILE")) do tokens[#tokens + 1] = line end
for line in io.lines(os.getenv("BRIEFS_FILE")) do briefs[#briefs + 1] = line end
local f = io.open(os.getenv("BODY_FILE")); local body = f:read("*a"); f:close()
local hot = os.getenv("HOT") == "1"
local i = 0
created, conflicts, client_errors, server_errors = 0, 0, 0, 0
first_error = ""

request = function()
  local b, s
  if hot then b = math.floor(i / #tokens) % #briefs; s = i % #tokens
  else b = i % #briefs; s = math.floor(i / #briefs) % #tokens end
  i = i + 1
  return wrk.format("POST", "/api/v1/briefs/" .. briefs[b + 1] .. "/bids",
    { ["Authorization"] = "Bearer " .. tokens[s + 1], ["Content-Type"] = "application/json" }, body)
end

response = function(status, headers, body)
  if status ~= 201 and first_error == "" then first_error = status .. " " .. body:sub(1, 300) end
  if status == 201 then created = created + 1
  elseif status == 409 then conflicts = conflicts + 1
  elseif status >= 500 then server_errors = server_errors + 1
  else client_errors = client_errors + 1 end
end

local threads = {}
setup = function(thread) threads[#threads + 1] = thread end

done = function(summary, latency, requests)
  local c, x, ce, se = 0, 0, 0, 0
  for _, t in ipairs(threads) do
    c = c + t:get("created"); x = x + t:get("conflicts"); ce = ce + t:get("client_errors"); se = se + t:get("server_errors")
  end
  for _, t in ipairs(threads) do
    local fe = t:get("first_error")
    if fe ~= "" then io.write("FIRST_ERROR " .. fe .. "\n") end
  end
  local e = summary.errors
  io.write(string.format("RESULT reqs=%d rps=%.1f p50_us=%.0f p90_us=%.0f p99_us=%.0f max_us=%.0f non2xx=%d errs=%d created=%d conflicts=%d client_errors=%d server_errors=%d\n",
    summary.requests, summary.requests / summary.duration * 1e6, latency:percentile(50), latency:percentile(90),
    latency:percentile(99), latency.max, e.status, e.connect + e.read + e.write + e.timeout, c, x, ce, se))
end
