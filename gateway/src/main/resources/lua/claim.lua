-- Claims the ready node with the most free memory, atomically: no two claims get one node.
-- KEYS: readiness queue, [label set]. ARGV: minFree, lease ms, claim id, model, version, scan cap.
-- Returns {nodeId, expiresAt} or an empty list when no node is eligible.
local queue, label = KEYS[1], KEYS[2]
local min_free, lease, claim_id, cap = ARGV[1], tonumber(ARGV[2]), ARGV[3], tonumber(ARGV[6])
local tag = tag_of(queue)
local now = now_ms()
local offset, page, looked = 0, 100, 0
while looked < cap do
  local ids = redis.call('ZREVRANGEBYSCORE', queue, '+inf', min_free, 'LIMIT', offset, page)
  if #ids == 0 then break end
  local dropped = 0
  for _, id in ipairs(ids) do
    looked = looked + 1
    local node = tag .. K.node .. id
    if redis.call('EXISTS', node) == 0 then
      redis.call('ZREM', queue, id)
      dropped = dropped + 1
    elseif not ready(tag, node, id, now) then
      -- A flag, lease or deadline changed since it queued: put it where it belongs now.
      sync_ready(tag, node, id, now)
      dropped = dropped + 1
    elseif not label or redis.call('SISMEMBER', label, id) == 1 then
      local claim_key = tag .. K.claim .. claim_id
      local expires = now + lease
      redis.call('HSET', claim_key, 'nodeId', id, 'model', ARGV[4], 'version', ARGV[5], 'expiresAt', expires)
      redis.call('PEXPIRE', claim_key, lease)
      redis.call('HSET', node, 'claim', claim_id)
      touch(node)
      sync_ready(tag, node, id, now)
      return {id, tostring(expires)}
    end
  end
  offset = offset + page - dropped
end
return {}
