-- Takes nodes whose heartbeat deadline passed out of every index; keeps their record a while.
-- KEYS: online. ARGV: batch limit, retention ms, node key prefix. Returns the ids taken offline.
local online = KEYS[1]
local tag = tag_of(online)
local now = now_ms()
local ids = redis.call('ZRANGEBYSCORE', online, '-inf', now, 'LIMIT', 0, tonumber(ARGV[1]))
for _, id in ipairs(ids) do
  local node = ARGV[3] .. id
  redis.call('ZREM', online, id)
  unindex(node, id)
  if redis.call('EXISTS', node) == 1 then
    redis.call('HSET', node, 'offlineAt', now)
    redis.call('PEXPIRE', node, ARGV[2])
  end
  publish(tag, id, 'offline', nil, now)
end
return ids
