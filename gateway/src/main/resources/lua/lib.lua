-- Shared by every script: LuaScript prepends this file to each one.

-- Redis server time in ms: one clock for every gateway replica of a region.
local function now_ms()
  local t = redis.call('TIME')
  return tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
end

local function words(s)
  local out = {}
  if s then
    for w in string.gmatch(s, '%S+') do out[#out + 1] = w end
  end
  return out
end

-- The record lists the index keys its node belongs to: zix (sorted sets scored by free
-- memory) and six (sets), so leaving every index needs no knowledge of the spec here.
local function unindex(node_key, id)
  local ix = redis.call('HMGET', node_key, 'zix', 'six')
  for _, k in ipairs(words(ix[1])) do redis.call('ZREM', k, id) end
  for _, k in ipairs(words(ix[2])) do redis.call('SREM', k, id) end
end

local function index(node_key, id, free)
  local ix = redis.call('HMGET', node_key, 'zix', 'six')
  for _, k in ipairs(words(ix[1])) do redis.call('ZADD', k, free, id) end
  for _, k in ipairs(words(ix[2])) do redis.call('SADD', k, id) end
end

