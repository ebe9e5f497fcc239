-- Lifts an admin flag; the node is routable again if nothing else holds it back.
-- KEYS: flag key, node record. ARGV: id, kind. Returns 1 if the flag was set.
local flag_key, node, id, kind = KEYS[1], KEYS[2], ARGV[1], ARGV[2]
local tag = tag_of(flag_key)
local now = now_ms()
local lifted = redis.call('DEL', flag_key)
if redis.call('EXISTS', node) == 1 then sync_ready(tag, node, id, now) end
if lifted == 1 and kind ~= HIDDEN_FLAG then publish(tag, id, 'flags', {flag = kind, set = false}, now) end
return lifted
