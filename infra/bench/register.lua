-- wrk: registrations cycling through NODES ids, each thread taking every THREADS-th id,
-- so a run that makes at least NODES requests has registered every node.
local nodes = tonumber(os.getenv("NODES") or "10000")
local threads = 0

setup = function(thread)
  thread:set("first", threads)
  threads = threads + 1
end

init = function()
  step = tonumber(os.getenv("WRK_THREADS") or "2")
  next_id = first
end

request = function()
  local id = next_id % nodes
  next_id = next_id + step
  local tier = (id % 3 == 0) and "gold" or "silver"
  local body = string.format('{"models":[{"name":"llama-3-8b","version":"q4"}],' ..
    '"gpu":{"model":"A100","memoryMb":81920,"freeMemoryMb":%d},"labels":{"tier":"%s"}}', id * 7 % 81920, tier)
  return wrk.format("PUT", "/v1/nodes/bench-" .. id, {["Content-Type"] = "application/json"}, body)
end
