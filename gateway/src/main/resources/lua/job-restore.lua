-- Puts back the record of a live attempt that was lost with its Redis, from what the holder of
-- the job's message knows, and the node's claim if the node is back and free of one.
-- KEYS: job record. ARGV: jobId, model, version, priority, maxAttempts, fingerprint, submittedAt,
-- node, attempt, leaseUntil, claim id, ttl ms. Returns 1 if it restored the record.
if redis.call('EXISTS', KEYS[1]) == 1 then return 0 end
local tag = tag_of(KEYS[1])
local node_id, lease_end, claim_id = ARGV[8], tonumber(ARGV[10]), ARGV[11]
job_save(KEYS[1], ARGV[12], {'jobId', ARGV[1], 'model', ARGV[2], 'version', ARGV[3], 'priority', ARGV[4],
  'maxAttempts', ARGV[5], 'fingerprint', ARGV[6], 'submittedAt', ARGV[7], 'state', 'assigned', 'attempt', ARGV[9],
  'node', node_id, 'nodes', node_id, 'claim', claim_id, 'leaseUntil', ARGV[10], 'delivered', 1, 'published', 1})
local node = tag .. K.node .. node_id
local left = lease_end - now_ms()
if left > 0 and redis.call('EXISTS', node) == 1 and not redis.call('HGET', node, 'claim') then
  local claim = tag .. K.claim .. claim_id
  redis.call('HSET', claim, 'nodeId', node_id, 'model', ARGV[2], 'version', ARGV[3], 'expiresAt', ARGV[10])
  redis.call('PEXPIRE', claim, left)
  redis.call('HSET', node, 'claim', claim_id)
  touch(node)
  sync_ready(tag, node, node_id, now_ms())
end
return 1
