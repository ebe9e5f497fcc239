-- Heart-beats a batch of nodes.
-- KEYS: online, then one node record per entry. ARGV: ttlMs, then per entry: id, state, free ('' = unchanged).
-- Returns per entry 1 (alive) or 0 (unknown: the node must re-register).
local online = KEYS[1]
local now = now_ms()
local deadline = now + tonumber(ARGV[1])
local results = {}
for i = 2, #KEYS do
  local node = KEYS[i]
  local a = 2 + (i - 2) * 3
  local id, state, free = ARGV[a], ARGV[a + 1], ARGV[a + 2]
  if redis.call('EXISTS', node) == 0 then
    results[#results + 1] = 0
  else
    local current = redis.call('HGET', node, 'free')
    if free == '' then free = current end
    -- Not in `online`: swept offline while its record was kept; it rejoins its indexes.
    if (not redis.call('ZSCORE', online, id)) or free ~= current then index(node, id, free) end
    redis.call('HSET', node, 'state', state, 'free', free, 'lastHeartbeatAt', now)
    redis.call('HDEL', node, 'offlineAt')
    redis.call('PERSIST', node)
    redis.call('ZADD', online, deadline, id)
    results[#results + 1] = 1
  end
end
return results
