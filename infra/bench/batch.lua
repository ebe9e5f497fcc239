-- wrk: one POST /v1/heartbeats of BATCH entries per request, for random nodes among NODES.
local nodes = tonumber(os.getenv("NODES") or "10000")
local batch = tonumber(os.getenv("BATCH") or "1000")
math.randomseed(os.time())

request = function()
  local parts = {}
  for i = 1, batch do
    parts[i] = string.format('{"nodeId":"bench-%d","state":"idle","freeMemoryMb":%d}',
      math.random(0, nodes - 1), math.random(0, 80000))
  end
  return wrk.format("POST", "/v1/heartbeats", {["Content-Type"] = "application/json"},
    '{"heartbeats":[' .. table.concat(parts, ",") .. ']}')
end
