-- Deletes a Subcloud: out of every client index set and the subclouds set; tells every replica.
-- KEYS: subcloud hash, subclouds set. ARGV: id, client index key prefix, changes channel.
-- Returns the version of the deletion, or 0 when there was no such Subcloud. The hash stays as
-- a tombstone holding only version and deletedAt, so a later put continues the version.
local sc, all, id, prefix = KEYS[1], KEYS[2], ARGV[1], ARGV[2]
if redis.call('HEXISTS', sc, 'definition') == 0 then return 0 end
for _, c in ipairs(words(redis.call('HGET', sc, 'clients'))) do redis.call('SREM', prefix .. c, id) end
local version = redis.call('HINCRBY', sc, 'version', 1)
redis.call('HDEL', sc, 'definition', 'clients', 'updatedAt')
redis.call('HSET', sc, 'deletedAt', now_ms())
redis.call('SREM', all, id)
redis.call('PUBLISH', ARGV[3], id)
return version
