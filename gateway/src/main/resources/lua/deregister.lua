-- Removes a node everywhere, its reported disconnection included (flags stay: they may be set
-- before a node registers). KEYS: node record, online. ARGV: id. Returns 1 if it was known.
if redis.call('EXISTS', KEYS[1]) == 0 then return 0 end
local tag = tag_of(KEYS[1])
unindex(KEYS[1], ARGV[1])
redis.call('ZREM', KEYS[2], ARGV[1])
redis.call('DEL', KEYS[1], tag .. K.disc .. ARGV[1])
publish(tag, ARGV[1], 'deregistered', nil, now_ms())
return 1
