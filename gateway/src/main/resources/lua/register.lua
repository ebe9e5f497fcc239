-- Registers or replaces a node and brings it online.
-- KEYS: node record, online. ARGV: id, ttlMs, spec, state, free, zset index keys, set index keys,
-- readiness queue keys. Returns 1 when it replaced a known record, 0 when it created one.
local node, online, id = KEYS[1], KEYS[2], ARGV[1]
local tag = tag_of(node)
local now = now_ms()
local existed = redis.call('EXISTS', node)
local claim = false
if existed == 1 then
  unindex(node, id)
  claim = redis.call('HGET', node, 'claim')
end
redis.call('DEL', node)
redis.call('HSET', node, 'spec', ARGV[3], 'state', ARGV[4], 'free', ARGV[5],
  'zix', ARGV[6], 'six', ARGV[7], 'rix', ARGV[8], 'registeredAt', now, 'lastHeartbeatAt', now)
-- A live claim outlives a re-registration: the node is still held by whoever claimed it.
if claim then redis.call('HSET', node, 'claim', claim) end
redis.call('ZADD', online, now + tonumber(ARGV[2]), id)
index(node, id, ARGV[5])
sync_ready(tag, node, id, now)
publish(tag, id, 'online', {state = ARGV[4]}, now)
return existed
