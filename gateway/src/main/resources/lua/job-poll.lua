-- Takes a node's waiting assignments, skipping any whose attempt ended meanwhile.
-- KEYS: the node's inbox. ARGV: node id, most to take. Returns the assignments' JSON.
local tag = tag_of(KEYS[1])
local out = {}
for _ = 1, tonumber(ARGV[2]) do
  local entry = redis.call('LPOP', KEYS[1])
  if not entry then break end
  local id, attempt, json = string.match(entry, '^(%S+) (%S+) (.*)$')
  local r = id and job_read(tag .. K.job .. id)
  if r and r.state == 'assigned' and r.node == ARGV[1] and r.attempt == attempt then out[#out + 1] = json end
end
return out
