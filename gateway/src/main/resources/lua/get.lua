-- Reads one node. KEYS: node record, online. ARGV: id.
-- Returns an empty list for an unknown node, else {now, deadline or '', spec, state, free, registeredAt, lastHeartbeatAt}.
if redis.call('EXISTS', KEYS[1]) == 0 then return {} end
local r = redis.call('HMGET', KEYS[1], 'spec', 'state', 'free', 'registeredAt', 'lastHeartbeatAt')
local deadline = redis.call('ZSCORE', KEYS[2], ARGV[1])
return {tostring(now_ms()), deadline or '', r[1], r[2], r[3], r[4], r[5]}
