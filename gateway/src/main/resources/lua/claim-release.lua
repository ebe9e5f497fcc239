-- Releases a claim; its node goes back to the queues if it is still online and idle.
-- KEYS: claim. ARGV: claim id. Returns 1 if the claim was live.
local node_id = redis.call('HGET', KEYS[1], 'nodeId')
if not node_id then return 0 end
redis.call('DEL', KEYS[1])
release_claim(tag_of(KEYS[1]), ARGV[1], node_id)
return 1
