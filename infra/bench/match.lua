-- wrk: matchmaking queries over the registered nodes.
local models = {"model=llama-3-8b", "model=llama-3-8b&version=q4", "model=llama-3-8b&label=tier:gold",
                "model=llama-3-8b&minFreeMemoryMb=40000&state=idle"}
math.randomseed(os.time())

request = function()
  return wrk.format("GET", "/v1/nodes?limit=10&" .. models[math.random(1, #models)])
end
