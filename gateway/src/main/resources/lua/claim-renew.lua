-- Extends a live claim's lease. KEYS: claim. ARGV: lease ms. Returns the new expiry, or -1 if void.
if redis.call('EXISTS', KEYS[1]) == 0 then return -1 end
local expires = now_ms() + tonumber(ARGV[1])
redis.call('HSET', KEYS[1], 'expiresAt', expires)
redis.call('PEXPIRE', KEYS[1], ARGV[1])
local node_id = redis.call('HGET', KEYS[1], 'nodeId')
if node_id then touch(tag_of(KEYS[1]) .. K.node .. node_id) end
return expires
