-- Sets an admin flag on a node (known or not yet) and takes it out of routing at once.
-- KEYS: flag key, node record. ARGV: id, kind, reason, notice ('' = none), ttl ms ('' = until lifted).
-- Returns the flag as stored (JSON): {type, reason, [notice], setAt, [until]}.
local flag_key, node, id, kind = KEYS[1], KEYS[2], ARGV[1], ARGV[2]
local tag = tag_of(flag_key)
local now = now_ms()
local flag = {type = kind, reason = ARGV[3], setAt = now}
if ARGV[4] ~= '' then flag.notice = ARGV[4] end
local json
if ARGV[5] == '' then
  json = cjson.encode(flag)
  redis.call('SET', flag_key, json)
else
  flag['until'] = now + tonumber(ARGV[5])
  json = cjson.encode(flag)
  redis.call('SET', flag_key, json, 'PX', ARGV[5])
end
-- A freeze is a hard lock: the node's claim is void now, not when its lease runs out.
if kind == 'freeze' then
  local claim = redis.call('HGET', node, 'claim')
  if claim then
    redis.call('DEL', tag .. K.claim .. claim)
    redis.call('HDEL', node, 'claim')
  end
end
if redis.call('EXISTS', node) == 1 then sync_ready(tag, node, id, now) end
-- A shadow-ban is never told to anyone who might pass it on to the node.
if kind ~= HIDDEN_FLAG then publish(tag, id, 'flags', {flag = kind, set = true}, now) end
return json
