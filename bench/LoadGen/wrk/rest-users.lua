-- wrk script: each wrk thread is one user with one connection (run with -t N -c N), its own API
-- key, and think time between calls, like the .NET users of RestUsers.cs. wrk measures each call
-- from the request's first byte written to the response's last byte read; think time is not in it.
--
-- Environment (set by ServiceLoad.cs, which also creates the accounts and keys):
--   RADMAH_WRK_USERS     file with one line per user: "KEY [JOB_ID ...]" (job ids: the user's jobs to read)
--   RADMAH_WRK_MODE      create (POST /v1/jobs), get (GET /v1/jobs/{id} over the user's ids), or
--                        mixed (create, then read what was just created: the warm-up)
--   RADMAH_WRK_THINK_MS  mean think time; exponentially distributed, the first wait uniform so users are not in step
--   RADMAH_WRK_OUT       where to write "KEY JOB_ID ..." per user for the jobs created in this run (optional)
--   RADMAH_WRK_IDEMPOTENCY  1: each create carries a fresh Idempotency-Key, as the SDKs send (inherited from LoadGen's environment)

local mode = os.getenv("RADMAH_WRK_MODE") or "create"
local think = tonumber(os.getenv("RADMAH_WRK_THINK_MS") or "1000")
local create_body = '{"rows": 10, "description": "orders"}'
local keyed = os.getenv("RADMAH_WRK_IDEMPOTENCY") == "1"
local run_started = os.time()

local threads = {}

function setup(thread)
  table.insert(threads, thread)
  thread:set("user", #threads)
end

function init(args)
  local n = 0
  for line in io.lines(os.getenv("RADMAH_WRK_USERS")) do
    n = n + 1
    if n == user then
      local fields = {}
      for field in line:gmatch("%S+") do fields[#fields + 1] = field end
      key = fields[1]
      ids = {}
      for i = 2, #fields do ids[#ids + 1] = fields[i] end
    end
  end
  if key == nil then error("no API key for user " .. user) end
  if mode == "get" and #ids == 0 then error("user " .. user .. " has no jobs to read") end
  created = {}
  sent = 0
  failed = 0
  first = true
  next_read = 1
  last_call = nil
  math.randomseed(user * 7919)
end

function delay()
  if think <= 0 then return 0 end
  if first then
    first = false
    return math.random() * think
  end
  return -math.log(1 - math.random()) * think
end

function request()
  local read = mode == "get" or (mode == "mixed" and last_call == "create" and #created > 0)
  if read then
    local id
    if mode == "get" then
      id = ids[next_read]
      next_read = next_read % #ids + 1
    else
      id = created[#created]
    end
    last_call = "get"
    return wrk.format("GET", "/v1/jobs/" .. id, { ["X-API-Key"] = key })
  end
  last_call = "create"
  local headers = { ["X-API-Key"] = key, ["Content-Type"] = "application/json" }
  if keyed then
    -- Unique across runs and users, so a key is never a replay of an earlier create.
    sent = sent + 1
    headers["Idempotency-Key"] = string.format("wrk-%s-%d-%d-%d", mode, run_started, user, sent)
  end
  return wrk.format("POST", "/v1/jobs", headers, create_body)
end

function response(status, headers, body)
  if status ~= 200 then
    failed = failed + 1
    return
  end
  if last_call == "create" then
    local id = body:match('"id"%s*:%s*"([^"]+)"')
    if id == nil then
      failed = failed + 1
    else
      created[#created + 1] = id
    end
  end
end

function done(summary, latency, requests)
  local out = os.getenv("RADMAH_WRK_OUT")
  local failures = 0
  if out ~= nil and out ~= "" then
    local file = assert(io.open(out, "w"))
    for _, thread in ipairs(threads) do
      file:write(thread:get("key"))
      for _, id in ipairs(thread:get("created")) do file:write(" ", id) end
      file:write("\n")
    end
    file:close()
  end
  for _, thread in ipairs(threads) do failures = failures + thread:get("failed") end
  local errors = summary.errors
  io.write(string.format("RESULT requests=%d failed=%d socket_errors=%d seconds=%.3f p50=%.3f p95=%.3f p99=%.3f max=%.3f\n",
    summary.requests, failures + errors.status, errors.connect + errors.read + errors.write + errors.timeout,
    summary.duration / 1e6, latency:percentile(50) / 1000, latency:percentile(95) / 1000, latency:percentile(99) / 1000, latency.max / 1000))
end
