-- wrk: another bench script (SCRIPT, e.g. infra/bench/heartbeat.lua) at a steady pace: each
-- connection waits THINK_MS between requests, so the rate is about
-- connections x 1000 / (THINK_MS + latency), not as fast as the gateway can go.
dofile(os.getenv("SCRIPT"))
local think = tonumber(os.getenv("THINK_MS") or "10")

delay = function()
  return think
end
