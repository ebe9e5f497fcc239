-- Creates or replaces a Subcloud, moves its id between client index sets, and tells every replica.
-- KEYS: subcloud hash, subclouds set. ARGV: id, definition JSON, clients (space-separated),
-- client index key prefix, changes channel. Returns {1 created | 0 replaced, new version}.
-- The hash keeps its version across a delete (a tombstone), so versions of an id only grow.
local sc, all, id, prefix = KEYS[1], KEYS[2], ARGV[1], ARGV[4]
local created = redis.call('HEXISTS', sc, 'definition') == 0
for _, c in ipairs(words(redis.call('HGET', sc, 'clients'))) do redis.call('SREM', prefix .. c, id) end
for _, c in ipairs(words(ARGV[3])) do redis.call('SADD', prefix .. c, id) end
local version = redis.call('HINCRBY', sc, 'version', 1)
redis.call('HSET', sc, 'definition', ARGV[2], 'clients', ARGV[3], 'updatedAt', now_ms())
redis.call('HDEL', sc, 'deletedAt')
redis.call('SADD', all, id)
redis.call('PUBLISH', ARGV[5], id)
return {created and 1 or 0, version}
