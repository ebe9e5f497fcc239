-- The live status of Subcloud members, all read at one Redis time.
-- KEYS: online, then one node record per member. ARGV: the member ids, in the same order.
-- Returns per member: state ('' when the node is unknown), online (1/0), routable (1/0).
local tag = tag_of(KEYS[1])
local now = now_ms()
local out = {}
for i, id in ipairs(ARGV) do
  local state = redis.call('HGET', KEYS[i + 1], 'state')
  if not state then
    out[#out + 1] = ''
    out[#out + 1] = 0
    out[#out + 1] = 0
  else
    local deadline = redis.call('ZSCORE', KEYS[1], id)
    out[#out + 1] = state
    out[#out + 1] = (deadline and tonumber(deadline) > now) and 1 or 0
    out[#out + 1] = routable(tag, id, state, now) and 1 or 0
  end
end
return out
