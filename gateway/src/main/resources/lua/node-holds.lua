-- What holds a node back from routing, for admins. KEYS: node record. ARGV: id.
-- Returns {flag JSON or '' for each of FLAG_KINDS in order…, disconnection ms left or -2, claim id or '',
-- 1 if the node may be handed new work (lib.lua's `routable`) else 0}.
local node, id = KEYS[1], ARGV[1]
local tag = tag_of(node)
local out = {}
local flags = redis.call('MGET', unpack(flag_keys(tag, id)))
for i = 1, #FLAG_KINDS do out[i] = flags[i] or '' end
out[#out + 1] = redis.call('PTTL', tag .. K.disc .. id)
local claim = redis.call('HGET', node, 'claim')
if claim and redis.call('EXISTS', tag .. K.claim .. claim) == 0 then claim = false end
out[#out + 1] = claim or ''
out[#out + 1] = routable(tag, id, redis.call('HGET', node, 'state'), now_ms()) and 1 or 0
return out
