-- wrk: one heartbeat per request, for a random node among NODES registered ones, with its token
-- (TOKENS: a Lua file from NodeTokensLua.java).
local nodes = tonumber(os.getenv("NODES") or "10000")
local tokens = dofile(os.getenv("TOKENS"))
local states = {"idle", "busy"}
math.randomseed(os.time())

request = function()
  local id = math.random(0, nodes - 1)
  local body = string.format('{"state":"%s","freeMemoryMb":%d}', states[math.random(1, 2)], math.random(0, 80000))
  return wrk.format("POST", "/v1/nodes/bench-" .. id .. "/heartbeat",
    {["Content-Type"] = "application/json", ["Authorization"] = "Bearer " .. tokens[id]}, body)
end
