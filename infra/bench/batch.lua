-- wrk: one POST /v1/heartbeats of BATCH entries per request, for random nodes among NODES, each
-- with its token (TOKENS: a Lua file from NodeTokensLua.java).
local nodes = tonumber(os.getenv("NODES") or "10000")
local batch = tonumber(os.getenv("BATCH") or "1000")
local tokens = dofile(os.getenv("TOKENS"))
math.randomseed(os.time())

request = function()
  local parts = {}
  for i = 1, batch do
    local id = math.random(0, nodes - 1)
    parts[i] = string.format('{"nodeId":"bench-%d","state":"idle","freeMemoryMb":%d,"nodeToken":"%s"}',
      id, math.random(0, 80000), tokens[id])
  end
  return wrk.format("POST", "/v1/heartbeats", {["Content-Type"] = "application/json"},
    '{"heartbeats":[' .. table.concat(parts, ",") .. ']}')
end
