-- Heart-beats a batch of nodes.
-- KEYS: online, then one node record per entry. ARGV: ttlMs, then per entry: id, state, free ('' = unchanged).
-- Returns per entry {0} (unknown: the node must re-register) or {1, directive…}: the JSON of each
-- admin flag the node may see (every kind but shadow-ban), and {"type":"assignments"} while jobs
-- wait in its inbox, for the directives of its answer.
local online = KEYS[1]
local tag = tag_of(online)
local now = now_ms()
local deadline = now + tonumber(ARGV[1])
local results = {}
for i = 2, #KEYS do
  local node = KEYS[i]
  local a = 2 + (i - 2) * 3
  local id, state, free = ARGV[a], ARGV[a + 1], ARGV[a + 2]
  local current = redis.call('HMGET', node, 'free', 'state', 'claim', 'zix', 'rix')
  if not current[2] then
    results[#results + 1] = {0}
  else
    if free == '' then free = current[1] end
    -- Not in `online`: swept offline while its record was kept; it rejoins its indexes.
    local revived = not redis.call('ZSCORE', online, id)
    if revived then
      index(node, id, free)
      redis.call('HDEL', node, 'offlineAt')
      redis.call('PERSIST', node)
    elseif free ~= current[1] then
      rescore(node, id, free, current[4] or '')
    end
    redis.call('HSET', node, 'state', state, 'free', free, 'lastHeartbeatAt', now)
    redis.call('ZADD', online, deadline, id)
    -- A heartbeat ends a reported disconnection; a claim whose lease ran out is void.
    local reconnected = redis.call('DEL', tag .. K.disc .. id) == 1
    local claim = current[3]
    local claimed = false
    if claim then
      if redis.call('EXISTS', tag .. K.claim .. claim) == 0 then redis.call('HDEL', node, 'claim') else claimed = true end
    end
    local flags = redis.call('MGET', unpack(flag_keys(tag, id)))
    local flagged = false
    for i = 1, #FLAG_KINDS do flagged = flagged or flags[i] ~= false end
    -- What lib.lua's `ready` would read again, known here: the deadline was just set and a
    -- disconnection just ended, so state, a live claim and the flags decide.
    place(current[5], id, function()
      return state == 'idle' and not claimed and not flagged and deadline > now
    end, free)
    if revived then
      publish(tag, id, 'online', {state = state}, now)
    elseif state ~= current[2] then
      publish(tag, id, 'state', {state = state}, now)
    end
    if reconnected then publish(tag, id, 'state', {disconnected = false}, now) end
    local entry = {1}
    for i, kind in ipairs(FLAG_KINDS) do
      if flags[i] and kind ~= HIDDEN_FLAG then entry[#entry + 1] = flags[i] end
    end
    if redis.call('EXISTS', tag .. K.inbox .. id) == 1 then entry[#entry + 1] = '{"type":"assignments"}' end
    results[#results + 1] = entry
  end
end
return results
