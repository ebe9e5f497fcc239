-- Removes a node everywhere. KEYS: node record, online. ARGV: id. Returns 1 if it was known.
if redis.call('EXISTS', KEYS[1]) == 0 then return 0 end
unindex(KEYS[1], ARGV[1])
redis.call('ZREM', KEYS[2], ARGV[1])
redis.call('DEL', KEYS[1])
publish(tag_of(KEYS[1]), ARGV[1], 'deregistered', nil, now_ms())
return 1
