-- The status page's live counts, every snapshot: index sizes only, so a constant cost per model.
-- KEYS: online, dead jobs, then per model its index ({r}:model:<m>) and readiness queue ({r}:ready:<m>).
-- Returns {nodes online now, dead jobs, then per model: online, ready}.
local now = now_ms()
local out = {redis.call('ZCOUNT', KEYS[1], '(' .. now, '+inf'), redis.call('ZCARD', KEYS[2])}
for i = 3, #KEYS do out[#out + 1] = redis.call('ZCARD', KEYS[i]) end
return out
