-- Releases a claim; its node goes back to the queues if it is still online and idle.
-- KEYS: claim. ARGV: claim id. Returns 1 if the claim was live.
local claim_key = KEYS[1]
local node_id = redis.call('HGET', claim_key, 'nodeId')
if not node_id then return 0 end
redis.call('DEL', claim_key)
local tag = tag_of(claim_key)
local node = tag .. K.node .. node_id
if redis.call('HGET', node, 'claim') == ARGV[1] then
  redis.call('HDEL', node, 'claim')
  touch(node)
  sync_ready(tag, node, node_id, now_ms())
end
return 1
