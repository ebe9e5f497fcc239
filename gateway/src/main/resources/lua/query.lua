-- Matchmaking: listed nodes (online, unflagged, connected) from one index, largest free memory first, filtered by state and label.
-- KEYS: candidate sorted set, online, [label set]. ARGV: minFree, limit, state ('' = any but draining),
-- node key prefix, scan cap (candidates looked at, at most).
-- Returns a flat list, six entries per node: id, spec, state, free, registeredAt, lastHeartbeatAt.
local candidates, online, label = KEYS[1], KEYS[2], KEYS[3]
local min_free, limit, state, prefix, cap = ARGV[1], tonumber(ARGV[2]), ARGV[3], ARGV[4], tonumber(ARGV[5])
local tag = tag_of(online)
local now = now_ms()
-- Pages grow from a little over the limit: most queries are answered from the first page, and
-- every id a page returns costs a conversion whether it is looked at or not.
local out, found, offset, page = {}, 0, 0, math.max(16, limit * 2)
while found < limit and offset < cap do
  local ids = redis.call('ZREVRANGEBYSCORE', candidates, '+inf', min_free, 'LIMIT', offset, math.min(page, cap - offset))
  if #ids == 0 then break end
  for _, id in ipairs(ids) do
    -- Cheapest test first: the label (one call), the record (one), then listed (three).
    if not label or redis.call('SISMEMBER', label, id) == 1 then
      local r = redis.call('HMGET', prefix .. id, 'spec', 'state', 'free', 'registeredAt', 'lastHeartbeatAt')
      if r[1] and ((state == '' and r[2] ~= 'draining') or r[2] == state) and listed(tag, id, now) then
        for _, v in ipairs({id, r[1], r[2], r[3], r[4], r[5]}) do out[#out + 1] = v end
        found = found + 1
        if found >= limit then break end
      end
    end
  end
  offset = offset + #ids
  page = math.min(page * 4, 1000)
end
return out
