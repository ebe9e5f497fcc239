-- A node reports it will be away for a while: out of routing until it heart-beats again or the
-- time runs out. KEYS: node record. ARGV: id, expected ms. Returns 0 for an unknown node.
local node, id = KEYS[1], ARGV[1]
if redis.call('EXISTS', node) == 0 then return 0 end
local tag = tag_of(node)
local now = now_ms()
redis.call('SET', tag .. K.disc .. id, now + tonumber(ARGV[2]), 'PX', ARGV[2])
sync_ready(tag, node, id, now)
publish(tag, id, 'state', {disconnected = true, ['until'] = now + tonumber(ARGV[2])}, now)
return 1
