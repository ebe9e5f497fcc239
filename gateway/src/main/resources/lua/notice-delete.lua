-- Removes a notice. KEYS: notices set. ARGV: id. Returns 1 if it was there.
local tag = tag_of(KEYS[1])
redis.call('SREM', KEYS[1], ARGV[1])
return redis.call('DEL', tag .. K.notice .. ARGV[1])
