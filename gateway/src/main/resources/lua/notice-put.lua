-- Puts a region-wide notice that every heartbeat answer carries until it expires.
-- KEYS: notices set. ARGV: id, text, ttl ms. Returns the notice JSON {type, id, text, until}.
local tag = tag_of(KEYS[1])
local now = now_ms()
local json = cjson.encode({type = 'notice', id = ARGV[1], text = ARGV[2], ['until'] = now + tonumber(ARGV[3])})
redis.call('SET', tag .. K.notice .. ARGV[1], json, 'PX', ARGV[3])
redis.call('SADD', KEYS[1], ARGV[1])
return json
