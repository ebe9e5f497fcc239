-- Registers or replaces a node and brings it online.
-- KEYS: node record, online. ARGV: id, ttlMs, spec, state, free, zset index keys, set index keys.
-- Returns 1 when it replaced a known record, 0 when it created one.
local node, online, id = KEYS[1], KEYS[2], ARGV[1]
local now = now_ms()
local existed = redis.call('EXISTS', node)
if existed == 1 then unindex(node, id) end
redis.call('DEL', node)
redis.call('HSET', node, 'spec', ARGV[3], 'state', ARGV[4], 'free', ARGV[5],
  'zix', ARGV[6], 'six', ARGV[7], 'registeredAt', now, 'lastHeartbeatAt', now)
redis.call('ZADD', online, now + tonumber(ARGV[2]), id)
index(node, id, ARGV[5])
return existed
